"""Commands that compare municipalities: compare, report, indicators and serve."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

import corpus
from corpus.indicators import indicator_summaries, store_indicators
from corpus.municipalities import resolve_municipality
from kommunpress.common import DbOption, err, open_corpus, out
from reports.errors import ReportError
from reports.formatting import sek
from reports.scope import Scope
from reports.tables import Table, cell_text

compare_app = typer.Typer(help="Compare municipalities: sums of money, measures, people.", no_args_is_help=True)
indicators_app = typer.Typer(help="Facts about municipalities (population, area types) from CSV files.")


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Status(StrEnum):
    eligible = "eligible"
    granted = "granted"
    allocated = "allocated"
    unspecified = "unspecified"


class MoneyTableName(StrEnum):
    municipal = "municipal"
    national = "national"
    periods = "periods"
    unplaced = "unplaced"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
MunicipalitiesOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--municipalities",
        "-m",
        help="Only these municipalities: names or codes, repeated or comma-separated (Örebro,0180).",
    ),
]
FromOption = Annotated[Optional[int], typer.Option("--from", help="First year (sums: the year they are for).")]
ToOption = Annotated[Optional[int], typer.Option("--to", help="Last year.")]
StatusOption = Annotated[
    Optional[Status], typer.Option("--status", help="Only sums with this status (default: all, one row per status).")
]


def _scope(conn, municipalities: list[str] | None, year_from: int | None, year_to: int | None, status=None) -> Scope:
    codes: list[str] = []
    for item in municipalities or []:
        for part in item.split(","):
            if part.strip():
                codes.append(resolve_municipality(conn, part))
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ReportError(f"--from {year_from} is after --to {year_to}")
    return Scope(tuple(dict.fromkeys(codes)), year_from, year_to, status.value if status else None)


# Short headings where a terminal is narrow; CSV and JSON keep the column names.
TERMINAL_HEADERS = {
    "value_sek": "kr",
    "sek_per_inhabitant": "kr/inhabitant",
    "per_year": "per year",
    "n_sources": "sources",
    "n_conflicting": "disagree",
    "n_documents": "releases",
    "n_quotes": "quotes",
    "document_id": "document",
}


def _print(table: Table, fmt: Format, *, money_columns: tuple[str, ...] = ("value_sek",)) -> None:
    if fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([["" if v is None else cell_text(v) for v in row] for row in table.rows])
    elif fmt is Format.json:
        sys.stdout.write(json.dumps(table.records(), ensure_ascii=False, indent=2) + "\n")
    else:
        shown = [c for c in table.columns if not table.display or c in table.display]
        index = [table.columns.index(c) for c in shown]
        view = RichTable(title=table.title, caption=f"{len(table.rows)} rows")
        for col in shown:
            numeric = col in money_columns or col in ("year", "n_sources", "n_conflicting", "documents")
            header = TERMINAL_HEADERS.get(col, col)
            view.add_column(header, justify="right" if numeric else "left", no_wrap=col in money_columns)
        for row in table.rows:
            cells = []
            for col, i in zip(shown, index, strict=True):
                v = row[i]
                if v is None or v == "" or v is False:
                    cells.append("")
                elif v is True:
                    cells.append("yes")
                elif col in money_columns and isinstance(v, (int, float)):
                    cells.append(sek(v))
                else:
                    cells.append(str(cell_text(v)))
            view.add_row(*cells)
        out.print(view)


def _sort(table: Table, column: str) -> Table:
    """Numbers largest first, text alphabetically, empty cells last."""
    if column not in table.columns:
        raise ReportError(f"cannot sort by {column!r}: columns are {', '.join(table.columns)}")
    i = table.columns.index(column)

    def key(row: list[Any]):
        v = row[i]
        if v is None or v == "":
            return (2, 0, "")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return (0, -v, "")
        return (1, 0, str(v).casefold())

    return Table(table.name, table.title, table.columns, sorted(table.rows, key=key))


@compare_app.command("amounts")
def compare_amounts(
    fmt: FormatOption = Format.table,
    status: StatusOption = None,
    municipalities: MunicipalitiesOption = None,
    year_from: FromOption = None,
    year_to: ToOption = None,
    which: Annotated[
        MoneyTableName,
        typer.Option(
            "--table",
            help="municipal: per municipality and year; national: the programme as a whole; "
            "periods: totals over several years; unplaced: sums without recipient or year.",
        ),
    ] = MoneyTableName.municipal,
    per_inhabitant: Annotated[
        Optional[str], typer.Option("--per-inhabitant", help="Indicator to divide by (e.g. population).")
    ] = None,
    indicators: Annotated[
        Optional[list[str]], typer.Option("--indicator", help="Add an indicator as a column (repeatable).")
    ] = None,
    sort: Annotated[Optional[str], typer.Option("--sort", help="Sort by a column or an added indicator.")] = None,
    db: DbOption = None,
) -> None:
    """Sums per municipality and year: the consensus of canonical documents, with disagreements counted."""
    from reports.indicators import load_indicator
    from reports.money import money_tables, unplaced_amounts
    from reports.tables import money_table, national_table, periods_table, unplaced_table

    conn = open_corpus(db)
    scope = _scope(conn, municipalities, year_from, year_to, status)
    if which is MoneyTableName.unplaced:
        table = unplaced_table(unplaced_amounts(conn.conn, scope))
    else:
        with _progress() as progress:
            progress.add_task("Computing the money table")
            tables = money_tables(conn.conn, scope)
        if which is MoneyTableName.national:
            table = national_table(tables.national)
        elif which is MoneyTableName.periods:
            table = periods_table(tables.periods)
        else:
            per = load_indicator(conn, per_inhabitant) if per_inhabitant else None
            extra = tuple(load_indicator(conn, name) for name in indicators or [])
            table = money_table(tables.municipal, per_inhabitant=per, indicators=extra)
            if fmt is Format.table:
                notes = [
                    f"{len(tables.national)} national rows (--table national)",
                    f"{len(tables.periods)} period totals (--table periods)",
                ]
                table.title += "\nalso: " + ", ".join(notes) + ", sums without recipient or year (--table unplaced)"
    if sort:
        table = _sort(table, sort)
    _print(table, fmt, money_columns=("value_sek", "sek_per_inhabitant"))


@compare_app.command("measures")
def compare_measures(
    fmt: FormatOption = Format.table,
    municipalities: MunicipalitiesOption = None,
    year_from: FromOption = None,
    year_to: ToOption = None,
    db: DbOption = None,
) -> None:
    """Measure categories per municipality: in how many releases each area is named."""
    from reports.measures import measure_table
    from reports.tables import measures_table

    conn = open_corpus(db)
    scope = _scope(conn, municipalities, year_from, year_to)
    _print(measures_table(measure_table(conn.conn, scope)), fmt, money_columns=())


@compare_app.command("people")
def compare_people(
    fmt: FormatOption = Format.table,
    municipalities: MunicipalitiesOption = None,
    year_from: FromOption = None,
    year_to: ToOption = None,
    quoted_only: Annotated[bool, typer.Option("--quoted-only", help="Only people with a quotation.")] = False,
    db: DbOption = None,
) -> None:
    """People named in each municipality's releases, with party, role and quotations."""
    from reports.people import people_table
    from reports.tables import people_table as people_rows

    conn = open_corpus(db)
    scope = _scope(conn, municipalities, year_from, year_to)
    _print(people_rows(people_table(conn.conn, scope, quoted_only=quoted_only)), fmt, money_columns=())


