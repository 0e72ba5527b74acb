"""The indicators table: named facts per municipality and year, imported from a researcher's CSV.

Importing a value again for the same name, municipality and year replaces it, so a
corrected file can simply be imported once more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from corpus.transactions import write_transaction


@dataclass(frozen=True)
class IndicatorValue:
    name: str
    municipality_code: str
    year: int | None
    value: float | None
    text: str | None


@dataclass(frozen=True)
class IndicatorSummary:
    name: str
    municipalities: int
    first_year: int | None
    last_year: int | None
    numeric: bool
    sources: str


def store_indicators(db: sqlite_utils.Database, values: Iterable[IndicatorValue], source: str) -> int:
    """Insert or replace values in one transaction; returns how many were written."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [(v.name, v.municipality_code, v.year, v.value, v.text, source, now) for v in values]
    with write_transaction(db):
        # REPLACE honours the unique index on (name, code, coalesce(year, -1)), so a value
        # without a year is replaced like any other.
        db.conn.executemany(
            "INSERT OR REPLACE INTO indicators (name, municipality_code, year, value, text, source, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


def indicator_summaries(db: sqlite_utils.Database) -> list[IndicatorSummary]:
    """One line per indicator: how many municipalities and which years it covers."""
    sql = """
        SELECT name, count(DISTINCT municipality_code), min(year), max(year),
               count(value) = count(*), group_concat(DISTINCT source)
        FROM indicators GROUP BY name ORDER BY name
    """
    return [IndicatorSummary(r[0], r[1], r[2], r[3], bool(r[4]), r[5] or "") for r in db.execute(sql).fetchall()]


def indicator_values(db: sqlite_utils.Database, name: str) -> list[IndicatorValue]:
    """Every value of one indicator (matched without regard to case)."""
    rows = db.execute(
        "SELECT name, municipality_code, year, value, text FROM indicators WHERE name = ? COLLATE NOCASE",
        [name],
    ).fetchall()
    return [IndicatorValue(*r) for r in rows]


def indicator_names(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT name FROM indicators ORDER BY name").fetchall()]
