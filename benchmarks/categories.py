"""Do embeddings raise the categories F1 of the measure rules? Prints both figures.

The rule component (kp_measures) decides each document's categories. The embedding
fallback (nlp.categories) looks at the sentences where the rules found no measure and
adds a category when a sentence is clearly close to that category's descriptions and
examples. Scored with the project's scorer on the annotated documents (tests/data/gold)
and the seeds, at several similarity thresholds.

    .venv/bin/python benchmarks/categories.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from nlp_eval import GOLD, SEEDS, _scorer, load_gold  # noqa: E402

from nlp.analyze import Input, analyze_many  # noqa: E402
from nlp.categories import Prototypes, categorise_by_embeddings  # noqa: E402
from nlp.embeddings import load_embedder  # noqa: E402

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7)
MIN_WORDS = 4


def predictions(gold_path: Path, docs_dir: Path) -> dict[str, dict]:
    gold = load_gold(gold_path)
    items = [Input((docs_dir / f"{i}.txt").read_text(encoding="utf-8"), id=i) for i in gold]
    return {item.id: record for item, record in analyze_many(items, with_sentences=True)}


def unsure_sentences(record: dict) -> list[str]:
    """Sentences where the rules found no measure."""
    with_measure = {m["sentence"] for m in record.get("measures", [])}
    return [
        s["text"]
        for s in record["sentences"]
        if s["sentence"] not in with_measure and len(s["text"].split()) >= MIN_WORDS
    ]


def categories_f1(gold: dict, predicted: dict) -> float:
    figures, _ = _scorer().score(gold, predicted)
    return figures.get("categories.f1", 0.0)


def main() -> None:
    embedder = load_embedder()
    prototypes = Prototypes.build(embedder.encode)
    for name, (gold_path, docs_dir) in {"gold": GOLD, "seeds": SEEDS}.items():
        if not gold_path.exists():
            continue
        gold = load_gold(gold_path)
        predicted = predictions(gold_path, docs_dir)
        print(f"{name} ({len(gold)} documents): rules only, categories F1 {categories_f1(gold, predicted):.3f}")
        for threshold in THRESHOLDS:
            augmented = {
                doc_id: {
                    **record,
                    "categories": categorise_by_embeddings(
                        unsure_sentences(record), record["categories"], embedder.encode, prototypes, threshold=threshold
                    ),
                }
                for doc_id, record in predicted.items()
            }
            print(f"  + embeddings at cosine >= {threshold}: categories F1 {categories_f1(gold, augmented):.3f}")


if __name__ == "__main__":
    main()
