"""Search quality: recall@10 of keyword-only, vector-only and hybrid search on the annotated documents.

Queries and the sentences each should find: tests/data/retrieval.jsonl (over
tests/data/gold/docs). The suite asserts hybrid >= keyword-only; this prints the figures,
overall and per kind of query (by meaning, by keyword, by name).

    .venv/bin/python benchmarks/retrieval.py [--model NAME] [--vector-weight W]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from search_support import add_documents, embed_all, gold_documents, load_queries, recall_at_k  # noqa: E402

from corpus.search import VECTOR_WEIGHT, Mode, SentenceIndex  # noqa: E402
from kommunpress.common import open_corpus  # noqa: E402
from nlp.embeddings import configured_model, load_embedder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="embedding model (default: the configured one)")
    parser.add_argument("--vector-weight", type=float, default=VECTOR_WEIGHT)
    args = parser.parse_args()
    embedder = load_embedder(configured_model(args.model))
    with tempfile.TemporaryDirectory() as tmp:
        db = open_corpus(Path(tmp) / "retrieval.db", create=True)
        ids = add_documents(db, gold_documents())
        embed_all(db, embedder)
        queries = load_queries(db, ids)
        index = SentenceIndex.load(db)
        print(
            f"{len(queries)} queries over {len(ids)} documents, model {embedder.name}, "
            f"vector weight {args.vector_weight}"
        )
        for mode in Mode:
            mean, per_query = recall_at_k(db, index, embedder, queries, mode, vector_weight=args.vector_weight)
            kinds: dict[str, list[float]] = defaultdict(list)
            for q in queries:
                kinds[q.kind].append(per_query[q.query])
            detail = ", ".join(f"{k} {sum(v) / len(v):.3f} ({len(v)})" for k, v in sorted(kinds.items()))
            print(f"recall@10 {mode.value:7s} {mean:.3f}   by kind: {detail}")
        db.close()


if __name__ == "__main__":
    main()
