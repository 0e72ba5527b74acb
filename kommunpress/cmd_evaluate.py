"""`kommunpress evaluate`: how well the analyser does on a researcher's own annotated sample."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kommunpress.cmd_nlp import ConfigOption, read_inputs, run_analyser
from kommunpress.common import err, out
from nlp.evaluate import evaluate as score_records
from nlp.evaluate import load_records


class EvaluateFormat(StrEnum):
    table = "table"
    json = "json"


def evaluate(
    gold: Annotated[Path, typer.Argument(help="Your annotations: JSONL in the shape of docs/annotation-guide.md.")],
    files: Annotated[list[Path], typer.Argument(help="The annotated texts (.txt/.html); the id is the file name.")],
    fmt: Annotated[EvaluateFormat, typer.Option("--format", "-f")] = EvaluateFormat.table,
    disagreements: Annotated[bool, typer.Option(help="List every disagreement with the gold.")] = True,
    config: ConfigOption = None,
) -> None:
    """Run the analyser on FILES and score it against GOLD: precision, recall, F1, accuracies."""
    gold_records = load_records(gold)
    items, skipped = read_inputs(files)
    predicted = {item.id: record for item, record in run_analyser(items, config)}
    unannotated = sorted(set(predicted) - set(gold_records))
    missing = sorted(set(gold_records) - set(predicted))
    if unannotated:
        err.print(f"not scored (no gold record): {', '.join(unannotated)}", highlight=False)
    if missing:
        err.print(f"scored as all misses (no file analysed): {', '.join(missing)}", highlight=False)
    result = score_records(gold_records, predicted)
    figures = result.figures()
    if fmt is EvaluateFormat.json:
        payload = {"figures": figures, "documents": len(gold_records)}
        if disagreements:
            payload["disagreements"] = result.disagreements
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table("field", "precision", "recall", "F1", "n", title=f"{len(gold_records)} annotated documents")
        for name, counts in result.fields.items():
            table.add_row(
                name, f"{counts.precision:.3f}", f"{counts.recall:.3f}", f"{counts.f1:.3f}", str(counts.tp + counts.fn)
            )
        out.print(table)
        accuracies = Table("attribute", "accuracy", "n")
        for name, accuracy in sorted(result.attributes.items()):
            accuracies.add_row(name, f"{accuracy.value:.3f}", str(accuracy.n))
        out.print(accuracies)
        if disagreements and result.disagreements:
            out.print(f"[bold]Disagreements ({len(result.disagreements)})[/]")
            for line in result.disagreements:
                out.print(f"  {line}", highlight=False, soft_wrap=True)
    if skipped:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(evaluate)
