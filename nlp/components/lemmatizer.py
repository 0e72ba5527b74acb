"""kp_lemmatizer: spaCy's lookup lemmatization, written as one array per Doc.

It gives every token the lemma spaCy's own `lemmatizer` (mode "lookup") gives it: the
spacy-lookups-data table's entry for the token's text, else the text itself. spaCy's component
does that token by token in Python, creating a Token object and hashing its text each time,
which costs nearly as much as tokenising. Here each distinct word is looked up once per process
(word hash -> lemma hash) and the Doc's LEMMA column is written with one Doc.from_array.

The component keeps the name "lemmatizer" in nlp/config.cfg and exposes `lookups` like
spaCy's, so the components that read the table (compound lemmas, the dictionary-word test)
work with either; to use spaCy's own lemmatizer or a trained pipeline's instead, set
`factory = "lemmatizer"` (with `mode = "lookup"`) or `source = ...` in the config.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.lookups import Lookups, load_lookups
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.components.batching import BatchedComponent

TABLE = "lemma_lookup"
_CACHE_LIMIT = 500_000  # distinct words remembered; a long crawl must not grow it without end


@Language.factory("kp_lemmatizer", default_config={"overwrite": False})
def make_lemmatizer(nlp: Language, name: str, overwrite: bool) -> LookupLemmatizer:
    return LookupLemmatizer(nlp.vocab, name, overwrite=overwrite)


class LookupLemmatizer(BatchedComponent):
    """Lemmas from a lookup table (hash of the token text -> lemma), set for a whole Doc at once.

    With overwrite False (the default, as in spaCy), a lemma an earlier component set (a
    trained lemmatizer's) is kept.
    """

    def __init__(self, vocab: Vocab, name: str = "lemmatizer", *, overwrite: bool = False):
        self.vocab = vocab
        self.name = name
        self.overwrite = overwrite
        self.lookups = Lookups()
        self._table: Any = None
        self._cache: dict[int, int] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        lookups: Lookups | None = None,
    ) -> None:
        """Load the table: the given lookups, else the vocab's when the config loaded it there
        ([initialize.lookups]; one copy in memory, not two), else spacy-lookups-data's."""
        if lookups is None and nlp is not None and nlp.vocab.lookups.has_table(TABLE):
            lookups = nlp.vocab.lookups
        if lookups is None:
            lookups = load_lookups(lang=self.vocab.lang, tables=[TABLE])
        self._use(lookups)

    def _use(self, lookups: Lookups) -> None:
        if not lookups.has_table(TABLE):
            raise ValueError(f"{self.name}: the lookups hold no {TABLE!r} table (install spacy-lookups-data)")
        self.lookups = lookups
        self._table = lookups.get_table(TABLE)
        self._cache = {}

    def __call__(self, doc: Doc) -> Doc:
        if self._table is None:
            self.initialize()
        if not len(doc):
            return doc
        arr = doc.to_array([ORTH, LEMMA])
        orths = arr[:, 0].tolist()
        lemmas = list(map(self._cache.get, orths))  # one C-level pass; misses (None) are looked up below
        if None in lemmas:
            lemma_of = self._lemma_hash
            lemmas = [h if h is not None else lemma_of(orth) for h, orth in zip(lemmas, orths, strict=True)]
        new = numpy.asarray(lemmas, dtype="uint64")
        if not self.overwrite and arr[:, 1].any():
            new = numpy.where(arr[:, 1] != 0, arr[:, 1], new)
        doc.from_array([LEMMA], new.reshape(-1, 1))
        return doc

    def _lemma_hash(self, orth: int) -> int:
        """The lemma's hash for a word's hash: the table's entry, else the word itself (as spaCy)."""
        lemma = dict.get(self._table, orth)  # the table is keyed by the hash of the word
        value = self.vocab.strings.add(lemma, allow_transient=False) if isinstance(lemma, str) else orth
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[orth] = value
        return value

    # serialisation, as spaCy's lemmatizer: the table travels with the pipeline

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return self.lookups.to_bytes()

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> LookupLemmatizer:
        lookups = Lookups()
        lookups.from_bytes(bytes_data)
        self._use(lookups)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.lookups.to_disk(path)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LookupLemmatizer:
        lookups = Lookups()
        lookups.from_disk(Path(path))
        self._use(lookups)
        return self
