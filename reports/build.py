"""Gathering one report: every table of one scope, and the evidence each figure links to.

The HTML, the CSV files and the workbook are all written from one Report, so they always
hold the same numbers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from reports import tables as views
from reports.evidence import DocumentInfo, Evidence, document_info, finding_evidence, first_measures
from reports.indicators import Indicator, find_population, load_indicator
from reports.measures import MeasureTable, measure_table
from reports.money import MoneyRow, MoneyTables, UnplacedAmount, money_tables, unplaced_amounts
from reports.people import PersonRow, people_table
from reports.scope import Scope
from reports.sql import PARAMS, SCOPED_DOCUMENTS, run
from reports.tables import Table
from reports.timeline import MonthRow, releases_per_month

# Enough evidence to check a figure; the tables' document lists stay complete.
CONSENSUS_DOCS = 2  # documents quoted for the consensus value of a money row
OTHER_DOCS = 1  # documents quoted for each disagreeing value
VALUES_PER_ROW = 4  # values of a money row with quoted evidence (the consensus and three others)
DOCS_PER_CELL = 2  # documents quoted for a heatmap cell
DOCS_PER_PERSON = 1  # documents quoted for a person
DOCS_PER_MONTH = 25  # releases listed under each month
MAX_UNPLACED_ROWS = 500  # unplaced rows shown in the HTML (all are in unplaced.csv)

Progress = Callable[[str], None]


@dataclass
class EvidenceGroup:
    """The evidence of one figure: a money row, a heatmap cell or a person."""

    anchor: str
    items: list[tuple[str, list[Evidence | DocumentInfo]]]  # (label of a value, its evidence)
    more: int = 0  # documents not quoted here (the table's documents column lists them)


@dataclass
class ReportOptions:
    per_inhabitant: str | None = None  # indicator name; None: a population indicator if one was imported
    colour_by: str | None = None
    sort_by: str | None = None
    quoted_only: bool = False


@dataclass
class Report:
    scope: Scope
    corpus: str
    generated: str
    counts: dict[str, int]
    money: MoneyTables
    unplaced: list[UnplacedAmount]
    measures: MeasureTable
    people: list[PersonRow]
    months: list[MonthRow]
    per_inhabitant: Indicator | None = None
    colour_by: Indicator | None = None
    sort_by: Indicator | None = None
    evidence: dict[str, EvidenceGroup] = field(default_factory=dict)
    documents: dict[int, DocumentInfo] = field(default_factory=dict)
    month_documents: dict[str, list[int]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # municipality codes in display order

    def tables(self) -> list[Table]:
        """Every table of the report, as written to CSV and XLSX."""
        # The denominator of the per-inhabitant column and the indicators that order or colour the rows.
        extra = tuple({i.name: i for i in (self.per_inhabitant, self.colour_by, self.sort_by) if i}.values())
        return [
            views.money_table(self.ordered(self.money.municipal), per_inhabitant=self.per_inhabitant, indicators=extra),
            views.national_table(self.money.national),
            views.periods_table(self.money.periods),
            views.unplaced_table(self.unplaced),
            views.measures_table(self.measures),
            views.people_table(self.people),
            views.months_table(self.months),
            self.evidence_table(),
            self.documents_table(),
        ]

    def ordered(self, rows: list[MoneyRow]) -> list[MoneyRow]:
        rank = {code: i for i, code in enumerate(self.order)}
        return sorted(rows, key=lambda r: (rank.get(r.recipient, len(rank)), r.year_start))

    def evidence_table(self) -> Table:
        """One row per quoted sentence: which figure, which value, which document, the words marked."""
        columns = ["figure", "value", "document_id", "sentence", "words"]
        rows = []
        for group in self.evidence.values():
            for label, items in group.items:
                for item in items:
                    if isinstance(item, Evidence):
                        rows.append([group.anchor.removeprefix("ev-"), label, item.document_id, item.text, item.marked])
                    else:
                        rows.append([group.anchor.removeprefix("ev-"), label, item.id, None, None])
        return Table("evidence", "The sentences each figure was read from", columns, rows)

    def documents_table(self) -> Table:
        """Every document the report cites, with what a citation needs."""
        columns = ["document_id", "title", "url", "published", "municipality_code", "municipality", "source"]
        rows = [
            [d.id, d.title, d.url, d.published, d.municipality_code, d.municipality, d.source]
            for _, d in sorted(self.documents.items())
        ]
        return Table("documents", "The documents cited", columns, rows)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    one = conn.execute(
        """SELECT (SELECT count(*) FROM documents),
                  (SELECT count(*) FROM documents WHERE duplicate_of IS NULL),
                  (SELECT count(*) FROM analyses),
                  (SELECT count(*) FROM amounts)"""
    ).fetchone()
    return dict(zip(("documents", "canonical", "analysed", "amounts"), one, strict=True))


_MONTH_DOCS_SQL = f"""
WITH {PARAMS}, {SCOPED_DOCUMENTS},
numbered AS (
    SELECT id, substr(published, 1, 7) AS month,
           row_number() OVER (PARTITION BY substr(published, 1, 7) ORDER BY published, id) AS n
    FROM scoped_docs WHERE published IS NOT NULL
)
SELECT month, id FROM numbered WHERE n <= {DOCS_PER_MONTH} ORDER BY month, n"""


def _order(report: Report, codes: set[str]) -> list[str]:
    """Municipalities in display order: by the sort indicator (largest first), else by name."""
    names = {r.recipient: r.municipality or r.recipient for r in report.money.municipal}
    names.update({r.municipality_code: r.municipality or r.municipality_code for r in report.measures.rows})
    names.update({r.municipality_code: r.municipality or r.municipality_code for r in report.people})
    by_name = sorted(codes, key=lambda c: (names.get(c) or c or "").casefold())
    if not report.sort_by:
        return by_name
    indicator = report.sort_by

    def key(code: str):
        v = indicator.value(code)
        if v is None:
            return (2, 0, "")
        return (0, -v, "") if isinstance(v, (int, float)) else (1, 0, str(v).casefold())

    return sorted(by_name, key=key)


def _money_evidence(conn: sqlite3.Connection, rows: list[MoneyRow]) -> tuple[dict[str, EvidenceGroup], set[int]]:
    """For each row: the latest documents giving the consensus, and one for each other value."""
    wanted: list[int] = []
    for row in rows:
        for v in row.values[:VALUES_PER_ROW]:
            cap = CONSENSUS_DOCS if v.rank == 1 else OTHER_DOCS
            wanted += v.amount_ids[-cap * 3 :]  # a document may mention a sum twice; ids grow with documents
    found = finding_evidence(conn, "amounts", wanted)
    groups: dict[str, EvidenceGroup] = {}
    docs: set[int] = set()
    for row in rows:
        items = []
        quoted = 0
        for v in row.values[:VALUES_PER_ROW]:
            cap = CONSENSUS_DOCS if v.rank == 1 else OTHER_DOCS
            by_doc: dict[int, Evidence] = {}
            for i in reversed(v.amount_ids[-cap * 3 :]):
                e = found.get(i)
                if e and e.document_id not in by_doc and len(by_doc) < cap:
                    by_doc[e.document_id] = e
            ev = list(by_doc.values())
            quoted += len(ev)
            docs.update(by_doc)
            items.append((str(v.value_sek), ev))
        total = sum(v.n_documents for v in row.values)
        anchor = f"ev-money-{row.key}"
        groups[anchor] = EvidenceGroup(anchor, items, max(0, total - quoted))
    return groups, docs


def _measure_evidence(conn: sqlite3.Connection, table: MeasureTable) -> tuple[dict[str, EvidenceGroup], set[int]]:
    cited: dict[tuple[str | None, str], list[int]] = {
        (r.municipality_code, c): ids[-DOCS_PER_CELL:] for r in table.rows for c, ids in r.document_ids.items()
    }
    all_docs = {d for ids in cited.values() for d in ids}
    firsts = first_measures(conn, all_docs)
    found = finding_evidence(conn, "measures", firsts.values())
    groups = {}
    for (code, category), ids in cited.items():
        items: list[Evidence | DocumentInfo] = []
        for d in ids:
            mid = firsts.get((d, category))
            items.append(found[mid] if mid in found else DocumentInfo(d, None, "", None, None, None, None))
        row = next(r for r in table.rows if r.municipality_code == code)
        anchor = f"ev-measures-{code or 'none'}-{category}"
        groups[anchor] = EvidenceGroup(anchor, [(category, items)], max(0, row.counts[category] - len(ids)))
    return groups, all_docs


def _people_evidence(conn: sqlite3.Connection, people: list[PersonRow]) -> tuple[dict[str, EvidenceGroup], set[int]]:
    wanted = [pid for p in people for pid in p.person_ids[-DOCS_PER_PERSON:]]
    found = finding_evidence(conn, "persons", wanted)
    groups = {}
    docs: set[int] = set()
    for i, p in enumerate(people):
        ev = [found[pid] for pid in p.person_ids[-DOCS_PER_PERSON:] if pid in found]
        docs.update(e.document_id for e in ev)
        anchor = f"ev-people-{i}"
        groups[anchor] = EvidenceGroup(anchor, [(p.name, ev)], max(0, p.n_documents - len(ev)))
    return groups, docs


def build_report(
    conn: sqlite3.Connection,
    scope: Scope = Scope(),
    options: ReportOptions = ReportOptions(),
    *,
    corpus_name: str = "",
    progress: Progress | None = None,
) -> Report:
    """Everything one report shows, read from the corpus in a handful of SQL queries."""
    step = progress or (lambda _name: None)
    step("Counting documents")
    counts = _counts(conn)
    per_name = options.per_inhabitant or find_population(conn)
    per_inhabitant = load_indicator(conn, per_name) if per_name else None
    colour_by = load_indicator(conn, options.colour_by) if options.colour_by else None
    sort_by = load_indicator(conn, options.sort_by) if options.sort_by else None
    step("Computing the money table")
    money = money_tables(conn, scope)
    unplaced = unplaced_amounts(conn, scope)
    step("Counting measures")
    measures = measure_table(conn, scope)
    step("Listing people")
    people = people_table(conn, scope, quoted_only=options.quoted_only)
    step("Counting releases per month")
    months = releases_per_month(conn, scope)
    report = Report(
        scope=scope,
        corpus=corpus_name,
        generated=datetime.now(UTC).isoformat(timespec="seconds"),
        counts=counts,
        money=money,
        unplaced=unplaced,
        measures=measures,
        people=people,
        months=months,
        per_inhabitant=per_inhabitant,
        colour_by=colour_by,
        sort_by=sort_by,
    )
    codes = {r.recipient for r in money.municipal}
    codes |= {r.municipality_code for r in measures.rows if r.municipality_code}
    codes |= {p.municipality_code for p in people if p.municipality_code}
    report.order = _order(report, codes)
    rank = {code: i for i, code in enumerate(report.order)}
    report.people.sort(key=lambda p: rank.get(p.municipality_code, len(rank)))  # stable: quoted first within each
    report.measures.rows.sort(key=lambda m: rank.get(m.municipality_code, len(rank)))

    step("Collecting evidence")
    cited: set[int] = set()
    for groups, docs in (
        _money_evidence(conn, money.municipal + money.national + money.periods),
        _measure_evidence(conn, measures),
        _people_evidence(conn, people),
    ):
        report.evidence.update(groups)
        cited |= docs
    for month, doc_id in run(conn, _MONTH_DOCS_SQL, scope.sql_params()):
        report.month_documents.setdefault(month, []).append(doc_id)
        cited.add(doc_id)
    cited |= {d for u in unplaced[:MAX_UNPLACED_ROWS] for d in u.documents[-1:]}
    report.documents = document_info(conn, cited)
    return report
