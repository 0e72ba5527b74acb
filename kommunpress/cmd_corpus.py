"""Commands on the corpus itself: init, import, stats, query."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import Progress
from rich.table import Table

import corpus
from corpus.documents import Document, document_count, save_document
from corpus.municipalities import resolve_municipality
from corpus.query import run_query
from corpus.stats import documents_per_municipality_year
from crawler.localfiles import InputFileError, expand_paths, read_document_file
from kommunpress.common import DbOption, err, open_corpus, out


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def init(db: DbOption = None) -> None:
    """Create the corpus file (or check an existing one) with all 290 municipalities."""
    path = corpus.db_path(db)
    existed = path.exists() and path.stat().st_size > 0
    conn = open_corpus(path, create=True)
    n = document_count(conn)
    state = "ready" if existed else "created"
    out.print(f"Corpus {state}: {path} (schema v{corpus.SCHEMA_VERSION}, 290 municipalities, {n} documents)")


def import_files(
    paths: Annotated[list[Path], typer.Argument(help=".txt or .html files, or folders holding them.")],
    municipality: Annotated[
        Optional[str],
        typer.Option("--municipality", "-m", help="Code or name of the municipality these files are from."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Add your own .txt and .html files as documents (importing a file again adds nothing)."""
    conn = open_corpus(db, create=True)
    code = resolve_municipality(conn, municipality) if municipality else None
    files = expand_paths(paths)
    outcomes: Counter[str] = Counter()
    problems: list[str] = []
    with Progress(console=err, transient=True, disable=len(files) < 20) as progress:
        task = progress.add_task("Importing", total=len(files))
        for f in files:
            try:
                local = read_document_file(f)
            except InputFileError as e:
                problems.append(str(e))
                outcomes["skipped"] += 1
            else:
                doc = Document(
                    url=local.url,
                    text=local.text,
                    title=local.title,
                    source="import",
                    municipality_code=code,
                    published=local.published,
                    language=local.language,
                    html=local.html,
                )
                _id, outcome = save_document(conn, doc, skip_same_content=True)
                outcomes[outcome] += 1
            progress.advance(task)
    for p in problems:
        err.print(f"[yellow]skipped[/] {p}", highlight=False)
    summary = ", ".join(f"{n} {k}" for k, n in outcomes.items() if n) or "nothing to import"
    out.print(f"{summary}; the corpus now holds {document_count(conn)} documents")
    if problems:
        raise typer.Exit(1)


def stats(db: DbOption = None) -> None:
    """Documents per municipality and year."""
    conn = open_corpus(db)
    rows = documents_per_municipality_year(conn)
    years = sorted({r.year for r in rows if r.year})
    has_unknown_year = any(r.year is None for r in rows)
    grid: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        label = f"{r.municipality} ({r.municipality_code})" if r.municipality_code else "unknown"
        grid[label][r.year or "?"] += r.documents
    table = Table(title=f"Documents in {corpus.db_path(db)}")
    table.add_column("Municipality")
    columns = years + (["?"] if has_unknown_year else [])
    for y in columns:
        table.add_column("no year" if y == "?" else y, justify="right")
    table.add_column("Total", justify="right", style="bold")
    for label, counts in grid.items():
        table.add_row(label, *[str(counts[y] or "") for y in columns], str(sum(counts.values())))
    total = Counter()
    for counts in grid.values():
        total.update(counts)
    table.add_section()
    table.add_row("All", *[str(total[y] or "") for y in columns], str(sum(total.values())), style="bold")
    out.print(table)


def _cell(value) -> str | int | float | None:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def query(
    sql: Annotated[str, typer.Argument(help="One SQL SELECT statement.")],
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")] = QueryFormat.table,
    db: DbOption = None,
) -> None:
    """Run a read-only SQL query on the corpus (writes are refused)."""
    conn = corpus.open_readonly(db)
    try:
        columns, rows = run_query(conn, sql)
    finally:
        conn.close()
    rows = [[_cell(v) for v in row] for row in rows]
    if fmt is QueryFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt is QueryFormat.json:
        records = [dict(zip(columns, r, strict=True)) for r in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(*columns, caption=f"{len(rows)} row{'' if len(rows) == 1 else 's'}")
        for r in rows:
            table.add_row(*["" if v is None else str(v) for v in r])
        out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command("import")(import_files)
    app.command()(stats)
    app.command()(query)
