"""kp_municipalities: municipalities named in the text, and the document's main one.

Writes doc.spans["municipalities"] (span._.kp = {"code": "1880", "name": "Örebro"}) and
doc._.municipality (the code the release is from or mainly about, None when national or
many; see nlp/main_municipality.py).

Every name form of the 290 municipalities is matched (PhraseMatcher on lower-case forms:
"Örebro", "Örebros", "Upplands-Bro", "Malung-Sälens"), then each match is judged by its context:

- "kommun"/"stad" after it, or "Region" before Gotland, make a strong mention;
- a county, region or diocese is not the municipality ("Stockholms län", "Region Örebro län",
  "Länsstyrelsen i Stockholm", "Örebro och Västmanlands län"), nor is a postal town after a
  postcode ("Box 474, 101 29 Stockholm");
- a name next to a first name, a party or a speech verb is a person ("Eva Lund",
  "Emil Berg (S)", "säger Berg"), and so is every later bare mention of that surname;
- names that are also Swedish words or people's names (nlp/patterns/municipalities_ambiguous.txt:
  Vara, Mark, Berg, Lund, Nora, ...) are never taken in lower case and, bare, only with
  evidence: a place preposition ("kommunalråd i Vara"), a place noun after the genitive
  ("Lunds universitet"), a neighbouring municipality in a list ("Vara, Skara och Lidköping"),
  another accepted mention of the same municipality, or the crawler's source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes
from nlp import gazetteer
from nlp.components.batching import BatchedComponent
from nlp.doc_arrays import doc_arrays
from nlp.main_municipality import MainMunicipality
from nlp.textscan import finditer_in_runs
from nlp.token_patterns import PatternSet, TokenView, read_lines, read_table

AMBIGUOUS_FILE = "municipalities_ambiguous.txt"
CONTEXT_FILE = "municipalities_context.txt"
FIRST_NAMES_FILE = "persons_first_names.txt"  # shared with kp_persons
STRONG_AFTER = {"kommun": "kommun", "kommuns": "kommun", "stad": "stad", "stads": "stad"}
_POSTCODE_3 = re.compile(r"^\d{3}$")
_POSTCODE_2 = re.compile(r"^\d{2}$")
_POSTCODE_5 = re.compile(r"^(?:se-?)?\d{5}$", re.IGNORECASE)
_PARTY = re.compile(r"^[A-ZÅÄÖ]{1,4}$|^[A-ZÅÄÖ][a-zåäö]{1,3}[A-ZÅÄÖ]\w*$")


@dataclass(frozen=True)
class Ambiguity:
    senses: frozenset[str]
    evidence: str  # always | initial | none


@dataclass
class Mention:
    code: str
    start: int
    end: int
    strong: bool = False
    evidence: bool = False
    person: bool = False
    needs_evidence: bool = False


class Rules:
    """The lexicons kp_municipalities and the main-municipality decision read, loaded once."""

    def __init__(self) -> None:
        self.by_code = {m.code: m for m in gazetteer.municipalities()}
        self.ambiguous: dict[str, Ambiguity] = {}
        for name, senses, evidence in read_table(AMBIGUOUS_FILE, 3):
            if evidence not in {"always", "initial", "none"}:
                raise ValueError(f"nlp/patterns/{AMBIGUOUS_FILE}: bad evidence {evidence!r} for {name}")
            self.ambiguous[name] = Ambiguity(frozenset(senses.split(",")), evidence)
        unknown = set(self.ambiguous) - {m.name for m in self.by_code.values()}
        if unknown:
            raise ValueError(f"nlp/patterns/{AMBIGUOUS_FILE}: not municipalities: {sorted(unknown)}")
        self.context = PatternSet((kind, pattern) for kind, pattern in read_table(CONTEXT_FILE, 2))
        # the national_sender patterns alone: MainMunicipality.national asks only for them
        self.national = PatternSet(
            (kind, pattern) for kind, pattern in read_table(CONTEXT_FILE, 2) if kind == "national_sender"
        )
        # context-word kinds per word, (lower-case hash, lemma hash) -> kinds: the same words recur
        # in every document (on a TokenView without lemma_of a token's patterns depend on those two)
        self.kinds: dict[tuple[int, int], frozenset[str]] = {}
        self.first_names = frozenset(line.strip() for line in read_lines(FIRST_NAMES_FILE))
        self.county_names = frozenset(
            m.county.removesuffix(" län").casefold() for m in self.by_code.values()
        ) | frozenset(m.county.removesuffix(" län").removesuffix("s").casefold() for m in self.by_code.values())
        self.domains = {
            gazetteer.domain_slug(variant): m.code
            for m in self.by_code.values()
            for variant in gazetteer.written_variants(m.name)
        }
        self.sender_labels = frozenset(
            word
            for kind, pattern in read_table(CONTEXT_FILE, 2)
            if kind == "sender_label"
            for word in pattern.split("|")
        )

    def ambiguity(self, code: str) -> Ambiguity | None:
        return self.ambiguous.get(self.by_code[code].name)


@Language.factory("kp_municipalities")
def make_component(nlp: Language, name: str) -> MunicipalityFinder:
    return MunicipalityFinder(nlp)


class MunicipalityFinder(BatchedComponent):
    def __init__(self, nlp: Language):
        self.rules = Rules()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for m in gazetteer.municipalities():
            self.matcher.add(m.code, [nlp.make_doc(form) for form in gazetteer.match_forms(m)])
        self.main = MainMunicipality(self.rules)
        self.label = nlp.vocab.strings.add("MUNICIPALITY")

    def __call__(self, doc: Doc) -> Doc:
        view = TokenView(doc)
        mentions = find_mentions(doc, view, self.matcher, self.rules)
        spans = []
        by_code = self.rules.by_code
        for m in mentions:
            span = Span(doc, m.start, m.end, label=self.label)
            span._.kp = {"code": m.code, "name": by_code[m.code].name}
            spans.append(span)
        doc.spans["municipalities"] = spans
        doc._.municipality = self.main.decide(view, mentions, doc._.municipality_hint)
        return doc


def find_mentions(doc: Doc, view: TokenView, matcher: PhraseMatcher, rules: Rules) -> list[Mention]:
    """The accepted municipality mentions of doc, in text order."""
    vocab_strings = doc.vocab.strings
    raw = sorted(((s, e, vocab_strings[k]) for k, s, e in matcher(doc)), key=lambda t: (t[0], -(t[1] - t[0])))
    ctx = Context(view, rules)
    candidates: list[Mention] = []
    last_end = -1
    for start, end, code in raw:
        if start < last_end:
            continue  # "Upplands Väsby" wins over a shorter overlapping form
        last_end = end
        m = _judge(ctx, Mention(code, start, end))
        if m is not None:
            candidates.append(m)
    candidates.extend(_hyphen_compounds(ctx, {i for m in candidates for i in range(m.start, m.end)}))
    candidates.sort(key=lambda m: m.start)
    named = {i for m in candidates for i in range(m.start, m.end)}
    candidates = [m for m in candidates if m.strong or not _in_district_list(ctx, m, named)]

    surnames = {ctx.text(m) for m in candidates if m.person}
    for m in candidates:
        if not m.person and not m.strong and not m.evidence and ctx.text(m) in surnames:
            m.person = True  # "Eva Lund ... säger Lund": the surname again
    live = [m for m in candidates if not m.person]
    _propagate_list_evidence(ctx, live)
    confirmed = {m.code for m in live if m.strong or m.evidence or not m.needs_evidence}
    hint = doc._.municipality_hint
    accepted = []
    for m in live:
        # a bare "Lund" mid-sentence in a text that elsewhere names Lunds kommun (or comes from
        # Lund's newsroom) is the place; at a sentence start it may still be the word
        if (
            m.needs_evidence
            and not (m.strong or m.evidence)
            and ((m.code not in confirmed and m.code != hint) or view.initial(m.start))
        ):
            continue
        accepted.append(m)
    return accepted


class Context:
    """A doc's tokens with the context-word kinds of each, computed on demand.

    The hot paths read the view's plain lists and slice token texts from the Doc's text
    directly: TokenView's lazy columns cost a method call per access.
    """

    def __init__(self, view: TokenView, rules: Rules):
        self.view = view
        self.rules = rules
        self.n = len(view)
        self.is_space = view.is_space
        self._lower_h, self._lemma_h = view.lower_h, view.lemma_h
        self._kinds = rules.kinds
        self._doc_text = view.doc_text
        self._idx = view.idx
        self._length = doc_arrays(view.doc).length

    def kind(self, i: int | None, kind: str) -> bool:
        if i is None or not 0 <= i < self.n:
            return False
        key = (self._lower_h[i], self._lemma_h[i])
        kinds = self._kinds.get(key)
        if kinds is None:
            if len(self._kinds) > _KINDS_LIMIT:
                self._kinds.clear()
            kinds = self._kinds[key] = self.rules.context.single_at(self.view, i)
        return kind in kinds

    def word(self, i: int) -> str:
        """The text of token i (view.text[i])."""
        start = self._idx[i]
        return self._doc_text[start : start + self._length[i]]

    def text(self, m: Mention) -> str:
        if m.end - m.start == 1:
            return self.word(m.start).casefold()
        return " ".join(self.word(i) for i in range(m.start, m.end)).casefold()

    def prev_word(self, i: int) -> int | None:
        """The token before i, unless a line break or the doc start comes first."""
        return i - 1 if i > 0 and not self.is_space[i - 1] else None

    def next_word(self, i: int) -> int | None:
        return i if i < self.n and not self.is_space[i] else None


_KINDS_LIMIT = 200_000  # distinct words remembered in Rules.kinds


def _judge(ctx: Context, m: Mention) -> Mention | None:
    """The mention with its strength and evidence set, or None when it is not a municipality."""
    view, rules = ctx.view, ctx.rules
    amb = rules.ambiguity(m.code)
    words = [ctx.word(i) for i in range(m.start, m.end)]
    lower_case = all(w == w.lower() for w in words)
    if lower_case and amb is not None:
        return None  # "vara", "mark", "berg": the word
    if not lower_case and not words[0][:1].isupper():
        return None  # "iLund" and other odd casing
    prev_i, next_i = ctx.prev_word(m.start), ctx.next_word(m.end)
    prev = view.lower[prev_i] if prev_i is not None else ""
    nxt = view.lower[next_i] if next_i is not None else ""

    # counties, regions, dioceses and postal towns are not the municipality
    if ctx.kind(prev_i, "county_before"):
        if m.code == gazetteer.GOTLAND and prev in {"region", "regionen"}:
            m.start, m.strong = prev_i, True
            return m
        return None
    if prev == "i" and ctx.kind(ctx.prev_word(prev_i), "county_before"):
        return None
    if ctx.kind(next_i, "county_after") or _coordinated_county(ctx, m.end) or _after_postcode(view, m.start):
        return None

    if next_i is not None and nxt in STRONG_AFTER and ctx.word(next_i)[:1] in "ksKS":
        m.end, m.strong = next_i + 1, True
        return m

    # people: "Eva Lund", "Emil Berg (S)", "säger Berg", "Nora Ahmed"
    m.person = (
        (prev_i is not None and ctx.word(prev_i) in rules.first_names)
        or (next_i is not None and _party_after(view, next_i))
        or (amb is not None and "given" in amb.senses and next_i is not None and _surname_like(view, next_i))
        or (amb is not None and (ctx.kind(prev_i, "person_before") or ctx.kind(next_i, "person_after")))
    )
    if m.person:
        return m
    m.evidence = ctx.kind(prev_i, "place_before") or ctx.kind(next_i, "place_after")
    if amb is not None:
        m.needs_evidence = amb.evidence == "always" or (amb.evidence == "initial" and view.initial(m.start))
    return m


def _hyphen_compounds(ctx: Context, covered: set[int]) -> list[Mention]:
    """Names inside hyphenated words: "Örebro-modellen", "Malmö-Lund" (unambiguous names only)."""
    view = ctx.view
    text = view.doc_text
    if "-" not in text:
        return []
    out = []
    index = gazetteer.form_index()
    for word in finditer_in_runs(_HYPHEN, text, "-"):
        i = bisect_right(view.idx, word.start()) - 1
        if i < 0 or i in covered or view.idx[i] != word.start() or ctx.word(i) != word.group():
            continue  # not one token ("2020-2027" splits, "e-post" is one word but no name)
        for part in word.group().split("-"):
            code = index.get(part.casefold()) if part[:1].isupper() else None
            if code and ctx.rules.ambiguity(code) is None:
                out.append(Mention(code, i, i + 1))
    return out


# "Örebro-modellen", not "2020-2027" or an address: a whole token of letters joined by hyphens
# (every match holds "-" and no whitespace, as finditer_in_runs requires)
_HYPHEN = re.compile(r"(?<![\w@./-])[^\W\d_]+(?:-[^\W\d_]+)+(?![\w@-])")


def _in_district_list(ctx: Context, m: Mention, named: set[int]) -> bool:
    """The name is one of a list of city districts: "stadsdelarna Hässleholmen, Norrby och Sjöbo".

    A list counts as districts when a district word stands before it, or when two or more of
    its other items are single capitalised words that are not municipalities (districts have
    one-word names; "Maria Ek" or "IFK Göteborg" end the walk instead).
    """
    view = ctx.view
    n, is_alpha, is_upper = ctx.n, view.is_alpha, view.is_upper
    others = 0

    def item_end(i: int, step: int) -> int:
        """The token after the run of capitalised words starting at i, walking by step."""
        while 0 <= i < n and (i in named or (is_alpha[i] and ctx.word(i)[:1].isupper() and not is_upper[i])):
            i += step
        return i

    def walk(i: int, step: int) -> int:
        nonlocal others
        while 0 <= i < len(view) and not view.is_space[i]:
            if ctx.kind(i, "list_link"):
                i += step
                continue
            j = item_end(i, step)
            if j == i:
                break
            run = range(i, j, step)
            if any(k in named for k in run):
                i = j
                continue
            if len(run) > 1 or view.sent_start(min(i, j - step)):
                break
            others += 1
            i = j
        return i

    if ctx.kind(m.start - 1, "district_before"):
        return True  # "Kvarteret Malmö", "stadsdelen Berga"
    before = walk(item_end(m.start, -1), -1)
    walk(item_end(m.end - 1, 1), 1)
    return ctx.kind(before, "district_before") or others >= 2


def _propagate_list_evidence(ctx: Context, mentions: list[Mention]) -> None:
    """Names joined by list links to a sure mention are sure too ("Vara, Skara och Lidköping")."""
    changed = True
    while changed:
        changed = False
        for a, b in pairwise(mentions):
            gap = range(a.end, b.start)
            if len(gap) > 2 or not all(ctx.kind(i, "list_link") for i in gap):
                continue
            a_sure = a.strong or a.evidence or not a.needs_evidence
            b_sure = b.strong or b.evidence or not b.needs_evidence
            if a_sure and not b_sure:
                b.evidence = changed = True
            elif b_sure and not a_sure:
                a.evidence = changed = True


def _party_after(view: TokenView, i: int) -> bool:
    """A party in brackets right after a name: "(S)", "(KD)", "(SPI)"."""
    return (
        i + 2 < len(view) and view.text[i] == "(" and view.text[i + 2] == ")" and bool(_PARTY.match(view.text[i + 1]))
    )


def _surname_like(view: TokenView, i: int) -> bool:
    """A capitalised word that can be a surname (not a place noun like "Kommun" or "Stad")."""
    return view.is_alpha[i] and view.capitalised(i) and view.lower[i] not in STRONG_AFTER


def _coordinated_county(ctx: Context, i: int) -> bool:
    """The name is the first of a list of counties: "Örebro och Västmanlands län"."""
    view, counties = ctx.view, ctx.rules.county_names
    j, seen_county = i, False
    while j < min(len(view), i + 8):
        low = view.lower[j]
        if low in {"län", "läns"}:
            return seen_county
        if ctx.kind(j, "list_link"):
            j += 1
        elif low in counties:
            seen_county, j = True, j + 1
        elif j + 1 < len(view) and f"{low} {view.lower[j + 1]}" in counties:
            seen_county, j = True, j + 2
        else:
            return False
    return False


def _after_postcode(view: TokenView, i: int) -> bool:
    """A postal town: "Box 474, 101 29 Stockholm", "SE-631 86 Eskilstuna"."""
    if i >= 1 and _POSTCODE_5.match(view.lower[i - 1]):
        return True
    return i >= 2 and bool(_POSTCODE_2.match(view.lower[i - 1])) and bool(_POSTCODE_3.match(view.lower[i - 2]))
