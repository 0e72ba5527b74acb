"""Sentence windows for the money rules: a sentence's tokens, clauses and cues, and the sums,
periods and municipalities inside it.

A sentence is cut into clauses at commas, colons, dashes and conjunctions ("och", "men", "samt"),
never inside a sum or a period ("mellan 2018 och 2020", "till och med 2027"): the clause is the
first scope of every attribute. Cues come from nlp/patterns/money_cues.json and are found in one
pass per sentence (nlp/cues.py). Windows are built only for the sentences around sums, from the
Doc's arrays rather than from Token objects, because this is where kp_money spends its time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span

from nlp.cues import Cue, CueMatcher, load_patterns
from nlp.doc_arrays import doc_arrays


@dataclass
class Lexicon:
    punct: frozenset[str]
    conjunctions: frozenset[str]
    contrast: frozenset[str]
    no_break_after: frozenset[str]
    qualifier_gap: frozenset[str]
    anaphora: frozenset[str]
    conditional: frozenset[str]
    negation: frozenset[str]
    additive: frozenset[str]
    comparison: frozenset[str]
    period_openers: frozenset[str]
    figure_nouns: frozenset[str]
    growth: frozenset[str]
    decision_nouns: frozenset[str]
    comparison_before_year: tuple[tuple[str, ...], ...]
    label_qualifiers: frozenset[str]  # words of the qualifier prefixes ("Botkyrka: cirka 17 miljoner")
    cues: CueMatcher  # every kind of cue, found in one pass over a sentence
    clause_breaks: frozenset[str] = frozenset()  # punct | contrast | conjunctions


@cache
def lexicon() -> Lexicon:
    raw = load_patterns("money_cues.json")
    breaks = raw["clause_breaks"]

    def words(items) -> frozenset[str]:
        return frozenset(w.casefold() for w in items)

    recipient = raw["recipient"]
    return Lexicon(
        clause_breaks=words(breaks["punct"]) | words(breaks["contrast"]) | words(breaks["conjunctions"]),
        punct=words(breaks["punct"]),
        conjunctions=words(breaks["conjunctions"]),
        contrast=words(breaks["contrast"]),
        no_break_after=words(raw["no_break_after"]),
        qualifier_gap=words(raw["qualifier_gap"]),
        anaphora=words(raw["anaphora"]),
        conditional=words(raw["tentative_conditional"]),
        negation=words(raw["negation"]),
        additive=words(raw["additive"]),
        comparison=words(raw["comparison"]),
        period_openers=words(raw["period_openers"]),
        figure_nouns=words(raw["figure_nouns"]),
        growth=words(raw["growth"]),
        decision_nouns=words(raw["decision_nouns"]),
        comparison_before_year=tuple(tuple(w.casefold().split()) for w in raw["comparison_before_year"]),
        label_qualifiers=words(w for cues in raw["qualifier"]["prefix"].values() for cue in cues for w in cue.split()),
        cues=CueMatcher(
            {
                "per_year": {"per_year": raw["per_year"]},
                "prefix": raw["qualifier"]["prefix"],
                "clause_qualifier": raw["qualifier"]["clause"],
                "status": raw["status"],
                "tentative": {"tentative": raw["tentative"]},
                "tentative_applied": {"applied": raw["tentative_applied"]},
                "frame": {"frame": raw["tentative_frame"]},
                "recipient": {k: v for k, v in recipient.items() if k != "total"},
                "total": {"total": recipient["total"]},
                "part_of": {"part_of": raw["part_of"]},
                "own_money": {"own_money": raw["own_money"]},
            }
        ),
    )


@dataclass(frozen=True)
class Sentence:
    """A sentence as token offsets [start, end) and character offsets [start_char, end_char); the
    characters run up to the next sentence, so they include the whitespace after it."""

    start: int
    end: int
    start_char: int
    end_char: int


@dataclass
class Window:
    """One sentence: its tokens, clauses and cues, and the findings inside it (token offsets relative)."""

    sentence: Sentence
    text: str
    forms: list[str]
    lemmas: list[str]
    clause: list[int]
    contrast_before: set[int]  # clauses that a "men" opens
    money: list[tuple[int, int]] = field(default_factory=list)
    years: list[tuple[int, int, dict]] = field(default_factory=list)
    places: list[tuple[int, int, str]] = field(default_factory=list)
    _cues: dict[str, list[Cue]] | None = None
    memo: dict[str, Any] = field(default_factory=dict)  # what the money rules derive once per window

    def cues(self, kind: str) -> list[Cue]:
        if self._cues is None:
            self._cues = lexicon().cues.find_present(self.forms, self.lemmas)
        return self._cues.get(kind) or []

    def clause_has_money(self, clause: int) -> bool:
        return any(self.clause[s] == clause for s, _ in self.money)

    def clause_first_word(self, clause: int) -> str | None:
        lex = lexicon()
        for i, c in enumerate(self.clause):
            if c == clause and self.forms[i] not in lex.punct and self.forms[i] not in lex.conjunctions:
                return self.forms[i]
        return None

    def reachable_later(self, clause: int, target: int) -> bool:
        """A later clause the sum's clause continues into: no "men" and no other sum in between."""
        return all(
            c not in self.contrast_before and not self.clause_has_money(c) for c in range(clause + 1, target + 1)
        )

    def dated_years(self) -> list[tuple[int, int, dict]]:
        return [y for y in self.years if y[2].get("year_start") or y[2].get("year_end")]


