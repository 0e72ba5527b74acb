"""Stored vectors: the embedding cache and the sentence vectors of the corpus.

A vector is kept once per (model, text): the cache key is content_hash(text), so
the same sentence in three copies of a release, or a sentence that survives a
re-extraction, is embedded once. sentence_vectors says which sentence has which
vector and with which model. One corpus holds sentence vectors of one model at a
time: a query embedded by one model cannot be compared with vectors of another,
so mixing is refused (VectorModelError) until the user rebuilds.

Vectors are stored as little-endian float32 blobs, already L2-normalised. This
module does not load models: callers pass an `encode` function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from corpus.documents import content_hash
from corpus.errors import CorpusError
from corpus.transactions import write_transaction

Encode = Callable[[list[str]], np.ndarray]
SQL_CHUNK = 500  # well under SQLite's limit on bound parameters
_WORD = re.compile(r"\w+")
# Sentences shorter than this ("Kontakt", "Dela", a name, a phone number) sit close to every
# short query in vector space and say nothing; they get no vector and are left to keyword search.
MIN_WORDS = 4


class VectorModelError(CorpusError):
    """The corpus's vectors come from another model than the one asked for."""


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blobs(blobs: Sequence[bytes], dimension: int) -> np.ndarray:
    """One float32 matrix from many blobs, without a Python loop over numbers."""
    if not blobs:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), dimension).astype(np.float32, copy=False)


def _chunks(items: Sequence, size: int = SQL_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sentence_vector_models(db: sqlite_utils.Database) -> dict[str, int]:
    """How many sentence vectors each model has in this corpus (normally one model)."""
    rows = db.execute("SELECT model, count(*) FROM sentence_vectors GROUP BY model ORDER BY model").fetchall()
    return dict(rows)


def index_model(db: sqlite_utils.Database) -> str | None:
    """The model of the corpus's sentence vectors, None before the first `embed`."""
    models = sentence_vector_models(db)
    if len(models) > 1:
        raise VectorModelError(
            f"the corpus mixes sentence vectors of {', '.join(models)}: run `kommunpress embed --rebuild`"
        )
    return next(iter(models), None)


def check_model(db: sqlite_utils.Database, model: str) -> None:
    """Refuse to add vectors of `model` to a corpus whose vectors come from another model."""
    stored = index_model(db)
    if stored is not None and stored != model:
        raise VectorModelError(
            f"the corpus's sentence vectors were made with {stored}, not {model}: vectors of two models "
            f"cannot be searched together; run `kommunpress embed --rebuild --model {model}` to replace them, "
            f"or use --model {stored}"
        )


def clear_sentence_vectors(db: sqlite_utils.Database) -> int:
    """Forget which sentence has which vector (the cache stays, so going back costs nothing)."""
    with write_transaction(db):
        return db.execute("DELETE FROM sentence_vectors").rowcount


def cached_hashes(db: sqlite_utils.Database, model: str, hashes: Iterable[str]) -> set[str]:
    wanted = sorted(set(hashes))
    found: set[str] = set()
    for part in _chunks(wanted):
        marks = ",".join("?" * len(part))
        found.update(
            r[0]
            for r in db.execute(
                f"SELECT text_hash FROM embeddings WHERE model = ? AND text_hash IN ({marks})", [model, *part]
            )
        )
    return found


def missing_texts(db: sqlite_utils.Database, model: str, texts: Iterable[str]) -> list[str]:
    """The texts (each once) that the cache holds no vector of `model` for."""
    by_hash = {content_hash(t): t for t in texts}
    known = cached_hashes(db, model, by_hash)
    return [t for h, t in by_hash.items() if h not in known]


def cached_vectors(db: sqlite_utils.Database, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
    """{text_hash: vector} for the hashes the cache holds for this model."""
    wanted = sorted(set(hashes))
    out: dict[str, np.ndarray] = {}
    for part in _chunks(wanted):
        marks = ",".join("?" * len(part))
        for h, dim, blob in db.execute(
            f"SELECT text_hash, dimension, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
            [model, *part],
        ):
            out[h] = from_blobs([blob], dim)[0]
    return out


def store_vectors(db: sqlite_utils.Database, model: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
    rows = [(model, h, int(v.shape[0]), to_blob(v)) for h, v in zip(hashes, vectors, strict=True)]
    db.conn.executemany(
        "INSERT OR REPLACE INTO embeddings (model, text_hash, dimension, vector) VALUES (?, ?, ?, ?)", rows
    )


@dataclass
class FillReport:
    items: int = 0  # texts that needed a vector
    encoded: int = 0  # distinct texts the model had to embed
    from_cache: int = 0  # texts whose vector was already cached


def ensure_vectors(
    db: sqlite_utils.Database,
    model: str,
    texts: Sequence[str],
    encode: Encode,
    *,
    on_progress: Callable[[int], None] | None = None,
    chunk: int = 256,
) -> FillReport:
    """Make sure the cache holds a vector of every text; embeds only texts it lacks.

    Each chunk is committed as it is done, so an interrupted run keeps its work.
    on_progress(n) is called with the number of texts covered by each step.
    """
    by_hash: dict[str, str] = {}
    for t in texts:
        by_hash.setdefault(content_hash(t), t)
    known = cached_hashes(db, model, by_hash)
    todo = [(h, t) for h, t in by_hash.items() if h not in known]
    report = FillReport(items=len(texts), encoded=len(todo), from_cache=len(texts) - len(todo))
    if on_progress is not None and len(texts) > len(todo):
        on_progress(len(texts) - len(todo))
    for part in _chunks(todo, chunk):
        vectors = encode([t for _h, t in part])
        with write_transaction(db):
            store_vectors(db, model, [h for h, _t in part], vectors)
        if on_progress is not None:
            on_progress(len(part))
    return report


def pending_sentences(db: sqlite_utils.Database) -> list[tuple[int, int, str]]:
    """(document_id, sentence, text) of sentences without a vector yet."""
    return db.execute(
        """SELECT s.document_id, s.sentence, s.text FROM sentences s
           LEFT JOIN sentence_vectors v ON v.document_id = s.document_id AND v.sentence = s.sentence
           WHERE v.document_id IS NULL ORDER BY s.document_id, s.sentence"""
    ).fetchall()


def fill_sentence_vectors(
    db: sqlite_utils.Database,
    model: str,
    encode: Encode,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> FillReport:
    """Give every sentence of MIN_WORDS words or more a vector of `model`, embedding only texts the cache lacks.

    Every sentence gets its row in sentence_vectors (shorter ones without a vector), so
    the next run knows it has been seen.
    """
    check_model(db, model)
    pending = [(d, s, t, len(_WORD.findall(t))) for d, s, t in pending_sentences(db)]
    if on_progress is not None:
        on_progress(sum(1 for *_x, n in pending if n < MIN_WORDS))
    report = ensure_vectors(
        db, model, [t for _d, _s, t, n in pending if n >= MIN_WORDS], encode, on_progress=on_progress
    )
    with write_transaction(db):
        db.conn.executemany(
            "INSERT OR REPLACE INTO sentence_vectors (document_id, sentence, model, text_hash, words) "
            "VALUES (?, ?, ?, ?, ?)",
            [(d, s, model, content_hash(t), n) for d, s, t, n in pending],
        )
    return report


def measure_texts(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT text FROM measures ORDER BY text")]


def vector_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Sentences, sentences with a vector, and cached vectors, for `embed`'s summary."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "sentences": one("SELECT count(*) FROM sentences"),
        "sentence_vectors": one("SELECT count(*) FROM sentence_vectors"),
        "cached": one("SELECT count(*) FROM embeddings"),
    }
