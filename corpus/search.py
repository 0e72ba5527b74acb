"""Finding sentences by meaning and by keyword, and measures like a given one.

The vector side is exact search: every sentence vector of the corpus's model is
read once into one float32 matrix in memory (SentenceIndex.load; about 150 MB and
well under a second for 100,000 sentences of 384 dimensions) and a query is one
matrix-vector product. A long-lived caller (a report, a notebook, the benchmark)
loads the index once and queries it many times; the CLI loads it per call.

The keyword side is FTS5 over single sentences (sentences_fts) ranked by bm25.
Hybrid search fuses the two rankings by weighted reciprocal rank fusion (RRF): each
list gives a sentence weight / (60 + rank), so a sentence that both sides rank well
wins, and an exact name or rare word that only the keyword side finds still reaches
the top, which a weighted sum of incomparable scores (cosine vs bm25) cannot promise.

This module takes query vectors and FTS5 expressions; it never loads a model.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum

import numpy as np
import sqlite_utils

from corpus.documents import content_hash
from corpus.errors import CorpusError
from corpus.vectors import MIN_WORDS, cached_vectors, from_blobs, index_model

RRF_K = 60
# The vector ranking counts half as much as the keyword ranking by default: the bundled model
# is English and weak on Swedish, so a keyword hit should outrank a sentence that only the
# vectors like, unless both agree (see tests/data/retrieval.jsonl and README). With a strong
# Swedish model (KBLab/sentence-bert-swedish-cased) a weight of 1 is the usual choice.
VECTOR_WEIGHT = 0.5
CANDIDATES = 100  # how deep each side's ranking goes into the fusion


class Mode(StrEnum):
    hybrid = "hybrid"
    vector = "vector"
    keyword = "keyword"


@dataclass
class Filters:
    """Which documents a search looks in. municipality is a code; copies are left out unless asked."""

    municipality: str | None = None
    year: int | None = None
    category: str | None = None
    include_copies: bool = False

    @property
    def active(self) -> bool:
        return bool(self.municipality or self.year or self.category) or not self.include_copies


# A document's municipality and date: the crawler's where it knew them, else the analyser's.
# Written as joins on documents d and analyses a (not a subquery) so SQLite keeps using indexes.
DOCS = "documents d LEFT JOIN analyses a ON a.document_id = d.id"


def _join_docs(on: str) -> str:
    return f"JOIN documents d ON d.id = {on} LEFT JOIN analyses a ON a.document_id = d.id"


MUNICIPALITY = "coalesce(d.municipality_code, a.municipality_code)"
PUBLISHED = "coalesce(d.published, a.published)"


def _filter_sql(filters: Filters) -> tuple[str, list]:
    where, params = [], []
    if not filters.include_copies:
        where.append("d.duplicate_of IS NULL")
    if filters.municipality:
        where.append(f"{MUNICIPALITY} = ?")
        params.append(filters.municipality)
    if filters.year:
        where.append(f"substr({PUBLISHED}, 1, 4) = ?")
        params.append(str(filters.year))
    if filters.category:
        where.append("EXISTS (SELECT 1 FROM json_each(coalesce(a.categories, '[]')) WHERE value = ?)")
        params.append(filters.category)
    return (" AND ".join(where) or "1"), params


def allowed_documents(db: sqlite_utils.Database, filters: Filters) -> np.ndarray:
    """Ids of the documents the filters let through, sorted."""
    where, params = _filter_sql(filters)
    rows = db.execute(f"SELECT d.id FROM {DOCS} WHERE {where}", params).fetchall()
    return np.array(sorted(r[0] for r in rows), dtype=np.int64)


def _row_key(document_id, sentence):
    """One int64 per (document, sentence), for numpy set tests (works on ints and arrays alike)."""
    return document_id * (1 << 24) + sentence


@dataclass
class SentenceIndex:
    """Every sentence vector of one model as one matrix, with the (document, sentence) of each row."""

    model: str
    documents: np.ndarray  # int64, one per row
    sentences: np.ndarray  # int64, one per row
    matrix: np.ndarray = field(repr=False)  # float32 (rows, dimension), rows of unit length

    @classmethod
    def load(cls, db: sqlite_utils.Database, model: str | None = None, *, min_words: int = MIN_WORDS) -> SentenceIndex:
        """Read the corpus's sentence vectors (of its one model, or of `model`) into memory.

        Two plain scans (the vectors of the model, then which sentence has which) are
        several times faster than joining them row by row in SQL.
        """
        model = model or index_model(db)
        if not model:
            return cls("", np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 0), np.float32))
        links = db.execute(
            "SELECT document_id, sentence, text_hash FROM sentence_vectors WHERE model = ? AND words >= ? "
            "ORDER BY document_id, sentence",
            [model, min_words],
        ).fetchall()
        wanted = {h for _d, _s, h in links}
        row_of: dict[str, int] = {}
        blobs: list[bytes] = []
        dimension = 0
        for h, dim, blob in db.execute("SELECT text_hash, dimension, vector FROM embeddings WHERE model = ?", [model]):
            if h in wanted:
                row_of[h] = len(blobs)
                blobs.append(blob)
                dimension = dim
        cached = from_blobs(blobs, dimension)
        links = [link for link in links if link[2] in row_of]
        return cls(
            model=model,
            documents=np.array([d for d, _s, _h in links], dtype=np.int64),
            sentences=np.array([s for _d, s, _h in links], dtype=np.int64),
            matrix=cached[np.array([row_of[h] for _d, _s, h in links], dtype=np.int64)]
            if links
            else np.zeros((0, dimension), np.float32),
        )

    def __len__(self) -> int:
        return len(self.documents)

    def top(
        self,
        query: np.ndarray,
        k: int,
        allowed: np.ndarray | None = None,
        only: Collection[tuple[int, int]] | None = None,
    ) -> list[tuple[tuple[int, int], float]]:
        """The k rows most similar to the query vector: [((document_id, sentence), cosine)], among
        the rows of the allowed documents and, if given, only the (document_id, sentence) keys in only."""
        if len(self) == 0 or k <= 0:
            return []
        scores = self.matrix @ np.asarray(query, dtype=np.float32)
        keep = np.ones(len(self), dtype=bool)
        if allowed is not None:
            keep &= np.isin(self.documents, allowed)
        if only is not None:
            wanted = np.array([_row_key(d, s) for d, s in only], dtype=np.int64)
            keep &= np.isin(_row_key(self.documents, self.sentences), wanted)
        if not keep.all():
            scores = np.where(keep, scores, -np.inf)
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            ((int(self.documents[i]), int(self.sentences[i])), float(scores[i])) for i in best if np.isfinite(scores[i])
        ]


def vocabulary(db: sqlite_utils.Database) -> list[str]:
    """Every word in the sentence index, those in most sentences first (for compound-aware keyword queries)."""
    return [r[0] for r in db.execute("SELECT term FROM sentences_fts_vocab ORDER BY doc DESC, term")]


def keyword_hits(
    db: sqlite_utils.Database, match: str | Sequence[str], filters: Filters, limit: int = CANDIDATES
) -> list[tuple[tuple[int, int], float]]:
    """Sentences matching FTS5 expressions, best first: [((document_id, sentence), -bm25)].

    match may be several expressions in order of trust (nlp.keywords.match_expressions):
    every sentence the first one finds ranks before those only a later one finds.
    """
    where, params = _filter_sql(filters)
    sql = f"""
        SELECT s.document_id, s.sentence, bm25(sentences_fts) AS rank
        FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid
        {_join_docs("s.document_id")}
        WHERE sentences_fts MATCH ? AND {where}
        ORDER BY rank, s.document_id, s.sentence LIMIT ?
    """
    out: dict[tuple[int, int], float] = {}
    for expression in [match] if isinstance(match, str) else match:
        if len(out) >= limit:
            break
        try:
            rows = db.execute(sql, [expression, *params, limit]).fetchall()
        except sqlite3.OperationalError as e:
            raise CorpusError(f"cannot search for {expression!r}: {e}") from None
        for doc, sentence, rank in rows:
            out.setdefault((doc, sentence), -float(rank))
    return list(out.items())[:limit]


def fuse(rankings: Sequence[Sequence], weights: Sequence[float] | None = None, k: int = RRF_K) -> list[tuple]:
    """Reciprocal rank fusion: [(key, score)] over several best-first lists of keys."""
    weights = weights or [1.0] * len(rankings)
    scores: dict = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    # Ties (equal fused score) go to the earlier document and sentence, so results are stable.
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class Hit:
    """One sentence found, with what a researcher needs to cite it."""

    score: float
    document_id: int
    sentence: int
    text: str
    start_char: int
    end_char: int
    title: str | None
    url: str | None
    municipality_code: str | None
    municipality: str | None
    published: str | None
    vector_score: float | None = None  # cosine similarity to the query, when the vector side saw it
    keyword_rank: int | None = None  # position in the keyword ranking, when it matched

    def to_dict(self) -> dict:
        return asdict(self)


def _details(db: sqlite_utils.Database, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    out: dict[tuple[int, int], dict] = {}
    for start in range(0, len(keys), 400):
        part = keys[start : start + 400]
        values = ",".join("(?, ?)" for _ in part)
        params = [x for key in part for x in key]
        for row in db.execute(
            f"""WITH k(document_id, sentence) AS (VALUES {values})
               SELECT s.document_id, s.sentence, s.text, s.start_char, s.end_char, d.title, d.url,
                      {MUNICIPALITY}, m.name, {PUBLISHED}
               FROM k JOIN sentences s ON s.document_id = k.document_id AND s.sentence = k.sentence
               {_join_docs("s.document_id")}
               LEFT JOIN municipalities m ON m.code = {MUNICIPALITY}""",
            params,
        ):
            out[(row[0], row[1])] = {
                "text": row[2].strip(),
                "start_char": row[3],
                "end_char": row[4],
                "title": row[5],
                "url": row[6],
                "municipality_code": row[7],
                "municipality": row[8],
                "published": row[9],
            }
    return out


def search(
    db: sqlite_utils.Database,
    *,
    match: str | Sequence[str] | None,
    query_vector: np.ndarray | None,
    index: SentenceIndex | None,
    filters: Filters | None = None,
    k: int = 20,
    mode: Mode = Mode.hybrid,
    candidates: int = CANDIDATES,
    vector_weight: float = VECTOR_WEIGHT,
    required: str | None = None,
) -> list[Hit]:
    """The k best sentences for a query, by keyword (match), by vector, or both fused.

    match is one FTS5 expression or several in order of trust (nlp.keywords.match_expressions), query_vector the
    query embedded by the index's model. A side that is missing (no keyword in the
    query, no vectors yet) simply contributes nothing. required (nlp.keywords.required_phrases)
    is an FTS5 expression every hit matches, on both sides.
    """
    filters = filters or Filters()
    depth = max(candidates, k)
    if required:
        expressions = [match] if isinstance(match, str) else list(match or [])
        match = [f"({required}) AND ({m})" for m in expressions] or [required]
    keyword = keyword_hits(db, match, filters, depth) if match and mode is not Mode.vector else []
    vector: list = []
    if mode is not Mode.keyword and index is not None and query_vector is not None and len(index):
        allowed = allowed_documents(db, filters) if filters.active else None
        only = [key for key, _ in keyword_hits(db, required, filters, len(index))] if required else None
        vector = index.top(query_vector, depth, allowed, only)
    if mode is Mode.keyword:
        ranked = [(key, score) for key, score in keyword]
    elif mode is Mode.vector:
        ranked = vector
    else:
        ranked = fuse([[key for key, _ in keyword], [key for key, _ in vector]], [1.0, vector_weight])
    ranked = ranked[:k]
    cosine = dict(vector)
    kw_rank = {key: i for i, (key, _) in enumerate(keyword, start=1)}
    details = _details(db, [key for key, _ in ranked])
    return [
        Hit(
            score=round(float(score), 6),
            document_id=key[0],
            sentence=key[1],
            vector_score=round(cosine[key], 4) if key in cosine else None,
            keyword_rank=kw_rank.get(key),
            **details[key],
        )
        for key, score in ranked
        if key in details
    ]


@dataclass
class SimilarMeasure:
    """A measure found in the corpus, with its similarity to the phrase asked about."""

    score: float
    text: str
    category: str
    municipality_code: str | None
    municipality: str | None
    document_id: int
    sentence: int
    published: str | None
    title: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def measure_rows(db: sqlite_utils.Database, filters: Filters | None = None) -> list[dict]:
    """Every measure in the documents the filters let through, with its municipality."""
    filters = filters or Filters()
    where, params = _filter_sql(filters)
    sql = f"""
        SELECT ms.id, ms.text, ms.category, ms.document_id, ms.sentence, {MUNICIPALITY}, m.name,
               {PUBLISHED}, d.title
        FROM measures ms {_join_docs("ms.document_id")}
        LEFT JOIN municipalities m ON m.code = {MUNICIPALITY}
        WHERE {where} ORDER BY ms.document_id, ms.start_char
    """
    keys = ("id", "text", "category", "document_id", "sentence", "municipality_code", "municipality")
    return [dict(zip((*keys, "published", "title"), r, strict=True)) for r in db.execute(sql, params)]


def similar_measures(
    db: sqlite_utils.Database,
    model: str,
    query_vector: np.ndarray,
    *,
    k: int = 10,
    exclude_municipality: str | None = None,
    exclude_document: int | None = None,
    category: str | None = None,
    filters: Filters | None = None,
) -> list[SimilarMeasure]:
    """The measures closest in meaning to a query vector, best first, one per municipality and wording.

    exclude_municipality leaves out one municipality's own measures ("what do others do?");
    category keeps only measures of that category.
    Measures need vectors of `model` in the cache (`kommunpress embed` stores them).
    """
    rows = [
        r
        for r in measure_rows(db, filters)
        if not (exclude_municipality and r["municipality_code"] == exclude_municipality)
        and r["document_id"] != exclude_document
        and (category is None or r["category"] == category)
    ]
    if not rows:
        return []
    hashes = [content_hash(r["text"]) for r in rows]
    vectors = cached_vectors(db, model, hashes)
    have = [(r, vectors[h]) for r, h in zip(rows, hashes, strict=True) if h in vectors]
    if not have:
        return []
    matrix = np.stack([v for _r, v in have])
    scores = matrix @ np.asarray(query_vector, dtype=np.float32)
    out: list[SimilarMeasure] = []
    seen: set[tuple] = set()
    for i in np.argsort(-scores, kind="stable"):
        r = have[i][0]
        key = (r["municipality_code"], " ".join(r["text"].casefold().split()))
        if key in seen:
            continue
        seen.add(key)
        out.append(
            SimilarMeasure(
                score=round(float(scores[i]), 4),
                text=r["text"],
                category=r["category"],
                municipality_code=r["municipality_code"],
                municipality=r["municipality"],
                document_id=r["document_id"],
                sentence=r["sentence"],
                published=r["published"],
                title=r["title"],
            )
        )
        if len(out) >= k:
            break
    return out


def similar_to_measure(db: sqlite_utils.Database, measure_id: int, *, k: int = 10) -> list[SimilarMeasure]:
    """The closest measures in other municipalities to one stored measure, from stored vectors only.

    For reports: needs no model, only a corpus that `kommunpress embed` has filled.
    """
    row = db.execute(
        f"""SELECT ms.text, {MUNICIPALITY}, ms.document_id FROM measures ms
            {_join_docs("ms.document_id")} WHERE ms.id = ?""",
        [measure_id],
    ).fetchone()
    if row is None:
        raise CorpusError(f"no measure with id {measure_id}")
    model = index_model(db)
    if model is None:
        raise CorpusError("the corpus has no vectors yet: run `kommunpress embed`")
    vector = cached_vectors(db, model, [content_hash(row[0])]).get(content_hash(row[0]))
    if vector is None:
        raise CorpusError(f"measure {measure_id} has no vector yet: run `kommunpress embed`")
    return similar_measures(db, model, vector, k=k, exclude_municipality=row[1], exclude_document=row[2])
