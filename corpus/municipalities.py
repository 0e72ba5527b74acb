"""The municipalities table: SCB's 290 codes and the name forms used to find them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlite_utils

from corpus.errors import CorpusError
from corpus.transactions import write_transaction


def load_municipalities(
    db: sqlite_utils.Database,
    rows: Iterable[Mapping],
    names: Iterable[Mapping],
) -> None:
    """Fill (or refresh) municipalities and municipality_names in one transaction.

    rows: code, name, county_code, county, delmos_2018; names: name, code, kind.
    Upserts, so running it again changes nothing.
    """
    with write_transaction(db):
        db["municipalities"].upsert_all(({**r, "delmos_2018": int(bool(r["delmos_2018"]))} for r in rows), pk="code")
        db["municipality_names"].upsert_all(names, pk=("name", "code"))


def municipality_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM municipalities").fetchone()[0]


def resolve_municipality(db: sqlite_utils.Database, name_or_code: str) -> str:
    """A municipality code from a code or any name form ("Örebro", "Helsingborgs stad")."""
    key = name_or_code.strip()
    row = db.execute("SELECT code FROM municipalities WHERE code = ?", [key]).fetchone()
    if row is None:
        row = db.execute(
            "SELECT code FROM municipality_names WHERE name = ? COLLATE NOCASE "
            "UNION SELECT code FROM municipality_names WHERE lower(name) = lower(?) LIMIT 1",
            [key, key],
        ).fetchone()
    if row is None:
        raise CorpusError(f"unknown municipality {name_or_code!r}: give a name such as Örebro or a code such as 1880")
    return row[0]
