"""Cue lexicons: loading the pattern files and finding their cues in a run of tokens.

The rule components decide attributes (status, tentative, qualifier, ...) from cue words near a
finding. The cues live in nlp/patterns/*.json as short token sequences, so a researcher can add
"tilldelades" without touching code. A plain word in a cue matches a token's lower-case form or
its lemma (the lookup lemmatizer maps "avsätts", "avsatta", "avsattes" to "avsätta"); "=word"
matches the form only, where tense decides ("fick" granted, "kan få" eligible); "-word" is a
one-word cue that ends a compound ("-budgeten" in "snöröjningsbudgeten"); "a|b" gives
alternatives; "*" skips up to five tokens but no punctuation ("kan staden få").

Matching is a dictionary lookup per token on the first word of each cue, so a few hundred cues
cost little on the handful of sentences that hold a sum.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

GAP = 5  # tokens one "*" may skip ("kan en kommun av Motalas storlek få")
_GAP_STOPS = frozenset({",", ".", ";", ":", "!", "?", "(", ")", "–", "—", "•"})  # a gap stays inside its clause


@cache
def load_patterns(name: str) -> Any:
    """A JSON pattern file from nlp/patterns, parsed once per process."""
    with resources.files("nlp").joinpath(f"patterns/{name}").open(encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class Cue:
    """One match: tokens [start, end) of the window carry the cue for label."""

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, eq=False)  # compared by identity: a pattern is one object
class _Pattern:
    kind: str
    label: str
    text: str
    # each element: None for a gap, else (alternatives, form_only)
    elements: tuple[tuple[frozenset[str], bool] | None, ...]
    weight: float  # tie-break between equally long matches: forms beat lemmas


def _compile(kind: str, label: str, cue: str) -> _Pattern:
    elements: list[tuple[frozenset[str], bool] | None] = []
    form_words = 0
    for word in cue.split():
        if word == "*":
            elements.append(None)
            continue
        form_only = word.startswith("=") and len(word) > 1
        word = word[1:] if form_only else word
        form_words += form_only
        elements.append((frozenset(w.casefold() for w in word.split("|")), form_only))
    if not elements or elements[0] is None or elements[-1] is None:
        raise ValueError(f"cue {cue!r}: must start and end with a word")
    return _Pattern(kind, label, cue, tuple(elements), len(elements) + 0.1 * form_words)


@dataclass(frozen=True)
class _Plan:
    """What CueMatcher.find tries at a token of one form and lemma. Most cues fail on their second
    word, so they are indexed by it: positions in candidates of the cues to try whatever comes next
    (always), and of those whose second word is the next token's form or lemma."""

    candidates: tuple[_Pattern, ...]
    always: list[int]
    second_form: dict[str, list[int]]
    second_lemma: dict[str, list[int]]


