"""Counts that tell a researcher what the corpus holds."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass
class CountRow:
    municipality_code: str | None
    municipality: str | None
    year: str | None
    documents: int


def documents_per_municipality_year(db: sqlite_utils.Database) -> list[CountRow]:
    """Documents by municipality and year of publication.

    The crawler's municipality and date win; where it had none, what the analyser
    found in the text is used; what neither knows is counted under None.
    """
    sql = """
        SELECT m.code, m.name, y.year, count(*)
        FROM (
            SELECT coalesce(d.municipality_code, a.municipality_code) AS code,
                   substr(coalesce(d.published, a.published), 1, 4) AS year
            FROM documents d LEFT JOIN analyses a ON a.document_id = d.id
        ) AS y
        LEFT JOIN municipalities m ON m.code = y.code
        GROUP BY y.code, y.year
        ORDER BY m.name IS NULL, m.name, y.year IS NULL, y.year
    """
    return [CountRow(*row) for row in db.execute(sql).fetchall()]