class TokenStrings:
    """Lower-case forms and lemmas of a Doc's tokens, from its columns (nlp/doc_arrays.py), turned
    into strings only for the sentences asked for: building Token objects one by one would cost
    more than all the cue matching."""

    def __init__(self, doc: Doc):
        self._strings = doc.vocab.strings
        cols = doc_arrays(doc)
        self._forms, self._lemmas = cols.lower_h, cols.lemma_h

    @property
    def lower_h(self) -> list[int]:
        """The hashes of the lower-case forms, for tests cheaper than making strings."""
        return self._forms

    def slice(self, start: int, end: int) -> tuple[list[str], list[str]]:
        strings = self._strings
        form_h, lemma_h = self._forms[start:end], self._lemmas[start:end]
        # map(dict.get) runs in C; the strings not cached yet (None) are made afterwards
        forms = list(map(_FORM_CACHE.get, form_h))
        if None in forms:
            forms = [f if f is not None else _form(strings, h) for h, f in zip(form_h, forms, strict=True)]
        lemmas = list(map(_LEMMA_CACHE.get, lemma_h))
        if None in lemmas:
            lemmas = [x if x is not None else _lemma(strings, h) for h, x in zip(lemma_h, lemmas, strict=True)]
        return forms, [x or f for x, f in zip(lemmas, forms, strict=True)]


def _form(strings, key: int) -> str:
    form = _FORM_CACHE.get(key)
    if form is None:
        if len(_FORM_CACHE) > 200_000:
            _FORM_CACHE.clear()
        form = _FORM_CACHE[key] = strings[key]
    return form


_FORM_CACHE: dict[int, str] = {}


def _lemma(strings, key: int) -> str:
    """A lemma in lower case ("Totalt" -> "totalt"); lemma strings repeat, so the lowering is cached."""
    lemma = _LEMMA_CACHE.get(key)
    if lemma is None:
        if len(_LEMMA_CACHE) > 200_000:
            _LEMMA_CACHE.clear()
        lemma = _LEMMA_CACHE[key] = strings[key].casefold() if key else ""
    return lemma


_LEMMA_CACHE: dict[int, str] = {}


@dataclass
class Findings:
    """The document's sums, periods and municipalities as token offsets, read from the spans once."""

    money: list[tuple[int, int]]
    years: list[tuple[int, int, dict]]
    places: list[tuple[int, int, str]]

    @classmethod
    def of(cls, money: list[Span], years: list[Span], places: list[Span]) -> Findings:
        coded = ((s, (s._.kp or {}).get("code")) for s in places)
        return cls(
            [(s.start, s.end) for s in money],
            [(s.start, s.end, s._.kp or {}) for s in years],
            [(s.start, s.end, code) for s, code in coded if code],
        )


def make_window(sent: Sentence, doc_text: str, findings: Findings, tokens: TokenStrings) -> Window:
    """The Window of a sentence, with the sums, periods and municipalities inside it.

    doc_text, findings and tokens are read once per document and shared by its windows."""
    lex = lexicon()
    base, end = sent.start, sent.end
    forms, lemmas = tokens.slice(base, end)
    window = Window(sent, doc_text[sent.start_char : sent.end_char], forms, lemmas, [], set())
    window.money = [(s - base, min(e, end) - base) for s, e in findings.money if base <= s < end]
    # a year compared with ("3 miljoner mer än förra året") is not the period of anything here
    window.years = [
        (s - base, min(e, end) - base, kp)
        for s, e, kp in findings.years
        if base <= s < end
        and not any(tuple(forms[max(0, s - base - len(w)) : s - base]) == w for w in lex.comparison_before_year)
    ]
    window.places = [(s - base, min(e, end) - base, code) for s, e, code in findings.places if base <= s < end]
    # clause breaks: found first, so the loop runs over the few break tokens instead of every token
    breaks = [i for i, f in enumerate(forms) if f in lex.clause_breaks and i > 0]
    if breaks:
        protected = {k for s, e in window.money for k in range(s, e)}
        protected.update(k for s, e, _ in window.years for k in range(s, e))
        conjunctions, no_break_after = lex.conjunctions, lex.no_break_after
        breaks = [
            i
            for i in breaks
            if i not in protected and not (forms[i] in conjunctions and forms[i - 1] in no_break_after)
        ]  # "till och med", "från och med" do not break
    clause, contrast = window.clause, lex.contrast
    current, last, previous = 0, 0, -2
    for i in breaks:
        if i != previous + 1:  # ", och" is one break
            clause.extend([current] * (i - last))
            current, last = current + 1, i
        if forms[i] in contrast:
            window.contrast_before.add(current)
        previous = i
    clause.extend([current] * (len(forms) - last))
    return window


class Context:
    """The sentences around a sum's sentence that may decide its attributes, built when first asked for.

    heading: a "...:" sentence heading this one; previous/following: the sentences before and after
    it in the same paragraph. Each is a sentence index; window(k) builds its Window.
    """

    def __init__(
        self,
        window: Callable[[int], Window],
        heading: int | None = None,
        previous: int | None = None,
        following: int | None = None,
        years_in: Callable[[int], bool] | None = None,
    ):
        self._window = window
        self._indexes = {"heading": heading, "previous": previous, "following": following}
        self._years_in = years_in

    def has_years(self, name: str) -> bool:
        """Whether that sentence may name a period, asked before building its Window for one (False
        only when years_in, the sentence's test for year findings, says none starts in it)."""
        k = self._indexes[name]
        return k is not None and (self._years_in is None or self._years_in(k))

    def _get(self, name: str) -> Window | None:
        k = self._indexes[name]
        return None if k is None else self._window(k)

    @property
    def heading(self) -> Window | None:
        return self._get("heading")

    @property
    def previous(self) -> Window | None:
        return self._get("previous")

    @property
    def following(self) -> Window | None:
        return self._get("following")
