"""Shared set-up for the search tests and benchmarks: small corpora with sentences, and recall@k.

Sentences come from the analyser's own sentence splitter (kp_sentences) alone, so
these tests measure search, not the other components of the pipeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import spacy
import sqlite_utils

import nlp.components  # noqa: F401 - registers kp_sentences
from corpus.documents import Document, save_document
from corpus.extractions import finish_run, start_run, store_analysis
from corpus.search import VECTOR_WEIGHT, Filters, Mode, SentenceIndex, search, vocabulary
from corpus.vectors import fill_sentence_vectors
from nlp.embeddings import Embedder
from nlp.keywords import match_expressions

ROOT = Path(__file__).resolve().parents[1]
GOLD_DOCS = ROOT / "tests" / "data" / "gold" / "docs"
RETRIEVAL = ROOT / "tests" / "data" / "retrieval.jsonl"


@cache
def splitter():
    nlp = spacy.blank("sv")
    nlp.add_pipe("kp_sentences")
    return nlp


def sentences_of(text: str) -> list[dict]:
    doc = splitter()(text)
    return [{"sentence": i, "start": s.start_char, "end": s.end_char, "text": s.text} for i, s in enumerate(doc.sents)]


def add_documents(db: sqlite_utils.Database, docs: list[dict]) -> dict[str, int]:
    """Store documents with their sentences (and optional measures/categories); returns {key: document id}.

    Each doc: key, text, and optionally url, municipality_code, published, measures, categories.
    """
    run_id = start_run(db, "test", "sentences-only")
    ids: dict[str, int] = {}
    for d in docs:
        doc_id, _ = save_document(
            db,
            Document(
                url=d.get("url") or f"https://example.org/{d['key']}",
                text=d["text"],
                municipality_code=d.get("municipality_code"),
                published=d.get("published"),
            ),
        )
        record = {
            "sentences": sentences_of(d["text"]),
            "measures": d.get("measures", []),
            "categories": d.get("categories", []),
            "published": d.get("published"),
            "municipality": d.get("municipality_code"),
        }
        row = db.execute("SELECT content_hash FROM documents WHERE id = ?", [doc_id]).fetchone()
        store_analysis(db, doc_id, run_id, row[0], record)
        ids[d["key"]] = doc_id
    finish_run(db, run_id, len(docs))
    return ids


def gold_documents() -> list[dict]:
    return [{"key": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(GOLD_DOCS.glob("*.txt"))]


def embed_all(db: sqlite_utils.Database, embedder: Embedder) -> None:
    fill_sentence_vectors(db, embedder.name, embedder.encode)


@dataclass
class Query:
    query: str
    kind: str
    relevant: list[tuple[int, int]]  # (document id, sentence)


def load_queries(db: sqlite_utils.Database, ids: dict[str, int], path: Path = RETRIEVAL) -> list[Query]:
    """The retrieval set, each relevant sentence resolved; a 'contains' not in exactly one sentence fails."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        relevant = []
        for rel in item["relevant"]:
            doc_id = ids[rel["doc"]]
            rows = db.execute(
                "SELECT sentence FROM sentences WHERE document_id = ? AND instr(replace(text, char(160), ' '), ?) > 0",
                [doc_id, rel["contains"]],
            ).fetchall()
            if len(rows) != 1:
                raise AssertionError(f"{rel} matches {len(rows)} sentences, not one")
            relevant.append((doc_id, rows[0][0]))
        queries.append(Query(item["query"], item.get("kind", "meaning"), relevant))
    return queries


def recall_at_k(
    db: sqlite_utils.Database,
    index: SentenceIndex,
    embedder: Embedder,
    queries: list[Query],
    mode: Mode,
    k: int = 10,
    vector_weight: float = VECTOR_WEIGHT,
) -> tuple[float, dict[str, float]]:
    """Mean recall@k over queries, and per query."""
    vocab = vocabulary(db)
    vectors = embedder.encode_queries([q.query for q in queries])
    per_query: dict[str, float] = {}
    for q, vector in zip(queries, vectors, strict=True):
        hits = search(
            db,
            match=match_expressions(q.query, vocab),
            query_vector=vector,
            index=index,
            filters=Filters(include_copies=True),
            k=k,
            mode=mode,
            vector_weight=vector_weight,
        )
        found = {(h.document_id, h.sentence) for h in hits}
        per_query[q.query] = len(found & set(q.relevant)) / len(q.relevant)
    return sum(per_query.values()) / len(per_query), per_query
