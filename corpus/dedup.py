"""Reading documents for near-duplicate detection and storing its verdict in documents.duplicate_of."""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils

from corpus.transactions import write_transaction


def dedup_candidates(db: sqlite_utils.Database) -> list[dict]:
    """Every document with what dedup needs: text, date, URL and whether it came from a municipal newsroom.

    A document the crawler (or `import -m`) tied to a municipality counts as from that
    municipality's own newsroom; a newspaper or agency copy carries no municipality_code.
    """
    rows = db.execute(
        """SELECT d.id, d.text, coalesce(d.published, a.published), d.url, d.title, d.municipality_code IS NOT NULL
           FROM documents d LEFT JOIN analyses a ON a.document_id = d.id ORDER BY d.id"""
    ).fetchall()
    keys = ("id", "text", "published", "url", "title", "municipal")
    return [dict(zip(keys, (*r[:5], bool(r[5])), strict=True)) for r in rows]


def apply_duplicates(db: sqlite_utils.Database, duplicate_of: Mapping[int, int]) -> int:
    """Point each copy at its canonical document and every other document at none; returns rows changed.

    The whole verdict is written in one transaction, so a re-run replaces the
    previous one exactly and an interrupted run leaves the previous one intact.
    """
    with write_transaction(db):
        before = dict(db.execute("SELECT id, duplicate_of FROM documents").fetchall())
        changes = [(duplicate_of.get(doc), doc) for doc, old in before.items() if duplicate_of.get(doc) != old]
        db.conn.executemany("UPDATE documents SET duplicate_of = ? WHERE id = ?", changes)
    return len(changes)
