"""The money table: what each municipality may get, got or has set aside, per year, with its sources.

Releases repeat, round and revise their figures, so one municipality-year usually has
several mentions. The table keeps one consensus value per municipality, year and status
and counts every document that disagrees, so no figure is dropped silently. The rule,
applied in SQL so it scales and so Datasette runs the very same query:

1. Only canonical documents count (a copy of a release on another site is not a second
   source), and only sums with a recipient and a year or period.
2. A sum per year over a period counts once for every year of the period (71 miljoner
   årligen 2020–2027 gives eight rows); a sum for one year counts for that year; a total
   over several years (425 miljoner 2018–2020) stays one figure in the period table.
3. Different statuses are different quantities (what a municipality may apply for is not
   what it was granted), so rows are per status. A sum whose text gives no status supports
   the status of a row with the same recipient, year and value (granted before eligible
   before allocated); if no row has its value, it forms an "unspecified" row of its own.
4. Within a row, the value is chosen by, in order: stated firmly over only tentatively
   (preliminära, beräknas); more documents; the most recently published document; the
   larger value. n_conflicting counts the documents that give any other value.

Sums to the whole programme (recipient "national") go to their own table; sums without a
recipient or a year go to the unplaced table.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from reports.scope import Scope
from reports.sql import PARAMS, run

_STATUS_RANK = "CASE {col} WHEN 'granted' THEN 1 WHEN 'eligible' THEN 2 WHEN 'allocated' THEN 3 END"

CONSENSUS_CTES = f"""
WITH RECURSIVE {PARAMS},
bounds AS (
    SELECT
        coalesce(params.year_from, (SELECT max(1900, min(year_start)) FROM amounts), 2018) AS lo,
        coalesce(params.year_to, (SELECT min(2100, max(year_end)) FROM amounts), 2027) AS hi
    FROM params
),
years(y) AS (
    SELECT lo FROM bounds
    UNION ALL
    SELECT y + 1 FROM years WHERE y < (SELECT hi FROM bounds)
),
mentions AS (
    SELECT a.id AS amount_id, a.document_id, a.value_sek, a.per_year, a.year_start, a.year_end,
           a.recipient, a.status, a.tentative,
           coalesce(d.published, an.published) AS published
    FROM amounts a
    JOIN documents d ON d.id = a.document_id
    LEFT JOIN analyses an ON an.document_id = a.document_id
    WHERE d.duplicate_of IS NULL
      AND a.recipient IS NOT NULL
      AND a.year_start IS NOT NULL AND a.year_end IS NOT NULL AND a.year_start <= a.year_end
      AND (a.recipient = 'national'
           OR (SELECT munis FROM params) IS NULL
           OR a.recipient IN (SELECT value FROM json_each((SELECT munis FROM params))))
),
placed AS (
    SELECT m.*, years.y AS period_start, years.y AS period_end
    FROM mentions m JOIN years ON years.y BETWEEN m.year_start AND m.year_end
    WHERE m.per_year = 1 OR m.year_start = m.year_end
    UNION ALL
    SELECT m.*, m.year_start, m.year_end
    FROM mentions m, bounds
    WHERE m.per_year = 0 AND m.year_start < m.year_end AND m.year_end >= bounds.lo AND m.year_start <= bounds.hi
),
resolved AS (
    SELECT r.*, r.recipient || '/' || r.period_start || '/' || r.period_end || '/' || coalesce(r.row_status, '') AS gkey
    FROM (
        SELECT placed.recipient, placed.period_start, placed.period_end, placed.value_sek, placed.document_id,
               placed.amount_id, placed.published, placed.tentative, placed.per_year,
               coalesce(placed.status,
                   CASE min({_STATUS_RANK.format(col="placed.status")})
                       OVER (PARTITION BY placed.recipient, placed.period_start, placed.period_end, placed.value_sek)
                   WHEN 1 THEN 'granted' WHEN 2 THEN 'eligible' WHEN 3 THEN 'allocated' END) AS row_status
        FROM placed
    ) AS r, params
    WHERE params.status IS NULL
       OR (params.status = 'unspecified' AND r.row_status IS NULL)
       OR r.row_status = params.status
),
per_value AS (
    SELECT gkey, recipient, period_start, period_end, row_status, value_sek,
           count(DISTINCT document_id) AS n_docs, max(published) AS latest, min(tentative) AS tentative,
           max(per_year) AS per_year,
           group_concat(DISTINCT document_id) AS documents, group_concat(DISTINCT amount_id) AS amount_ids
    FROM resolved
    GROUP BY gkey, value_sek
),
ranked AS (
    SELECT per_value.*,
           row_number() OVER (PARTITION BY gkey ORDER BY tentative, n_docs DESC, latest DESC, value_sek DESC) AS rank
    FROM per_value
),
values_listed AS (
    SELECT gkey, recipient, period_start, period_end, row_status,
           max(CASE WHEN rank = 1 THEN value_sek END) AS value_sek,
           max(CASE WHEN rank = 1 THEN per_year END) AS per_year,
           max(CASE WHEN rank = 1 THEN tentative END) AS tentative,
           group_concat(CASE WHEN rank > 1 THEN value_sek || ': ' || replace(documents, ',', ';') END, ' | ')
               AS other_values,
           json_group_array(json_object(
               'rank', rank, 'value_sek', value_sek, 'n_documents', n_docs, 'tentative', tentative,
               'latest', latest, 'documents', documents, 'amount_ids', amount_ids)) AS value_list
    FROM (SELECT * FROM ranked ORDER BY rank)
    GROUP BY gkey
),
sources AS (
    -- Documents, not mentions: a document giving two values is one source, and it disagrees.
    SELECT r.gkey, count(DISTINCT r.document_id) AS n_sources,
           count(DISTINCT CASE WHEN r.value_sek != v.value_sek THEN r.document_id END) AS n_conflicting,
           replace(group_concat(DISTINCT r.document_id), ',', ';') AS documents
    FROM resolved r JOIN values_listed v ON v.gkey = r.gkey
    GROUP BY r.gkey
),
consensus AS (
    SELECT v.*, s.n_sources, s.n_conflicting, s.documents
    FROM values_listed v JOIN sources s ON s.gkey = v.gkey
)"""

_JOIN = """
FROM consensus c
LEFT JOIN municipalities mu ON mu.code = c.recipient"""

_ORDER_STATUS = _STATUS_RANK.format(col="c.row_status")

# The money table: one row per municipality, year and status.
MUNICIPAL_SQL = f"""{CONSENSUS_CTES}
SELECT c.recipient AS municipality_code, mu.name AS municipality, c.period_start AS year,
       c.value_sek, c.per_year, c.row_status AS status, c.n_sources, c.n_conflicting, c.documents,
       c.tentative, c.other_values
{_JOIN}
WHERE c.recipient != 'national' AND c.period_start = c.period_end
ORDER BY coalesce(mu.name, c.recipient), c.period_start, {_ORDER_STATUS} IS NULL, {_ORDER_STATUS}"""

# Sums to the programme as a whole, per year.
NATIONAL_SQL = f"""{CONSENSUS_CTES}
SELECT c.period_start AS year, c.value_sek, c.per_year, c.row_status AS status,
       c.n_sources, c.n_conflicting, c.documents, c.tentative, c.other_values
{_JOIN}
WHERE c.recipient = 'national' AND c.period_start = c.period_end
ORDER BY c.period_start, {_ORDER_STATUS} IS NULL, {_ORDER_STATUS}"""

# Totals for a period of several years, for a municipality or the programme.
PERIODS_SQL = f"""{CONSENSUS_CTES}
SELECT c.recipient AS recipient, mu.name AS municipality, c.period_start AS year_start, c.period_end AS year_end,
       c.value_sek, c.row_status AS status, c.n_sources, c.n_conflicting, c.documents,
       c.tentative, c.other_values
{_JOIN}
WHERE c.period_start < c.period_end
ORDER BY c.recipient = 'national', coalesce(mu.name, c.recipient), c.period_start, c.period_end"""

# Everything, with the per-value detail that the report needs for its evidence links.
ALL_GROUPS_SQL = f"""{CONSENSUS_CTES}
SELECT c.recipient, mu.name AS municipality, c.period_start, c.period_end, c.value_sek, c.per_year,
       c.row_status AS status, c.tentative, c.n_sources, c.n_conflicting, c.documents, c.value_list
{_JOIN}
ORDER BY c.recipient = 'national', coalesce(mu.name, c.recipient), c.period_start, c.period_end,
         {_ORDER_STATUS} IS NULL, {_ORDER_STATUS}"""

UNPLACED_SQL = f"""
WITH {PARAMS},
unplaced AS (
    SELECT a.id AS amount_id, a.document_id, a.text, a.value_sek, a.per_year, a.year_start, a.year_end,
           a.recipient, a.status, a.tentative,
           CASE WHEN a.recipient IS NULL THEN coalesce(d.municipality_code, an.municipality_code) END
               AS document_municipality,
           CASE
               WHEN a.recipient IS NULL THEN 'no recipient'
               WHEN a.year_start IS NULL AND a.year_end IS NULL THEN 'no year'
               WHEN a.year_start IS NULL OR a.year_end IS NULL THEN 'open period'
               ELSE 'period ends before it starts'
           END AS reason
    FROM amounts a
    JOIN documents d ON d.id = a.document_id
    LEFT JOIN analyses an ON an.document_id = a.document_id
    JOIN params
    WHERE d.duplicate_of IS NULL
      AND (a.recipient IS NULL OR a.year_start IS NULL OR a.year_end IS NULL OR a.year_start > a.year_end)
      AND (params.munis IS NULL
           OR coalesce(a.recipient, d.municipality_code, an.municipality_code)
              IN (SELECT value FROM json_each(params.munis)))
      AND (params.year_from IS NULL OR coalesce(a.year_end, a.year_start) IS NULL
           OR coalesce(a.year_end, a.year_start) >= params.year_from)
      AND (params.year_to IS NULL OR coalesce(a.year_start, a.year_end) IS NULL
           OR coalesce(a.year_start, a.year_end) <= params.year_to)
      AND (params.status IS NULL OR (params.status = 'unspecified' AND a.status IS NULL)
           OR a.status = params.status)
)
SELECT recipient, document_municipality, value_sek, per_year, year_start, year_end, status, reason,
       count(*) AS n_mentions, count(DISTINCT document_id) AS n_documents,
       replace(group_concat(DISTINCT document_id), ',', ';') AS documents,
       min(text) AS words, min(amount_id) AS amount_id
