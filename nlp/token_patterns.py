"""Token patterns for lexicon files: short word sequences matched on forms, lemmas and compounds.

The rule components keep their vocabulary in nlp/patterns/*.txt so a researcher can add a word
without touching code. A pattern is a sequence of token atoms separated by spaces:

    word      the token's lower-case form, its lemma or its compound lemma is "word"
    =word     the lower-case form only, where inflection changes the sense ("låg" is also
              the past tense of "ligga"; "höga" is not "högre")
    word*     form, lemma or compound lemma starts with "word" (trygghet* finds
              trygghetskamerorna, tryggheten)
    *word     form, lemma or compound lemma ends with "word" (*skola finds förskolan via its
              lemma, *jobb finds sommarjobb)
    a|b       any of the alternatives ("barn|barns och ung*")

Swedish writes compounds as one word, so the lookup lemmatizer does not know most of them
("trygghetskamerorna" is not in its table). compound_lemma() lemmatises the longest known head
and keeps the modifier ("trygghets" + "kamera"), so "*kamera" and "trygghet*" both apply.

Matching is one dictionary lookup per token on cached per-word results, so a lexicon of a few
hundred patterns costs little more than a pass over the token array.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import compress
from typing import Any, NamedTuple

from spacy.tokens import Doc

from nlp.doc_arrays import doc_arrays
from nlp.textscan import doc_text

MIN_HEAD = 4  # shortest compound head worth lemmatising: "skola" yes, "en" no
_CACHE_LIMIT = 200_000


@cache
def read_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of nlp/patterns/<name>, read once per process."""
    path = resources.files("nlp").joinpath(f"patterns/{name}")
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8") as f:
        return tuple(line.rstrip("\n") for line in f if line.strip() and not line.lstrip().startswith("#"))


def read_table(name: str, columns: int) -> list[list[str]]:
    """Tab-separated rows of a lexicon file; the last column may hold spaces."""
    rows = []
    for line in read_lines(name):
        parts = [p.strip() for p in line.split("\t") if p.strip()]
        if len(parts) < columns:
            raise ValueError(f"nlp/patterns/{name}: expected {columns} tab-separated fields: {line!r}")
        rows.append([*parts[: columns - 1], "\t".join(parts[columns - 1 :])])
    return rows


@dataclass(frozen=True)
class Atom:
    """One token position of a pattern: alternatives, each exact, =form, prefix* or *suffix."""

    exact: frozenset[str]
    forms: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Atom:
        exact, forms, prefixes, suffixes = set(), set(), [], []
        for alt in text.casefold().split("|"):
            if alt.startswith("="):
                forms.add(alt[1:])
            elif alt.endswith("*"):
                prefixes.append(alt[:-1])
            elif alt.startswith("*"):
                suffixes.append(alt[1:])
            else:
                exact.add(alt)
        return cls(frozenset(exact), frozenset(forms), tuple(prefixes), tuple(suffixes))

    def test(self, lower: str, lemma: str, clemma: str) -> bool:
        if lower in self.forms or lower in self.exact or lemma in self.exact or clemma in self.exact:
            return True
        for p in self.prefixes:
            if lower.startswith(p) or lemma.startswith(p) or clemma.startswith(p):
                return True
        return any(lower.endswith(s) or lemma.endswith(s) or clemma.endswith(s) for s in self.suffixes)

    def keys(self) -> frozenset[str] | None:
        """Exact strings that can start this atom, or None when it has wildcards."""
        return None if self.prefixes or self.suffixes else self.exact | self.forms


