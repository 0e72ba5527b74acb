"""A Doc's token columns, read once and shared by the rule components.

Reading a token attribute through spaCy creates a Token object each time, which costs more
than the tokenizer's own work per token; Doc.to_array reads a column in C. The municipality,
money and measure components all need the same columns (forms, lemmas, sentence starts,
offsets, flags), so they are read in one to_array call per Doc and kept for as long as the
Doc lives, like its text (nlp/textscan.py). The flags (space, punctuation, ...) are not read
through to_array but looked up once per word form (_LexemeFlags), which costs a third as much.

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
    ORTH,
    SENT_START,
)
from spacy.tokens import Doc
from spacy.vocab import Vocab

# token columns read through Doc.to_array; the flags come per word form (_LexemeFlags)
_ATTRS = [LOWER, LEMMA, IDX, LENGTH, ORTH, SENT_START]
# the lexeme flags read, in the order of their bits in _LexemeFlags
_FLAGS = (IS_SPACE, IS_PUNCT, IS_ALPHA, IS_UPPER, IS_QUOTE, LIKE_EMAIL, LIKE_URL)
# bytes.translate tables: a packed flags byte -> 1 where a flag (or either of two) is set, else 0
_BIT = [bytes((v >> k) & 1 for v in range(256)) for k in range(len(_FLAGS))]
_ADDRESS = bytes(int(bool(v & (1 << 5 | 1 << 6))) for v in range(256))
_VOCABS_KEPT = 4
_WORDS_KEPT = 200_000


class _LexemeFlags(dict[int, int]):
    """Orth hash -> the flags of _FLAGS of a vocab's word form, bit k for _FLAGS[k].

    Doc.to_array costs about as much for each flag column as for a hash column, and turning
    the columns into Python ints as much again. The flags belong to the word form and are set
    when the vocab makes its lexeme, so they are looked up once per word, and a Doc needs
    only its ORTH column to get all of them. (Code that sets a lexeme's flag later, e.g.
    vocab["x"].is_punct = True, would not be seen; nothing in kommunpress does.)
    """

    def __init__(self, vocab: Vocab):
        super().__init__()
        self.vocab = vocab

    def __missing__(self, orth: int) -> int:
        if len(self) > _WORDS_KEPT:
            self.clear()
        flags = self.vocab[orth].flags
        packed = self[orth] = sum(1 << k for k, flag in enumerate(_FLAGS) if flags >> flag & 1)
        return packed


_LEXEME_FLAGS: dict[int, _LexemeFlags] = {}  # by id of the vocab, which the table keeps alive


def _lexeme_flags(vocab: Vocab) -> _LexemeFlags:
    table = _LEXEME_FLAGS.get(id(vocab))
    if table is None:
        if len(_LEXEME_FLAGS) >= _VOCABS_KEPT:
            _LEXEME_FLAGS.clear()
        table = _LEXEME_FLAGS[id(vocab)] = _LexemeFlags(vocab)
    return table


def _positions(column: bytes) -> list[int]:
    """Indices of the 1s in a column of 0/1 bytes."""
    out, i = [], column.find(1)
    while i >= 0:
        out.append(i)
        i = column.find(1, i + 1)
    return out


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
    lower_h, lemma_h, idx, length, orth = arr[:, :5].T.tolist()
    starts = numpy.flatnonzero(arr[:, 5] == 1).tolist() if has_sentences else []
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    flags = bytes(map(_lexeme_flags(doc.vocab).__getitem__, orth))
    is_space = flags.translate(_BIT[0])
    return DocArrays(
        lower_h=lower_h,
        lemma_h=lemma_h,
        idx=idx,
        length=length,
        is_space=list(is_space),
        is_punct=list(flags.translate(_BIT[1])),
        is_alpha=list(flags.translate(_BIT[2])),
        is_upper=list(flags.translate(_BIT[3])),
        is_quote=list(flags.translate(_BIT[4])),
        sent_starts=starts,
        spaces=_positions(is_space),
        addresses=_positions(flags.translate(_ADDRESS)),
        has_sentences=has_sentences,
    )