def _progress() -> Progress:
    """A spinner on stderr with the current step; silent when stderr is not a terminal."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def report(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for report.html, the CSV files and the workbook.")
    ] = Path("kommunpress-report"),
    municipalities: MunicipalitiesOption = None,
    year_from: FromOption = None,
    year_to: ToOption = None,
    status: StatusOption = None,
    per_inhabitant: Annotated[
        Optional[str],
        typer.Option("--per-inhabitant", help="Indicator to divide sums by (default: an imported population)."),
    ] = None,
    colour_by: Annotated[
        Optional[str], typer.Option("--colour-by", help="Colour municipalities by an indicator.")
    ] = None,
    sort_by: Annotated[
        Optional[str], typer.Option("--sort-by", help="Order municipalities by an indicator (largest first).")
    ] = None,
    quoted_only: Annotated[bool, typer.Option("--quoted-only", help="People: only those with a quotation.")] = False,
    db: DbOption = None,
) -> None:
    """Write a self-contained HTML report (opens offline), CSV tables, an XLSX workbook and SVG charts."""
    from reports.build import ReportOptions, build_report
    from reports.output import HTML_NAME, write_report

    conn = open_corpus(db)
    scope = _scope(conn, municipalities, year_from, year_to, status)
    options = ReportOptions(
        per_inhabitant=per_inhabitant, colour_by=colour_by, sort_by=sort_by, quoted_only=quoted_only
    )
    with _progress() as progress:
        task = progress.add_task("Reading the corpus")

        def step(name: str) -> None:
            progress.update(task, description=name)

        built = build_report(conn.conn, scope, options, corpus_name=str(corpus.db_path(db)), progress=step)
        files = write_report(built, out_dir, progress=step)
    out.print(
        f"Report written to [bold]{out_dir / HTML_NAME}[/]: {len(built.money.municipal)} municipal rows "
        f"({sum(1 for r in built.money.municipal if r.n_conflicting)} with disagreeing documents), "
        f"{len(built.money.national)} national, {len(built.money.periods)} period totals, "
        f"{sum(u.n_mentions for u in built.unplaced)} unplaced sums; "
        f"{len(files) - 1} more files (CSV, XLSX, SVG) beside it.",
        highlight=False,
    )


@indicators_app.command("import")
def indicators_import(
    file: Annotated[Path, typer.Argument(help="CSV with a kommunkod column (SCB, Kolada, Delmos or your own).")],
    name: Annotated[
        Optional[str], typer.Option("--name", help="Indicator name for a file with one value column.")
    ] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Year of the values, for a file without one.")] = None,
    db: DbOption = None,
) -> None:
    """Store a CSV's columns as indicators per municipality and year (importing again replaces values)."""
    from reports.indicator_csv import MAX_REPORTED, parse_indicator_csv

    conn = open_corpus(db)
    known = {r[0] for r in conn.execute("SELECT code FROM municipalities")}
    parsed = parse_indicator_csv(file, known, name=name, year=year)
    stored = store_indicators(conn, parsed.values, source=file.name)
    for problem in parsed.problems[:MAX_REPORTED]:
        err.print(f"[yellow]not stored[/] {problem}", highlight=False)
    if len(parsed.problems) > MAX_REPORTED:
        err.print(f"[yellow]not stored[/] … and {len(parsed.problems) - MAX_REPORTED} more rows", highlight=False)
    missing = f"; {parsed.missing} cells marked missing" if parsed.missing else ""
    out.print(
        f"Stored {stored} values of {len(parsed.names)} indicator(s) ({', '.join(parsed.names) or 'none'}) "
        f"from {file.name}{missing}; {len(parsed.problems)} rows not stored",
        highlight=False,
    )
    if parsed.problems:
        raise typer.Exit(1)