class _Lazy:
    """A read-only sequence whose items are computed on first access and then kept."""

    __slots__ = ("_cache", "_fn", "_n")

    def __init__(self, n: int, fn: Callable[[int], Any]):
        self._fn, self._n, self._cache = fn, n, {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        value = self._cache.get(i, _MISSING)
        if value is _MISSING:
            value = self._cache[i] = self._fn(i)
        return value


_MISSING = object()


class TokenView:
    """A doc's tokens for rule matching, over the Doc's columns read once (nlp/doc_arrays.py).

    spaCy creates a new Token object on every access, which costs more than the tokenizer's
    own work per token. So the hot loops (PatternSet.find) run over plain ints, the hashes of
    each token's lower-case form and lemma, and look a word up only once per distinct
    (form, lemma) pair; strings (text, lower case, lemmas) are made only for the few tokens
    a rule asks about, from the Doc's text.
    """

    def __init__(self, doc: Doc, lemma_of: Callable[[str], str] | None = None):
        self.doc = doc
        self._lemma_of = lemma_of
        cols = doc_arrays(doc)
        n = len(cols)
        self.lower_h: list[int] = cols.lower_h
        self.lemma_h: list[int] = cols.lemma_h
        self.sent_starts = cols.sent_starts
        self._spaces = cols.spaces
        self._addresses = cols.addresses
        self._lines: list[tuple[int, int]] | None = None
        self._sent_set = frozenset(cols.sent_starts)
        self.idx: list[int] = cols.idx
        self.is_space: list[int] = cols.is_space
        self.is_punct: list[int] = cols.is_punct
        self.is_alpha: list[int] = cols.is_alpha
        self.is_upper: list[int] = cols.is_upper
        self.is_quote: list[int] = cols.is_quote
        strings = doc.vocab.strings
        text = self.doc_text = doc_text(doc)
        idx, length = cols.idx, cols.length
        self._length = length
        if len(_STRING_CACHE) > _CACHE_LIMIT:
            _STRING_CACHE.clear()
            _LEMMA_CACHE.clear()

        def string(h: int) -> str:
            value = _STRING_CACHE.get(h)
            if value is None:
                value = _STRING_CACHE[h] = strings[h]
            return value

        # The closures below read locals, never self: a view referring to itself through them
        # would be a reference cycle, and the Doc it holds would then wait for the cyclic
        # garbage collector instead of being freed when the pipeline is done with it.
        lower_h, lemma_h = cols.lower_h, cols.lemma_h
        lower = _Lazy(n, lambda i: string(lower_h[i]))

        def lemma(i: int) -> str:
            h, lo = lemma_h[i], lower[i]
            le = _LEMMA_CACHE.get(h) if h else lo
            if le is None:
                le = _LEMMA_CACHE[h] = strings[h].casefold()
            if le == lo and lemma_of is not None:
                # the lookup table is case-sensitive: "Skolorna" at a sentence start has no lemma
                le = _lower_lemma(lo, lemma_of)
            return le

        lemmas = _Lazy(n, lemma)
        self.lower = lower
        self.lemma = lemmas
        self.text = _Lazy(n, lambda i: text[idx[i] : idx[i] + length[i]])
        self._clemma = _Lazy(n, lambda i: compound_lemma(lower[i].rstrip("-"), lemmas[i], lemma_of))

    def __len__(self) -> int:
        return len(self.lower_h)

    def clemma(self, i: int) -> str:
        """The compound lemma of token i (its lemma when the lemmatizer knew the word)."""
        return self._clemma[i]

    def sent_start(self, i: int) -> bool:
        return i in self._sent_set

    def addresses(self) -> list[int]:
        """Indices of the tokens that look like e-mail or web addresses."""
        return self._addresses

    def lines(self) -> list[tuple[int, int]]:
        """Token ranges of the non-empty lines (line breaks are whitespace tokens with a newline)."""
        if self._lines is None:
            breaks = [i for i in self._spaces if "\n" in self.text[i]]
            lines, a = [], 0
            for br in [*breaks, len(self)]:
                b = br
                while a < b and self.is_space[a]:
                    a += 1
                while b > a and self.is_space[b - 1]:
                    b -= 1
                if a < b:
                    lines.append((a, b))
                a = br + 1
            self._lines = lines
        return self._lines

    def line_of(self, i: int) -> tuple[int, int]:
        """The token range of the line holding token i."""
        lines = self.lines()
        k = bisect_right(lines, (i, len(self) + 1)) - 1
        return lines[k] if k >= 0 and lines[k][0] <= i < lines[k][1] else (i, i + 1)

    def line_start(self, i: int) -> bool:
        return i == 0 or (self.is_space[i - 1] and "\n" in self.text[i - 1])

    def initial(self, i: int) -> bool:
        """First word of its sentence or line, after any bullets, dashes or quotes before it."""
        j = i
        while j > 0 and (self.is_punct[j - 1] or self.is_quote[j - 1]) and not self.is_space[j - 1]:
            j -= 1
        return j == 0 or self.sent_start(j) or self.line_start(j)

    def capitalised(self, i: int) -> bool:
        """Starts with a capital letter and is not all capitals (a heading word)."""
        # the first character of text[i], read without making the token's string
        return self._length[i] > 0 and self.doc_text[self.idx[i]].isupper() and not self.is_upper[i]

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) token ranges of the sentences; the whole doc when none are set."""
        starts = self.sent_starts
        return list(zip(starts, [*starts[1:], len(self)], strict=True)) if starts else []


_STRING_CACHE: dict[int, str] = {}
_LEMMA_CACHE: dict[int, str] = {}
_COMPOUND_CACHE: dict[str, str] = {}
_LOWER_LEMMA_CACHE: dict[str, str] = {}


def _lower_lemma(lower: str, lemma_of: Callable[[str], str]) -> str:
    hit = _LOWER_LEMMA_CACHE.get(lower)
    if hit is None:
        hit = lemma_of(lower) or lower
        if len(_LOWER_LEMMA_CACHE) > _CACHE_LIMIT:
            _LOWER_LEMMA_CACHE.clear()
        _LOWER_LEMMA_CACHE[lower] = hit
    return hit


def compound_lemma(lower: str, lemma: str, lemma_of: Callable[[str], str] | None) -> str:
    """Lemma of a Swedish compound: modifier kept, longest head found in the lemma table lemmatised."""
    if lemma != lower or lemma_of is None or len(lower) < MIN_HEAD + 2:
        return lemma
    hit = _COMPOUND_CACHE.get(lower)
    if hit is None:
        hit = lower
        for k in range(2, len(lower) - MIN_HEAD + 1):
            head = lower[k:]
            head_lemma = lemma_of(head)
            if head_lemma:
                hit = lower[:k] + head_lemma
                break
        if len(_COMPOUND_CACHE) > _CACHE_LIMIT:
            _COMPOUND_CACHE.clear()
        _COMPOUND_CACHE[lower] = hit
    return hit


def lemma_table_lookup(nlp: Any) -> Callable[[str], str] | None:
    """A function word -> lemma from the pipeline's lookup lemmatizer, or None without one.

    Only words the table knows get an answer (empty string otherwise), so compound_lemma()
    can tell a known head from an unknown one.
    """
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    except (KeyError, ValueError, AttributeError):
        return None

    def lemma_of(word: str) -> str:
        value = table.get(word)
        return value.casefold() if isinstance(value, str) else ""

    return lemma_of


class Match(NamedTuple):
    start: int
    end: int
    payload: Any


# the patterns starting at a token as PatternSet.find() walks them: the longer ones, each as
# (length, (offset, atom, cached results) of the atoms after the first, payload), in order, then
# the payloads of the one-token ones in order; () when none starts there
_Rest = tuple[tuple[int, "Atom", dict[tuple[int, int], bool]], ...]
_Plan = tuple[tuple[tuple[int, _Rest, Any], ...], tuple[Any, ...]] | tuple[()]


class PatternSet:
    """Many token patterns, each with a payload; finds all of them in a TokenView."""

    def __init__(self, entries: Iterable[tuple[Any, str]]):
        self.patterns: list[tuple[tuple[Atom, ...], Any]] = []
        self._by_key: dict[str, list[int]] = {}
        self._by_prefix: dict[str, list[int]] = {}
        self._by_suffix: dict[str, list[int]] = {}
        for payload, text in entries:
            atoms = tuple(Atom.parse(a) for a in text.split())
            if not atoms:
                continue
            idx = len(self.patterns)
            self.patterns.append((atoms, payload))
            first = atoms[0]
            for k in first.exact | first.forms:
                self._by_key.setdefault(k, []).append(idx)
            for p in first.prefixes:
                self._by_prefix.setdefault(p, []).append(idx)
            for x in first.suffixes:
                self._by_suffix.setdefault(x, []).append(idx)
        self._prefix_lengths = sorted({len(p) for p in self._by_prefix})
        self._suffix_lengths = sorted({len(x) for x in self._by_suffix})
        self._first_cache: dict[tuple[int, int], tuple[int, ...]] = {}
        # per pattern, per atom after the first: (offset, atom, its results per (form, lemma) key)
        self._rest: list[_Rest] = [
            tuple((k, atom, {}) for k, atom in enumerate(atoms[1:], 1)) for atoms, _ in self.patterns
        ]
        self._plans: dict[tuple[int, int], _Plan] = {}

    def _starting(self, view: TokenView, i: int) -> tuple[int, ...]:
        """Patterns whose first atom fits token i, in file order (cached per word)."""
        key = (view.lower_h[i], view.lemma_h[i])
        found = self._first_cache.get(key)
        if found is None:
            lower, lemma, clemma = view.lower[i], view.lemma[i], view.clemma(i)
            candidates: set[int] = set()
            for word in {lower, lemma, clemma}:
                candidates.update(self._by_key.get(word, ()))
                for n in self._prefix_lengths:
                    if n > len(word):
                        break
                    candidates.update(self._by_prefix.get(word[:n], ()))
                for n in self._suffix_lengths:
                    if n > len(word):
                        break
                    candidates.update(self._by_suffix.get(word[-n:], ()))
            fitting = [j for j in candidates if self.patterns[j][0][0].test(lower, lemma, clemma)]
            # longer patterns first, then file order: find() then needs no sort
            found = tuple(sorted(fitting, key=lambda j: (-len(self.patterns[j][0]), j)))
            if len(self._first_cache) > _CACHE_LIMIT:
                self._first_cache.clear()
            self._first_cache[key] = found
        return found

    def _plan(self, view: TokenView, i: int) -> _Plan:
        """_starting(view, i) as find() walks it, () when no pattern starts at token i."""
        key = (view.lower_h[i], view.lemma_h[i])
        ids = self._starting(view, i)
        # _starting puts the longer patterns first, so the one-token ones come last
        longer = tuple((len(self.patterns[j][0]), self._rest[j], self.patterns[j][1]) for j in ids if self._rest[j])
        single = tuple(self.patterns[j][1] for j in ids if not self._rest[j])
        plan = (longer, single) if ids else ()
        if len(self._plans) > _CACHE_LIMIT:
            self._plans.clear()
        self._plans[key] = plan
        return plan

    def single_at(self, view: TokenView, i: int) -> frozenset[Any]:
        """Payloads of the one-token patterns that match token i."""
        return frozenset(self.patterns[j][1] for j in self._starting(view, i) if len(self.patterns[j][0]) == 1)

    def find(self, view: TokenView, start: int = 0, end: int | None = None) -> list[Match]:
        """Every match inside [start, end), in order of start, longer first, pattern order after."""
        end = len(view) if end is None else end
        lower_h, lemma_h = view.lower_h, view.lemma_h
        plans = self._plans
        # one dict lookup per token in C; zip reuses its tuple when nothing keeps it
        found = list(map(plans.get, zip(lower_h[start:end], lemma_h[start:end], strict=True)))
        if None in found:  # words not seen before: look their patterns up once
            for i in [i for i, plan in enumerate(found, start) if plan is None]:
                plan = plans.get((lower_h[i], lemma_h[i]))  # an earlier token may have the same key
                found[i - start] = self._plan(view, i) if plan is None else plan
        out: list[Match] = []
        append = out.append
        new = tuple.__new__  # Match(...) without the Python-level __new__ of a NamedTuple
        # only the tokens some pattern starts at (most have none: an empty plan is false)
        for i, (longer, single) in zip(compress(range(start, end), found), filter(None, found), strict=True):
            for n, rest, payload in longer:
                if i + n > end:
                    continue
                for k, atom, memo in rest:
                    j = i + k
                    key = (lower_h[j], lemma_h[j])
                    hit = memo.get(key)
                    if hit is None:
                        hit = atom.test(view.lower[j], view.lemma[j], view.clemma(j))
                        if len(memo) > _CACHE_LIMIT:
                            memo.clear()
                        memo[key] = hit
                    if not hit:
                        break
                else:
                    append(new(Match, (i, i + n, payload)))
            for payload in single:
                append(new(Match, (i, i + 1, payload)))
        return out


def words(name: str) -> frozenset[str]:
    """A plain word list file (one word a line) as a case-folded set."""
    return frozenset(line.strip().casefold() for line in read_lines(name))
