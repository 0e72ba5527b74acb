"""A Swedish search query as an SQLite FTS5 expression.

FTS5's unicode61 tokenizer knows no Swedish: "kameror" would not find "kamera", nor
"segregationen" "segregation", and Swedish writes compounds as one word, so a search
for "kamerabevakning" would never see "trygghetskameror". Three steps close the gap:

- each query word is reduced to its Snowball stem and searched as a prefix
  ("kamer"* finds kamera, kameror, kamerabevakning);
- a stem of five letters or more is also looked up inside the words of the corpus
  (given its vocabulary), so "kameror" finds "trygghetskameror" and "övervakningskameror";
- a query word the corpus does not hold, made of two dictionary words, is split and
  each part searched the same way ("kamerabevakning" -> kamera + bevakning). The
  dictionary is the Swedish lemma table of spacy-lookups-data.

Stop words are dropped, and words in double quotes stay an exact phrase so a name
("Kenneth Nilsson") can be pinned. Terms are joined with OR; FTS5's bm25 ranks
sentences holding more and rarer terms first.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from spacy.lang.sv.stop_words import STOP_WORDS

_PHRASE = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_PREFIX = 4  # shorter stems match exactly: "ar"* would match half the corpus
MIN_INFIX = 5  # shorter stems inside other words are mostly accidents ("arbet" in "samarbete" is one already)
MIN_PART = 3  # parts of a compound
MAX_EXPANSIONS = 30  # corpus words per infix stem, most frequent first


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("swedish")


def stem(word: str) -> str:
    return _stemmer().stemWord(word.casefold())


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """Swedish word forms and lemmas (spacy-lookups-data), to tell a compound's parts; empty if unavailable."""
    try:
        import spacy_lookups_data

        path = Path(spacy_lookups_data.__file__).parent / "data" / "sv_lemma_lookup.json.gz"
        table = json.loads(gzip.decompress(path.read_bytes()))
    except (ImportError, OSError, ValueError):
        return frozenset()
    return frozenset(table) | frozenset(table.values())


def compound_parts(word: str) -> list[str]:
    """The two words a compound is made of ("kamerabevakning" -> kamera, bevakning), or [] if none is found.

    A first part may have dropped its final vowel (läx|hjälp from läxa) or carry a
    linking s (trygghet|s|kameror). Of several splits the most balanced wins.
    """
    word = word.casefold()
    if len(word) < 2 * MIN_PART + 1:
        return []
    words = dictionary()
    best: tuple[int, list[str]] | None = None
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        left, right = word[:i], word[i:]
        if right not in words:
            continue
        for first in (left, left[:-1] if left.endswith("s") and len(left) > MIN_PART + 1 else None):
            if first is None:
                continue
            full = next((w for w in (first, first + "a", first + "e") if w in words), None)
            if full is None:
                continue
            score = min(len(first), len(right))
            if best is None or score > best[0]:
                best = (score, [full, right])
    return best[1] if best else []


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _word_terms(word: str, vocabulary: Sequence[str]) -> tuple[list[str], list[str]]:
    """(prefix or exact terms, corpus words holding the stem inside) of one word."""
    s = stem(word)
    if len(s) < MIN_PREFIX or s.isdigit():
        return [_quote(word)], []
    inside: list[str] = []
    if len(s) >= MIN_INFIX and vocabulary:
        inside = [_quote(t) for t in vocabulary if s in t and not t.startswith(s)][:MAX_EXPANSIONS]
    return [_quote(s) + "*"], inside


def _in_corpus(word: str, vocabulary: Sequence[str]) -> bool:
    s = stem(word)
    return bool(vocabulary) and any(s in t for t in vocabulary)


def terms(query: str, vocabulary: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """The FTS5 terms of a query as (core, inside): phrases, stemmed prefixes and compound parts first,
    then corpus words that hold a stem inside them.

    vocabulary: the corpus's indexed words, most frequent first (corpus.search.vocabulary);
    without it there are no inside terms.
    """
    core: list[str] = []
    inside: list[str] = []
    for phrase in _PHRASE.findall(query):
        words = _WORD.findall(phrase.casefold())
        if words:
            core.append(_quote(" ".join(words)))
    for word in _WORD.findall(_PHRASE.sub(" ", query).casefold()):
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        parts = [word]
        if not _in_corpus(word, vocabulary):
            # not in the corpus as it stands; its parts may be ("kamerabevakning" -> kamera, bevakning)
            parts += [p for p in compound_parts(word) if p not in STOP_WORDS]
        for part in parts:
            c, i = _word_terms(part, vocabulary)
            core.extend(c)
            inside.extend(i)
    core = list(dict.fromkeys(core))
    return core, [t for t in dict.fromkeys(inside) if t not in core]


def match_expressions(query: str, vocabulary: Sequence[str] = ()) -> list[str]:
    """MATCH expressions for sentences_fts in order of trust: the query's own words (stemmed, as
    prefixes, and their compound parts), then corpus words that hold them inside. A search
    ranks every sentence the first finds before those only the second finds, because the
    many rare compounds of the second would otherwise outweigh the query's own words in
    bm25 ("grundskolan" over "skolan"). Empty when the query has no searchable word.
    """
    core, inside = terms(query, vocabulary)
    return [" OR ".join(t) for t in (core, inside) if t]


def required_phrases(query: str) -> str | None:
    """An FTS5 expression every hit must match: the query's "quoted phrases", all of them.

    A researcher who puts a name in quotes ("Kenneth Nilsson") wants the sentences that name
    him, not sentences that merely mean something similar. None when nothing is quoted.
    """
    phrases = [" ".join(_WORD.findall(p.casefold())) for p in _PHRASE.findall(query)]
    phrases = [_quote(p) for p in dict.fromkeys(phrases) if p]
    return " AND ".join(phrases) or None
