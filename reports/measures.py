"""Measure categories per municipality: in how many releases each municipality names each area.

A release counts once per category however often it names it, so a long release does not
outweigh several short ones. A category counts when the analyser put it on the document or
found a measure of that category in its text.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from reports.scope import Scope
from reports.sql import PARAMS, SCOPED_DOCUMENTS, run

# The areas of tests/data/SCHEMA.md, in its order; other categories found follow alphabetically.
CATEGORIES = ("boende", "utbildning", "arbete", "demokrati", "trygghet", "barn_unga", "fritid", "halsa", "kunskap")

MEASURES_SQL = f"""
WITH {PARAMS}, {SCOPED_DOCUMENTS},
doc_categories AS (
    SELECT sd.id AS document_id, je.value AS category FROM scoped_docs sd, json_each(sd.categories) je
    UNION
    SELECT m.document_id, m.category FROM measures m JOIN scoped_docs sd ON sd.id = m.document_id
),
totals AS (SELECT municipality_code, count(*) AS documents FROM scoped_docs GROUP BY municipality_code)
SELECT t.municipality_code, mu.name AS municipality, t.documents, dc.category,
       count(DISTINCT dc.document_id) AS n, group_concat(DISTINCT dc.document_id) AS document_ids
FROM totals t
LEFT JOIN scoped_docs sd ON sd.municipality_code IS t.municipality_code
LEFT JOIN doc_categories dc ON dc.document_id = sd.id
LEFT JOIN municipalities mu ON mu.code = t.municipality_code
GROUP BY t.municipality_code, dc.category
ORDER BY t.municipality_code IS NULL, coalesce(mu.name, t.municipality_code)"""


@dataclass
class MeasureRow:
    """One municipality (None: releases about the whole country or many municipalities)."""

    municipality_code: str | None
    municipality: str | None
    documents: int
    counts: dict[str, int] = field(default_factory=dict)
    document_ids: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class MeasureTable:
    categories: list[str]
    rows: list[MeasureRow]

    @property
    def max_count(self) -> int:
        return max((n for r in self.rows for n in r.counts.values()), default=0)


def measure_table(conn: sqlite3.Connection, scope: Scope = Scope()) -> MeasureTable:
    rows: dict[str | None, MeasureRow] = {}
    found: set[str] = set()
    for r in run(conn, MEASURES_SQL, scope.sql_params()):
        code = r["municipality_code"]
        row = rows.setdefault(code, MeasureRow(code, r["municipality"], r["documents"]))
        if r["category"] is not None:
            found.add(r["category"])
            row.counts[r["category"]] = r["n"]
            row.document_ids[r["category"]] = sorted(int(x) for x in str(r["document_ids"]).split(","))
    categories = [c for c in CATEGORIES] + sorted(found - set(CATEGORIES))
    return MeasureTable(categories, list(rows.values()))