class CueMatcher:
    """Finds the cues of several kinds (status, tentative, ...) in one pass over a token window.

    Built from {kind: {label: [cue, ...]}}. Within a kind, the longest match wins where cues
    overlap; cues of different kinds may overlap ("totalt" is a recipient cue and a total cue).
    """

    def __init__(self, groups: dict[str, dict[str, Iterable[str]]]):
        self.kinds = tuple(groups)
        self._by_form: dict[str, list[_Pattern]] = {}
        self._by_lemma: dict[str, list[_Pattern]] = {}
        self._suffix_patterns: dict[str, list[_Pattern]] = {}
        for kind, labels in groups.items():
            for label, items in labels.items():
                for cue in items:
                    if cue.startswith("-") and " " not in cue:
                        suffix = cue[1:].casefold()
                        self._suffix_patterns.setdefault(suffix, []).append(_Pattern(kind, label, cue, (), 1.0))
                        continue
                    pattern = _compile(kind, label, cue)
                    first, form_only = pattern.elements[0]  # type: ignore[misc]
                    for alt in first:
                        self._by_form.setdefault(alt, []).append(pattern)
                        if not form_only:
                            self._by_lemma.setdefault(alt, []).append(pattern)
        self._suffixes = tuple(self._suffix_patterns)
        # forms known to end in a suffix cue, and every form already tested for one (grows per process)
        self._suffixed: set[str] = set()
        self._tested: set[str] = set()
        self._plans: dict[tuple[str, str], _Plan] = {}

    def _plan(self, form: str, lemma: str) -> _Plan:
        """The cues a token may start, in the order find() tries them, indexed by their second word."""
        candidates = self._by_form.get(form)
        lemma_candidates = self._by_lemma.get(lemma) if lemma != form else None
        if lemma_candidates:
            candidates = (candidates or []) + [p for p in lemma_candidates if p not in (candidates or ())]
        plan = _Plan(tuple(candidates or ()), [], {}, {})
        for j, pattern in enumerate(plan.candidates):
            second = pattern.elements[1] if len(pattern.elements) > 1 else None
            if second is None:  # a one-word cue, or a gap after the first word: always tried
                plan.always.append(j)
                continue
            alternatives, form_only = second
            for alt in alternatives:
                plan.second_form.setdefault(alt, []).append(j)
                if not form_only:
                    plan.second_lemma.setdefault(alt, []).append(j)
        if len(self._plans) > 200_000:
            self._plans.clear()
        self._plans[form, lemma] = plan
        return plan

    def _starts(self, forms: Sequence[str], lemmas: Sequence[str]) -> list[int]:
        """Indices of the tokens that may start a cue: most tokens start none, and finding the few
        with set operations and one comprehension costs less than testing each one in find()."""
        suffixed = self._suffixed
        if self._suffixes:
            new = set(forms).difference(self._tested)
            if new:
                if len(self._tested) > 200_000:
                    self._tested.clear()
                    suffixed.clear()
                    new = set(forms)
                self._tested.update(new)
                suffixes = self._suffixes
                suffixed.update(f for f in new if any(f.endswith(s) and len(f) > len(s) for s in suffixes))
        by_form, by_lemma = self._by_form, self._by_lemma
        return [i for i, f in enumerate(forms) if f in by_form or lemmas[i] in by_lemma or f in suffixed]

    def find(self, forms: Sequence[str], lemmas: Sequence[str]) -> dict[str, list[Cue]]:
        """{kind: cues in token order}, for a window given as lower-case forms and lemmas."""
        result: dict[str, list[Cue]] = {kind: [] for kind in self.kinds}
        for kind, cues in self.find_present(forms, lemmas).items():
            result[kind] = cues
        return result

    def find_present(self, forms: Sequence[str], lemmas: Sequence[str]) -> dict[str, list[Cue]]:
        """find() without the kinds that have no cue in the window (cheaper when most have none)."""
        found: list[tuple[int, int, _Pattern]] = []
        n = len(forms)
        plans, suffixes = self._plans, self._suffixes
        for i in self._starts(forms, lemmas):
            form, lemma = forms[i], lemmas[i]
            plan = plans.get((form, lemma)) or self._plan(form, lemma)
            if plan.candidates:
                picked = plan.always
                if i + 1 < n:
                    by_form = plan.second_form.get(forms[i + 1])
                    by_lemma = plan.second_lemma.get(lemmas[i + 1])
                    if by_form or by_lemma:
                        picked = sorted({*picked, *(by_form or ()), *(by_lemma or ())})
                for j in picked:
                    pattern = plan.candidates[j]
                    if len(pattern.elements) == 1:
                        found.append((i, i + 1, pattern))
                        continue
                    end = _match(pattern.elements, 1, forms, lemmas, i + 1)
                    if end is not None:
                        found.append((i, end, pattern))
            if suffixes and form.endswith(suffixes):
                for suffix in suffixes:
                    if form.endswith(suffix) and len(form) > len(suffix):
                        found.extend((i, i + 1, p) for p in self._suffix_patterns[suffix])
        result: dict[str, list[Cue]] = {}
        if not found:
            return result
        if len(found) > 1:
            found.sort(key=lambda m: (-(m[1] - m[0]), -m[2].weight, m[0]))
        taken: dict[str, set[int]] = {}
        for start, end, pattern in found:
            kind = pattern.kind
            mask = taken.get(kind)
            if mask is None:
                mask = taken[kind] = set()
            elif not mask.isdisjoint(range(start, end)):
                continue
            mask.update(range(start, end))
            result.setdefault(kind, []).append(Cue(start, end, pattern.label, pattern.text))
        for cues in result.values():
            if len(cues) > 1:
                cues.sort(key=lambda c: c.start)
        return result


def _match(elements, k: int, forms: Sequence[str], lemmas: Sequence[str], i: int) -> int | None:
    """End index of elements[k:] matched from token i, or None; gaps are lazy."""
    n = len(forms)
    while k < len(elements):
        element = elements[k]
        if element is None:
            following = elements[k + 1]
            for skip in range(GAP + 1):
                if skip and (i + skip - 1 >= n or forms[i + skip - 1] in _GAP_STOPS):
                    return None
                j = i + skip
                if following is not None and (
                    j >= n or (forms[j] not in following[0] and (following[1] or lemmas[j] not in following[0]))
                ):
                    continue  # the word after the gap is not here: no need to recurse
                end = _match(elements, k + 1, forms, lemmas, j)
                if end is not None:
                    return end
            return None
        if i >= n:
            return None
        alternatives, form_only = element
        if forms[i] not in alternatives and (form_only or lemmas[i] not in alternatives):
            return None
        k += 1
        i += 1
    return i
