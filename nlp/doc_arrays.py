"""A Doc's token columns, read once and shared by the rule components.

Reading a token attribute through spaCy creates a Token object each time, which costs more
than the tokenizer's own work per token; Doc.to_array reads a column in C. The municipality,
money and measure components all need the same columns (forms, lemmas, sentence starts,
offsets, flags), so they are read in one to_array call per Doc and kept for as long as the
Doc lives, like its text (nlp/textscan.py).

The columns describe the Doc after kp_sentences and the lemmatizer, which run before every
component that reads them; they are read again should the Doc gain tokens, lemmas or
sentence starts later.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy
from spacy.attrs import (
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_QUOTE,
    IS_SPACE,
    IS_UPPER,
    LEMMA,
    LENGTH,
    LIKE_EMAIL,
    LIKE_URL,
    LOWER,
    SENT_START,
)
from spacy.tokens import Doc

_ATTRS = [LOWER, LEMMA, SENT_START, IDX, LENGTH, IS_SPACE, IS_PUNCT, IS_ALPHA, IS_UPPER, IS_QUOTE, LIKE_EMAIL, LIKE_URL]


@dataclass(frozen=True)
class DocArrays:
    """Per-token columns as Python lists (indexing a list is cheaper than indexing numpy)."""

    lower_h: list[int]  # hash of the lower-case form
    lemma_h: list[int]  # hash of the lemma, 0 when none is set
    idx: list[int]  # character offset
    length: list[int]  # characters
    is_space: list[int]
    is_punct: list[int]
    is_alpha: list[int]
    is_upper: list[int]
    is_quote: list[int]
    sent_starts: list[int]  # token indices that start a sentence, 0 always among them
    spaces: list[int]  # indices of whitespace tokens
    addresses: list[int]  # indices of tokens that look like e-mail or web addresses
    has_sentences: bool  # kp_sentences (or a parser) set the sentence starts

    def __len__(self) -> int:
        return len(self.lower_h)


_CACHE: weakref.WeakKeyDictionary[Doc, tuple[tuple[int, bool, bool], DocArrays]] = weakref.WeakKeyDictionary()


def doc_arrays(doc: Doc) -> DocArrays:
    """The columns of doc, read once per state of the Doc (tokens, lemmas, sentence starts)."""
    has_sentences = doc.has_annotation("SENT_START")
    state = (len(doc), doc.has_annotation("LEMMA"), has_sentences)
    cached = _CACHE.get(doc)
    if cached is not None and cached[0] == state:
        return cached[1]
    arrays = _read(doc, has_sentences)
    _CACHE[doc] = (state, arrays)
    return arrays


def _read(doc: Doc, has_sentences: bool) -> DocArrays:
    n = len(doc)
    if not n:
        return DocArrays([], [], [], [], [], [], [], [], [], [], [], [], has_sentences)
    arr = doc.to_array(_ATTRS)
    columns = arr.T.tolist()
    starts = numpy.flatnonzero(arr[:, 2] == 1).tolist() if has_sentences else []
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return DocArrays(
        lower_h=columns[0],
        lemma_h=columns[1],
        idx=columns[3],
        length=columns[4],
        is_space=columns[5],
        is_punct=columns[6],
        is_alpha=columns[7],
        is_upper=columns[8],
        is_quote=columns[9],
        sent_starts=starts,
        spaces=numpy.flatnonzero(arr[:, 5]).tolist(),
        addresses=numpy.flatnonzero(arr[:, 10] | arr[:, 11]).tolist(),
        has_sentences=has_sentences,
    )
