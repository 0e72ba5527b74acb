"""Near-duplicate releases: the same release copied, re-posted with another frame, lightly edited.

One release often stands on the municipal site, on Mynewsdesk and in the local paper.
The copies differ in their header and footer (menus, "Dela", contact blocks, site
presentations), and a newspaper may rewrite the opening, drop a paragraph or change
a few words. Two different releases on the same topic, on the other hand, share the
vocabulary and often a paragraph of the government's standard text, but little else.

How a pair is judged:
1. Lines shorter than a few words (menus, "Annons", "Prenumerera", phone numbers) and
   lines that recur across one site's releases (its footer) are set aside as frame.
2. What remains is cut into word 5-gram shingles; shingles found in very many documents
   (boilerplate of a large corpus) are dropped. Candidate pairs are those sharing
   shingles, found by one sparse matrix product (exact, and fast enough for 100,000 texts).
3. Containment = shared shingles / shingles of the shorter text. A copy with another
   frame or a few edits keeps most of its shingles (well over half); a different
   release sharing a standard paragraph keeps a minority.
4. Pairs in the uncertain band between are settled by the cosine of the texts'
   embeddings when an encoder is given: a rewrite keeps the meaning, a different
   release on the same topic does not, quite.
Groups are the connected pairs; exact copies (same normalised text) always group.

The canonical document of a group is the one from the municipality's own newsroom,
then the earliest published, then the first stored (lowest id), so a re-run with
the same documents gives the same result.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

Encode = Callable[[list[str]], np.ndarray]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Release:
    """A document as dedup sees it: its text and what decides which copy is kept."""

    id: int
    text: str
    published: str | None = None
    municipal: bool = False  # from the municipality's own newsroom (preferred as canonical)
    site: str | None = None  # host name, to recognise a site's recurring header and footer


@dataclass
class Settings:
    shingle: int = 5  # words per shingle
    min_line_words: int = 5  # shorter lines are frame (menus, bylines, phone numbers)
    site_frame_share: float = 0.5  # a line in at least this share of a site's releases (and in 3+) is its frame
    max_df: int = 50  # shingles in more documents than this (or 1 % of them) are corpus boilerplate
    copy: float = 0.85  # containment at or above which two texts are one release, whatever else differs
    edited: float = 0.25  # containment from which an edited copy is recognised by its facts
    rewritten: float = 0.15  # containment from which a rewrite is recognised by facts and meaning
    facts: float = 0.7  # share of the smaller text's facts the other must hold
    min_facts: int = 4  # fewer facts than this tell nothing; the text must then overlap by `unclear`
    unclear: float = 0.5  # containment that decides when the facts cannot
    cosine: float = 0.9  # embedding cosine a rewrite needs
    min_shared: int = 5  # fewer shared shingles than this is never a duplicate (except exact copies)


@dataclass
class Pair:
    """Two texts that share shingles, what was measured and what was decided."""

    a: int
    b: int
    containment: float
    shared: int
    facts: float | None = None
    cosine: float | None = None
    same: bool = False

    def decide(self, settings: Settings) -> bool | None:
        """True/False, or None when only the embeddings can tell."""
        if self.containment >= settings.copy:
            return True
        if self.facts is None:
            return self.containment >= settings.unclear
        if self.facts < settings.facts:
            return False
        if self.containment >= settings.edited:
            return True
        return None if self.cosine is None else self.cosine >= settings.cosine


@dataclass
class Result:
    """Groups of ids (canonical first) and every pair that was looked at, for reports and tuning."""

    groups: list[list[int]]
    pairs: list[Pair] = field(default_factory=list)

    def duplicate_of(self) -> dict[int, int]:
        """{copy id: canonical id} for every document that is not its group's canonical one."""
        return {doc: group[0] for group in self.groups for doc in group[1:]}


