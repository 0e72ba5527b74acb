"""Releases per month: when municipalities spoke, and how much of it was about money."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from reports.scope import Scope
from reports.sql import PARAMS, SCOPED_DOCUMENTS, run

MONTHS_SQL = f"""
WITH {PARAMS}, {SCOPED_DOCUMENTS}
SELECT substr(sd.published, 1, 7) AS month, count(*) AS documents,
       sum(EXISTS (SELECT 1 FROM amounts a WHERE a.document_id = sd.id)) AS with_money,
       count(DISTINCT sd.municipality_code) AS municipalities
FROM scoped_docs sd
GROUP BY month
ORDER BY month IS NULL, month"""


@dataclass
class MonthRow:
    month: str | None  # YYYY-MM; None for releases without a date
    documents: int
    with_money: int
    municipalities: int


def _next_month(month: str) -> str:
    year, m = int(month[:4]), int(month[5:7])
    return f"{year + m // 12}-{m % 12 + 1:02d}"


def releases_per_month(conn: sqlite3.Connection, scope: Scope = Scope()) -> list[MonthRow]:
    """Every month from the first release to the last, quiet months included as zeros."""
    rows = [
        MonthRow(r["month"], r["documents"], r["with_money"], r["municipalities"])
        for r in run(conn, MONTHS_SQL, scope.sql_params())
    ]
    dated = {r.month: r for r in rows if r.month and len(r.month) == 7 and r.month[4] == "-"}
    undated = [r for r in rows if r.month not in dated]
    if not dated:
        return undated
    filled: list[MonthRow] = []
    month, last = min(dated), max(dated)
    while month <= last:
        filled.append(dated.get(month) or MonthRow(month, 0, 0, 0))
        month = _next_month(month)
    if undated:
        filled.append(MonthRow(None, sum(r.documents for r in undated), sum(r.with_money for r in undated), 0))
    return filled
