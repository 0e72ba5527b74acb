"""The comparisons as plain tables (columns and rows), the one shape CSV, XLSX, JSON and the terminal share.

Cells keep Python values (ints, bools, lists of document ids); each output decides how to
write them, through cell_text for the flat formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reports.indicators import Indicator
from reports.measures import MeasureTable
from reports.money import MoneyRow, UnplacedAmount
from reports.people import PersonRow
from reports.timeline import MonthRow


@dataclass
class Table:
    name: str  # file and sheet name
    title: str
    columns: list[str]
    rows: list[list[Any]]
    display: tuple[str, ...] = ()  # the columns worth a terminal's width (all when empty)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def cell_text(value: Any) -> str | int | float | None:
    """A cell for CSV and XLSX: booleans as 1/0, lists of ids as '3;7;12', other values as they are."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return value


def _other_values(row: MoneyRow) -> str:
    """Every value that disagrees with the consensus, with the documents giving it: '14000000: 17;19 | 15000000: 22'."""
    return " | ".join(f"{v.value_sek}: {';'.join(map(str, v.documents))}" for v in row.conflicts)


# Money-row columns named otherwise than the MoneyRow field, or computed; the rest are fields.
_MONEY_CELLS = {
    "municipality_code": lambda r: r.recipient,
    "year": lambda r: r.year_start,
    "other_values": _other_values,
}


def _money_cells(row: MoneyRow, columns: list[str]) -> list[Any]:
    """The cells of one money row for these columns, so every money table reads rows one way."""
    return [_MONEY_CELLS[c](row) if c in _MONEY_CELLS else getattr(row, c) for c in columns]


def money_table(
    rows: list[MoneyRow],
    *,
    per_inhabitant: Indicator | None = None,
    indicators: tuple[Indicator, ...] = (),
) -> Table:
    """The money table: one row per municipality, year and status."""
    columns = [
        "municipality_code",
        "municipality",
        "year",
        "value_sek",
        "per_year",
        "status",
        "n_sources",
        "n_conflicting",
        "documents",
        "tentative",
        "other_values",
    ]
    out = []
    for r in rows:
        cells = _money_cells(r, columns)
        if per_inhabitant:
            cells.append(per_inhabitant.per(r.value_sek, r.recipient, r.year_start))
        cells += [i.value(r.recipient, r.year_start) for i in indicators]
        out.append(cells)
    if per_inhabitant:
        columns.append("sek_per_inhabitant")
    columns += [i.name for i in indicators]
    display = ("municipality", "year", "status", "value_sek", "per_year", "tentative", "n_sources", "n_conflicting")
    display += tuple(columns[11:])  # per inhabitant and indicators
    return Table("amounts", "Sums per municipality and year (consensus of canonical documents)", columns, out, display)


def national_table(rows: list[MoneyRow]) -> Table:
    columns = [
        "year",
        "value_sek",
        "per_year",
        "status",
        "n_sources",
        "n_conflicting",
        "documents",
        "tentative",
        "other_values",
    ]
    out = [_money_cells(r, columns) for r in rows]
    return Table("national", "Sums for the programme as a whole, per year", columns, out, tuple(columns[:6]))


def periods_table(rows: list[MoneyRow]) -> Table:
    columns = [
        "recipient",
        "municipality",
        "year_start",
        "year_end",
        "value_sek",
        "status",
        "n_sources",
        "n_conflicting",
        "documents",
        "tentative",
        "other_values",
    ]
    out = [_money_cells(r, columns) for r in rows]
    display = ("recipient", "year_start", "year_end", "value_sek", "status", "n_sources", "n_conflicting")
    return Table("periods", "Totals for a period of several years", columns, out, display)


def unplaced_table(rows: list[UnplacedAmount]) -> Table:
    columns = [
        "recipient",
        "document_municipality",
        "value_sek",
        "per_year",
        "year_start",
        "year_end",
        "status",
        "reason",
        "n_mentions",
        "n_documents",
        "documents",
        "words",
    ]
    out = [[getattr(r, c) for c in columns] for r in rows]
    display = ("recipient", "document_municipality", "value_sek", "year_start", "year_end", "status", "reason")
    display += ("n_documents",)
    return Table("unplaced", "Sums without a recipient or a year (not in the tables above)", columns, out, display)


def measures_table(table: MeasureTable) -> Table:
    columns = ["municipality_code", "municipality", "documents", *table.categories]
    out = [
        [r.municipality_code, r.municipality, r.documents, *[r.counts.get(c, 0) for c in table.categories]]
        for r in table.rows
    ]
    display = tuple(c for c in columns if c != "municipality_code")
    return Table("measures", "Releases naming measures in each area, per municipality", columns, out, display)


def people_table(rows: list[PersonRow]) -> Table:
    columns = [
        "municipality_code",
        "municipality",
        "name",
        "party",
        "parties",
        "role",
        "other_roles",
        "n_documents",
        "n_quotes",
        "first_seen",
        "last_seen",
        "documents",
    ]
    out = [[getattr(r, c) for c in columns] for r in rows]
    display = ("municipality", "name", "party", "role", "n_documents", "n_quotes")
    return Table("people", "People named in each municipality's releases", columns, out, display)


def months_table(rows: list[MonthRow]) -> Table:
    columns = ["month", "documents", "with_money", "municipalities"]
    out = [[getattr(r, c) for c in columns] for r in rows]
    return Table("releases_per_month", "Releases per month (canonical documents)", columns, out)
