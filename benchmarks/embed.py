"""Embedding speed and search latency of kommunpress on this machine.

Prints:
- sentences per second for the default model (real sentences of the bundled and
  annotated releases, batch size 64, CPU);
- the time to build the in-memory index from 100,000 stored sentence vectors
  (read from the corpus file into one float32 matrix), the time to read the
  keyword vocabulary, and the per-query latency of vector, keyword and hybrid
  search over them (target: under 200 ms per query).

The 100,000 stored sentences are real sentences with a running number appended, so
the keyword index has a realistic vocabulary; their vectors are random unit vectors
(search cost does not depend on what the vectors say, and embedding 100,000 sentences
would take this benchmark most of an hour).

    .venv/bin/python benchmarks/embed.py [--sentences 100000] [--queries 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import numpy as np  # noqa: E402
from search_support import gold_documents, sentences_of  # noqa: E402

from corpus.documents import content_hash  # noqa: E402
from corpus.search import Filters, Mode, SentenceIndex, search, vocabulary  # noqa: E402
from corpus.vectors import store_vectors  # noqa: E402
from kommunpress.common import open_corpus  # noqa: E402
from nlp.embeddings import DEFAULT_MODEL, load_embedder  # noqa: E402
from nlp.keywords import match_expressions  # noqa: E402

QUERIES = [
    "kamerabevakning",
    "sommarjobb för ungdomar",
    "läxhjälp",
    "hur fördelas pengarna mellan kommunerna",
    "stöd till föräldrar",
    "trygghetsvandringar",
    "forskare ska utvärdera insatserna",
    "civilminister Anders Wikström",
    "få fler att rösta i valet",
    "renovering av lägenheter",
]


def real_sentences() -> list[str]:
    texts = [d["text"] for d in gold_documents()]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "sample" / "seeds").glob("*.txt"))]
    return [s["text"].strip() for t in texts for s in sentences_of(t) if len(s["text"].split()) >= 4]


def throughput(embedder, sentences: list[str], n: int) -> float:
    sample = (sentences * (n // len(sentences) + 1))[:n]
    sample = [f"{s} ({i})" for i, s in enumerate(sample)]  # distinct texts
    embedder.encode(sample[:64])  # warm-up
    start = time.perf_counter()
    embedder.encode(sample)
    return n / (time.perf_counter() - start)


def build_corpus(path: Path, sentences: list[str], n: int, dimension: int) -> None:
    """n stored sentences in documents of 20, with random unit vectors of the default model."""
    db = open_corpus(path, create=True)
    rng = np.random.default_rng(0)
    per_doc = 20
    with db.atomic():
        run = db["extraction_runs"].insert({"pipeline_version": "bench", "config_hash": "-", "started": "-"}).last_pk
        for d in range(n // per_doc):
            texts = [f"{sentences[(d * per_doc + i) % len(sentences)]} Nr {d}-{i}." for i in range(per_doc)]
            doc_id = (
                db["documents"]
                .insert({"url": f"https://example.org/{d}", "text": " ".join(texts), "content_hash": str(d)})
                .last_pk
            )
            db["analyses"].insert({"document_id": doc_id, "run_id": run, "content_hash": str(d)})
            db["sentences"].insert_all(
                {"document_id": doc_id, "sentence": i, "start_char": 0, "end_char": 0, "text": t}
                for i, t in enumerate(texts)
            )
            hashes = [content_hash(t) for t in texts]
            vectors = rng.standard_normal((per_doc, dimension)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            store_vectors(db, DEFAULT_MODEL, hashes, vectors)
            db.conn.executemany(
                "INSERT INTO sentence_vectors (document_id, sentence, model, text_hash, words) VALUES (?, ?, ?, ?, ?)",
                [(doc_id, i, DEFAULT_MODEL, h, 10) for i, h in enumerate(hashes)],
            )
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--embed", type=int, default=2000, help="sentences to embed for the throughput figure")
    parser.add_argument("--db", type=Path, help="keep the benchmark corpus here (reused when it exists)")
    args = parser.parse_args()

    start = time.perf_counter()
    embedder = load_embedder()
    print(f"model: {embedder.name} ({embedder.dimension} dimensions), loaded in {time.perf_counter() - start:.1f} s")
    sentences = real_sentences()
    rate = throughput(embedder, sentences, args.embed)
    print(f"embedding: {rate:.0f} sentences/s ({args.embed} sentences, batch {embedder.batch_size}, CPU)")

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        if not path.exists():
            start = time.perf_counter()
            build_corpus(path, sentences, args.sentences, embedder.dimension)
            print(f"corpus: {args.sentences} stored sentences written in {time.perf_counter() - start:.1f} s")
        db = open_corpus(path)
        start = time.perf_counter()
        index = SentenceIndex.load(db)
        build = time.perf_counter() - start
        print(f"index build: {build * 1000:.0f} ms for {len(index)} vectors ({index.matrix.nbytes / 1e6:.0f} MB)")
        start = time.perf_counter()
        vocab = vocabulary(db)
        print(f"keyword vocabulary: {len(vocab)} words read in {(time.perf_counter() - start) * 1000:.0f} ms")
        queries = (QUERIES * (args.queries // len(QUERIES) + 1))[: args.queries]
        for mode in Mode:
            times = []
            for q in queries:
                t0 = time.perf_counter()
                qv = embedder.encode_queries([q])[0] if mode is not Mode.keyword else None
                search(
                    db,
                    match=match_expressions(q, vocab),
                    query_vector=qv,
                    index=index,
                    filters=Filters(),
                    k=20,
                    mode=mode,
                )
                times.append((time.perf_counter() - t0) * 1000)
            p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"query latency, {mode.value:7s}: median {statistics.median(times):.0f} ms, "
                f"p95 {p95:.0f} ms, max {max(times):.0f} ms (query embedding included)"
            )
        db.close()


if __name__ == "__main__":
    main()