@indicators_app.command("list")
def indicators_list(db: DbOption = None) -> None:
    """The indicators in the corpus, with the municipalities and years they cover."""
    conn = open_corpus(db)
    summaries = indicator_summaries(conn)
    if not summaries:
        out.print("No indicators yet: kommunpress indicators import FILE.csv")
        return
    view = RichTable("name", "municipalities", "years", "kind", "source", title="Indicators")
    for s in summaries:
        years = "no year" if s.first_year is None else f"{s.first_year}–{s.last_year}"
        view.add_row(s.name, str(s.municipalities), years, "number" if s.numeric else "text", s.sources)
    out.print(view)


def serve(
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port on 127.0.0.1.")] = 8001,
    db: DbOption = None,
) -> None:
    """Browse the corpus in Datasette on 127.0.0.1, with the comparisons as canned queries."""
    from reports.serve import HOST
    from reports.serve import serve as run_datasette

    path = corpus.db_path(db)
    open_corpus(path).close()  # migrate an older file before Datasette opens it read-only
    out.print(f"Datasette on http://{HOST}:{port}/{path.stem} (canned queries: money_table, ...); Ctrl-C stops it")
    with contextlib.suppress(KeyboardInterrupt):
        run_datasette(path, port)


def register(app: typer.Typer) -> None:
    app.add_typer(compare_app, name="compare")
    app.command()(report)
    app.add_typer(indicators_app, name="indicators")
    app.command()(serve)