FROM unplaced
GROUP BY recipient, document_municipality, value_sek, per_year, year_start, year_end, status, reason
ORDER BY recipient IS NULL, recipient = 'national', coalesce(recipient, document_municipality), value_sek DESC"""


@dataclass
class ValueSupport:
    """One value given for a row, and the documents (and amount rows) that give it."""

    value_sek: int
    n_documents: int
    documents: list[int]
    amount_ids: list[int]
    tentative: bool
    latest: str | None
    rank: int


@dataclass
class MoneyRow:
    """A consensus figure for one recipient, year (or period) and status."""

    recipient: str
    municipality: str | None
    year_start: int
    year_end: int
    value_sek: int
    per_year: bool
    status: str | None
    tentative: bool
    n_sources: int
    n_conflicting: int
    documents: list[int]
    values: list[ValueSupport] = field(default_factory=list)

    @property
    def national(self) -> bool:
        return self.recipient == "national"

    @property
    def is_period(self) -> bool:
        return self.year_start != self.year_end

    @property
    def conflicts(self) -> list[ValueSupport]:
        return [v for v in self.values if v.rank > 1]

    @property
    def key(self) -> str:
        """A stable id for anchors: recipient, period and status."""
        period = str(self.year_start) if not self.is_period else f"{self.year_start}-{self.year_end}"
        return f"{self.recipient}-{period}-{self.status or 'unspecified'}"


@dataclass
class MoneyTables:
    municipal: list[MoneyRow]
    national: list[MoneyRow]
    periods: list[MoneyRow]


def _ids(text: str | None) -> list[int]:
    return sorted({int(x) for x in str(text).replace(",", ";").split(";") if x}) if text else []


def money_tables(conn: sqlite3.Connection, scope: Scope = Scope()) -> MoneyTables:
    """The consensus rows of the corpus, split into municipal, national and period tables."""
    tables = MoneyTables([], [], [])
    for r in run(conn, ALL_GROUPS_SQL, scope.sql_params()):
        values = [
            ValueSupport(
                value_sek=v["value_sek"],
                n_documents=v["n_documents"],
                documents=_ids(v["documents"]),
                amount_ids=_ids(v["amount_ids"]),
                tentative=bool(v["tentative"]),
                latest=v["latest"],
                rank=v["rank"],
            )
            for v in json.loads(r["value_list"])
        ]
        values.sort(key=lambda v: v.rank)
        row = MoneyRow(
            recipient=r["recipient"],
            municipality=r["municipality"],
            year_start=r["period_start"],
            year_end=r["period_end"],
            value_sek=r["value_sek"],
            per_year=bool(r["per_year"]),
            status=r["status"],
            tentative=bool(r["tentative"]),
            n_sources=r["n_sources"],
            n_conflicting=r["n_conflicting"],
            documents=_ids(r["documents"]),
            values=values,
        )
        if row.is_period:
            tables.periods.append(row)
        elif row.national:
            tables.national.append(row)
        else:
            tables.municipal.append(row)
    return tables


@dataclass
class UnplacedAmount:
    """Sums no table can place (no recipient, no year, an open period), grouped by what they say.

    One row per recipient (or, without one, the releasing municipality), value, period as
    given, status and reason, with the documents giving it: a researcher sees that three
    releases say Norrköping gets 12,9 miljoner "under tre år" without reading each.
    """

    recipient: str | None
    document_municipality: str | None
    value_sek: int
    per_year: bool
    year_start: int | None
    year_end: int | None
    status: str | None
    reason: str
    n_mentions: int
    n_documents: int
    documents: list[int]
    words: str
    amount_id: int


def unplaced_amounts(conn: sqlite3.Connection, scope: Scope = Scope()) -> list[UnplacedAmount]:
    rows = run(conn, UNPLACED_SQL, scope.sql_params())
    return [
        UnplacedAmount(**{**dict(r), "per_year": bool(r["per_year"]), "documents": _ids(r["documents"])}) for r in rows
    ]