def _normal(line: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", line).casefold()))


def content_lines(releases: Sequence[Release], settings: Settings) -> list[list[str]]:
    """Each release's lines without its frame: short lines and lines its site repeats across releases."""
    per_doc = [[line.strip() for line in r.text.splitlines() if _normal(line)] for r in releases]
    by_site: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(releases):
        if r.site:
            by_site[r.site].append(i)
    frame: dict[str | None, set[str]] = defaultdict(set)
    for site, members in by_site.items():
        if len(members) < 3:
            continue
        counts = Counter(line for i in members for line in {_normal(x) for x in per_doc[i]})
        floor = max(3, settings.site_frame_share * len(members))
        frame[site] = {line for line, n in counts.items() if n >= floor}
    out = []
    for r, lines in zip(releases, per_doc, strict=True):
        skip = frame.get(r.site, set())
        out.append(
            [ln for ln in lines if len(_normal(ln).split()) >= settings.min_line_words and _normal(ln) not in skip]
        )
    return out


_NUMBER = re.compile(r"\d+(?:[ \u00a0,.]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def facts(lines: Sequence[str]) -> set[str]:
    """The specific facts of a text: its numbers and the capitalised words inside sentences (names, places).

    A copy keeps them even when it is rewritten; a release made from the same template
    for another municipality has other ones.
    """
    found: set[str] = set()
    for line in lines:
        for m in _NUMBER.finditer(line):
            found.add(re.sub(r"[ \u00a0]", "", m.group()).replace(",", ".").rstrip("."))
        for sentence in _SENTENCE_END.split(line):
            words = _WORD.findall(sentence)
            found.update(w for w in words[1:] if w[0].isupper())
    return found


def _overlap(a: set[str], b: set[str], minimum: int) -> float | None:
    """Share of the smaller fact set found in the other; None when either has too few facts to tell."""
    if min(len(a), len(b)) < minimum:
        return None
    return len(a & b) / min(len(a), len(b))


def shingle_matrix(texts: Sequence[str], settings: Settings) -> sparse.csr_matrix:
    """Binary documents x hashed word-shingle matrix, corpus boilerplate shingles removed."""
    vectorizer = HashingVectorizer(
        analyzer="word",
        token_pattern=r"(?u)\b\w+\b",
        ngram_range=(settings.shingle, settings.shingle),
        n_features=2**24,
        alternate_sign=False,
        norm=None,
        binary=True,
        lowercase=False,
    )
    x = vectorizer.transform(texts).tocsr()
    x.sum_duplicates()
    columns, df = np.unique(x.indices, return_counts=True)
    limit = max(settings.max_df, int(0.01 * len(texts)))
    common = columns[df > limit]
    if len(common):
        x.data[np.isin(x.indices, common)] = 0
        x.eliminate_zeros()
    return x.astype(np.int32)


def _exact_key(text: str) -> str:
    return hashlib.sha256(" ".join(unicodedata.normalize("NFC", text).split()).encode("utf-8")).hexdigest()


def canonical_order(r: Release) -> tuple:
    """Sort key: municipal newsroom first, then earliest published (unknown last), then lowest id."""
    return (not r.municipal, r.published is None, r.published or "", r.id)


def find_duplicates(
    releases: Sequence[Release], *, encode: Encode | None = None, settings: Settings | None = None
) -> Result:
    """Group releases that are the same release; see the module docstring for how."""
    settings = settings or Settings()
    n = len(releases)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    exact: dict[str, int] = {}
    for i, r in enumerate(releases):
        key = _exact_key(r.text)
        if key in exact:
            union(exact[key], i)
        else:
            exact[key] = i

    pairs: list[Pair] = []
    if n > 1:
        lines = content_lines(releases, settings)
        texts = ["\n".join(_normal(ln) for ln in doc) for doc in lines]
        x = shingle_matrix(texts, settings)
        sizes = np.asarray(x.sum(axis=1)).ravel()
        shared = sparse.triu(x @ x.T, k=1).tocoo()
        fact_sets: dict[int, set[str]] = {}
        uncertain: list[Pair] = []
        for i, j, s in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist(), strict=True):
            c = s / max(1, min(sizes[i], sizes[j]))
            if s < settings.min_shared or c < settings.rewritten:
                continue
            for k in (i, j):
                if k not in fact_sets:
                    fact_sets[k] = facts(lines[k])
            pair = Pair(i, j, round(c, 4), s, facts=_overlap(fact_sets[i], fact_sets[j], settings.min_facts))
            pairs.append(pair)
            decision = pair.decide(settings)
            if decision is None:
                uncertain.append(pair)
            pair.same = bool(decision)
        if uncertain and encode is not None:
            involved = sorted({p.a for p in uncertain} | {p.b for p in uncertain})
            vectors = dict(zip(involved, encode(["\n".join(lines[i]) for i in involved]), strict=True))
            for p in uncertain:
                p.cosine = round(float(np.dot(vectors[p.a], vectors[p.b])), 4)
                p.same = bool(p.decide(settings))
        for p in pairs:
            if p.same:
                union(p.a, p.b)

    members: dict[int, list[Release]] = defaultdict(list)
    for i, r in enumerate(releases):
        members[find(i)].append(r)
    groups = sorted(
        ([r.id for r in sorted(group, key=canonical_order)] for group in members.values() if len(group) > 1),
        key=lambda g: g[0],
    )
    for p in pairs:
        p.a, p.b = releases[p.a].id, releases[p.b].id
    return Result(groups=groups, pairs=pairs)
