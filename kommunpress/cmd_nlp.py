"""Commands that run the analyser: analyze (files -> JSON lines) and extract (corpus -> findings)."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from corpus.extractions import finish_run, pending_documents, start_run, store_analysis
from crawler.localfiles import InputFileError, expand_paths, read_document_file
from kommunpress.common import DbOption, err, open_corpus, out

ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config", envvar="KOMMUNPRESS_NLP_CONFIG", help="spaCy config of the pipeline (default: nlp/config.cfg)."
    ),
]


class AnalyzeFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def default_processes(n_items: int) -> int:
    """Two processes pay off only when there is enough work to cover their start-up."""
    return min(os.cpu_count() or 1, 2) if n_items >= 200 else 1


def _print_table(record: dict) -> None:
    out.rule(
        f"[bold]{record['id']}[/]  municipality {record['municipality'] or '–'}  published {record['published'] or '–'}"
    )
    if record["amounts"]:
        t = Table("text", "SEK", "period", "per year", "recipient", "qualifier", "status", "tentative", title="Amounts")
        for a in record["amounts"]:
            period = "–".join(str(y) for y in dict.fromkeys([a.get("year_start"), a.get("year_end")]) if y) or ""
            t.add_row(
                a["text"],
                f"{a['value_sek']:,}".replace(",", " "),
                period,
                "yes" if a.get("per_year") else "",
                str(a.get("recipient") or ""),
                str(a.get("qualifier") or ""),
                str(a.get("status") or ""),
                "yes" if a.get("tentative") else "",
            )
        out.print(t)
    if record["persons"]:
        t = Table("name", "party", "role", title="People")
        for p in record["persons"]:
            t.add_row(p["name"], p.get("party") or "", p.get("role") or "")
        out.print(t)
    if record["organizations"]:
        out.print("Organisations: " + "; ".join(o["name"] for o in record["organizations"]))
    out.print(f"Municipalities: {', '.join(record['municipalities']) or '–'}")
    out.print(f"Categories: {', '.join(record['categories']) or '–'}")


def read_inputs(files: list[Path]) -> tuple[list, int]:
    """Analyser inputs from files (HTML reduced to main text), and how many were skipped.

    Each skipped file (empty, binary, unreadable, not Swedish) is reported on stderr.
    """
    from crawler.language import detect_language
    from nlp.analyze import Input

    items: list[Input] = []
    skipped = 0
    for f in expand_paths(files):
        try:
            local = read_document_file(f)
        except InputFileError as e:
            err.print(f"[yellow]skipped[/] {e}", highlight=False)
            skipped += 1
            continue
        language = local.language or detect_language(local.text)
        if language not in (None, "sv"):
            err.print(f"[yellow]skipped[/] {f}: is not Swedish (looks like '{language}')", highlight=False)
            skipped += 1
            continue
        items.append(Input(local.text, id=f.stem, published=local.published))
    return items, skipped


def run_analyser(items: list, config: Path | None):
    """(input, record) pairs with a progress bar on stderr."""
    from nlp.analyze import analyze_many
    from nlp.pipeline import load

    if not items:
        return
    nlp = load(config)
    with progress_bar() as progress:
        task = progress.add_task("Analysing", total=len(items)) if len(items) > 1 else None
        for pair in analyze_many(items, nlp=nlp, n_process=default_processes(len(items))):
            yield pair
            if task is not None:
                progress.advance(task)


def analyze(
    files: Annotated[list[Path], typer.Argument(help=".txt or .html files, or folders holding them.")],
    fmt: Annotated[
        AnalyzeFormat, typer.Option("--format", "-f", help="jsonl: one SCHEMA record per line.")
    ] = AnalyzeFormat.jsonl,
    config: ConfigOption = None,
) -> None:
    """Analyse files and print what was found in each (no database needed)."""
    items, skipped = read_inputs(files)
    for _item, record in run_analyser(items, config):
        if fmt is AnalyzeFormat.jsonl:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            _print_table(record)
    if skipped:
        raise typer.Exit(1)


def extract(
    db: DbOption = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Re-analyse every document, not only new or changed ones.")
    ] = False,
    processes: Annotated[
        Optional[int], typer.Option("--processes", "-p", min=1, help="Worker processes (default: 2 for large batches).")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per batch.")] = 32,
    config: ConfigOption = None,
) -> None:
    """Run the analyser over the corpus and store its findings with their run."""
    from nlp.analyze import Input, analyze_many
    from nlp.pipeline import PIPELINE_VERSION, fingerprint, load

    conn = open_corpus(db)
    nlp = load(config)
    config_hash = fingerprint(nlp)
    todo = pending_documents(conn, everything=everything, config_hash=config_hash)
    if not todo:
        out.print("Nothing to extract: every document is analysed by this pipeline (use --all to redo).")
        return
    run_id = start_run(conn, PIPELINE_VERSION, config_hash)
    items = (
        Input(d.text, id=str(d.id), published=d.published, municipality=d.municipality_code, context=d) for d in todo
    )
    done = 0
    n_process = processes or default_processes(len(todo))
    with progress_bar() as progress:
        task = progress.add_task("Extracting", total=len(todo))
        for item, record in analyze_many(
            items, nlp=nlp, n_process=n_process, batch_size=batch_size, with_sentences=True
        ):
            store_analysis(conn, item.context.id, run_id, item.context.content_hash, record)
            done += 1
            progress.advance(task)
    finish_run(conn, run_id, done)
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t} WHERE run_id = ?", [run_id]).fetchone()[0]
        for t in ("amounts", "persons", "organizations", "measures")
    }
    out.print(f"Analysed {done} documents (run {run_id}): " + ", ".join(f"{n} {t}" for t, n in counts.items()))


def register(app: typer.Typer) -> None:
    app.command()(analyze)
    app.command()(extract)
