"""Scoring the analyser on a gold set, for the quality tests of every NLP component.

A gold set is a JSONL file in the shape of tests/data/SCHEMA.md plus a folder of
the texts it annotates (<id>.txt). The scorer is the project's own score.py,
loaded from tests/tools, so the suite and `python3 score.py` agree by construction.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from conftest import DATA, ROOT, SCORER

SEEDS = (DATA / "seeds.gold.jsonl", ROOT / "corpus" / "sample" / "seeds")
GOLD = (DATA / "gold" / "gold.jsonl", DATA / "gold" / "docs")

# The floors of issue 3, held on the seeds and on our own annotated documents.
FLOORS = {
    "amounts.f1": 1.0,
    "amounts.period": 0.9,
    "amounts.per_year": 0.9,
    "amounts.recipient": 0.9,
    "amounts.qualifier": 0.9,
    "amounts.status": 0.9,
    "amounts.tentative": 0.85,
    "persons.f1": 0.95,
    "persons.party": 1.0,
    "persons.role": 0.9,
    "organizations.f1": 0.9,
    "municipalities.f1": 1.0,
    "categories.f1": 0.85,
    "municipality": 1.0,
    "published": 1.0,
}


@cache
def _scorer():
    spec = importlib.util.spec_from_file_location("kp_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_gold(gold_path: Path) -> dict[str, dict]:
    return _scorer().load(str(gold_path))


def predict(gold_path: Path, docs_dir: Path) -> dict[str, dict]:
    """Run the analyser on every document the gold file names."""
    from nlp.analyze import Input, analyze_many

    gold = load_gold(gold_path)
    items = [Input((docs_dir / f"{doc_id}.txt").read_text(encoding="utf-8"), id=doc_id) for doc_id in gold]
    return {item.id: record for item, record in analyze_many(items)}


def score(gold_path: Path, docs_dir: Path) -> tuple[dict, list[str]]:
    """(figures, disagreements) exactly as score.py computes them."""
    return _scorer().score(load_gold(gold_path), predict(gold_path, docs_dir))


def below_floors(figures: dict, fields: list[str]) -> dict[str, tuple[float, float]]:
    """The given fields whose figure is under its floor: {field: (figure, floor)}."""
    return {f: (figures.get(f, 0.0), FLOORS[f]) for f in fields if figures.get(f, 0.0) < FLOORS[f]}


def write_predictions(predictions: dict[str, dict], path: Path) -> None:
    """JSONL for `python3 tests/tools/score.py GOLD PRED --show-errors` when debugging."""
    with path.open("w", encoding="utf-8") as f:
        for record in predictions.values():
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
