"""kp_measures: phrases naming planned or ongoing measures, and their areas.

Writes doc.spans["measures"] (span._.kp = {"category": "trygghet"}) and doc._.categories (the
SCHEMA's category ids, in order of first appearance).

Press releases about segregation name the same areas twice: as the problem ("områden med hög
arbetslöshet, låg utbildningsnivå och lågt valdeltagande") and as what the money is for
("insatser för ökad sysselsättning, satsningar på utbildning"). Only the second counts. So an
area word (nlp/patterns/measures_terms.txt, matched on lemmas and compound lemmas:
"trygghetskamerorna", "bostadssegregationen") counts when its sentence says it is the object
of a measure, judged by cue words (nlp/patterns/measures_cues.txt):

1. a problem modifier right before it makes it the problem ("hög arbetslöshet", "brist på
   bostäder", "ökad brottslighet" - but "ökad sysselsättning" is a goal), unless a measure verb
   governs that phrase ("minska den höga arbetslösheten");
2. a problem predicate right after it does too ("valdeltagandet låg under 50 procent",
   "brottsligheten har ökat", "följer upp hur pengarna används");
3. otherwise the nearest cue before it in the sentence decides: a measure cue ("insatser för",
   "minska", "satsar på", "pengarna ska gå till") makes it a measure, a problem frame
   ("kännetecknas av", "utmaningar", "områden med", "skiljer sig") does not, and a negated
   measure ("saknar satsningar på") does not;
4. a word that names a measure by itself ("kartläggning", "trygghetskameror", "läxhjälp")
   counts without a cue; any other word takes the nearest cue after it, or does not count.

Words that are capitalised inside a sentence are names (Familjebostäder, Brottsförebyggande
rådet), and compounds whose head is a title or an office (folkhälsostrateg,
arbetsmarknadsförvaltningen) are not areas.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes
from nlp.components.batching import BatchedComponent
from nlp.token_patterns import Match, PatternSet, TokenView, lemma_table_lookup, read_table

TERMS_FILE = "measures_terms.txt"
CUES_FILE = "measures_cues.txt"
CATEGORIES = ("boende", "utbildning", "arbete", "demokrati", "trygghet", "barn_unga", "fritid", "halsa", "kunskap")
KINDS = ("topic", "measure", "venue", "-")
FRAME_CUES = ("measure", "money", "goto", "problem", "trend")
CLAUSE_BREAK = frozenset({"och", "men", "samt", "som", "att", "eller", "där", "när", "medan", "eftersom"})
DETERMINERS = frozenset({"den", "det", "de", "en", "ett"})
VENUE_BEFORE = frozenset({"på", "i", "vid"})
ABOUT_HEADING = 5  # tokens of an "Om Norrköpings kommun" heading
SPAN_REACH = 6  # a measure span starts at its cue when the cue is this close to the area word
AFTER_REACH = 5  # tokens between an area word and a problem predicate after it, within its clause

# the cue types decide() looks for, by the polarity of the area word
_MODIFIERS = {"": ("modifier",), "neg": ("modifier", "modifier_neg"), "pos": ("modifier", "modifier_pos")}
_AFTERS = {"": ("after", "admin"), "neg": ("after", "admin", "after_neg"), "pos": ("after", "admin", "after_pos")}
# hashes of the lower-case forms, as in TokenView.lower_h: no string is made per token
_CLAUSE_BREAK_H = frozenset(get_string_id(w) for w in CLAUSE_BREAK)
_OM = get_string_id("om")


@dataclass(frozen=True)
class Term:
    category: str
    kind: str
    polarity: str


def _load_terms() -> list[tuple[Term, str]]:
    entries = []
    for category, kind, polarity, pattern in read_table(TERMS_FILE, 4):
        if category not in CATEGORIES and category != "none":
            raise ValueError(f"nlp/patterns/{TERMS_FILE}: unknown category {category!r}")
        if kind not in KINDS:
            raise ValueError(f"nlp/patterns/{TERMS_FILE}: unknown kind {kind!r}")
        entries.append((Term(category, kind, polarity), pattern))
    return entries


@Language.factory("kp_measures")
def make_component(nlp: Language, name: str) -> MeasureFinder:
    return MeasureFinder(nlp)


class MeasureFinder(BatchedComponent):
    def __init__(self, nlp: Language):
        self.nlp = nlp
        # one pattern set for area words (payload Term) and cues (payload: the cue type), so a
        # document is scanned once
        cues = [(kind, pattern) for kind, pattern in read_table(CUES_FILE, 2)]
        self.patterns = PatternSet([*_load_terms(), *cues])
        self._lemma_of = None
        self._looked_up = False

    def __call__(self, doc: Doc) -> Doc:
        if not self._looked_up:  # the lemma table is there only after nlp.initialize()
            self._lemma_of = lemma_table_lookup(self.nlp)
            self._looked_up = self._lemma_of is not None
        view = TokenView(doc, self._lemma_of)
        matches = self.patterns.find(view)
        about = _about_blocks(view)
        if about:
            matches = [m for m in matches if not any(a <= m.start < b for a, b in about)]
        spans: list[Span] = []
        categories: list[str] = []  # in order of the area words, which is text order
        for sentence in _sentences_with_terms(view, matches):
            terms = self.terms(view, sentence)
            if not terms:
                continue
            cues = Cues([m for m in sentence if type(m.payload) is str])
            for t in terms:
                span_start = decide(view, t, cues)
                if span_start is not None:
                    category = t.payload.category
                    span = Span(doc, span_start, t.end, label=category)
                    span._.kp = {"category": category}
                    spans.append(span)
                    if category not in categories:
                        categories.append(category)
        doc.spans["measures"] = spans
        doc._.categories = categories
        return doc

    def terms(self, view: TokenView, sentence: list[Match]) -> list[Match]:
        """Area words of a sentence: every multi-word term, and per word the first fitting entry."""
        found: list[Match] = []
        single_seen = -1
        heads: set[int] | None = None
        for m in sentence:
            term = m.payload
            if type(term) is not Term:
                continue
            if m.end - m.start == 1:
                if m.start == single_seen:
                    continue  # the first single-word entry in file order wins ("none" blocks)
                single_seen = m.start
                if heads is None:
                    heads = {
                        h.start
                        for h in sentence
                        if type(h.payload) is str and h.payload == "head" and h.end - h.start == 1
                    }
                if m.start in heads:
                    continue  # a title or an office: folkhälsostrateg, arbetsmarknadsförvaltningen
            if term.category != "none" and _usable(view, m):
                found.append(m)
        found.sort(key=_start_end)
        return found


def _start_end(m: Match) -> tuple[int, int]:
    return m.start, m.end


def _sentences_with_terms(view: TokenView, matches: list[Match]) -> Iterator[list[Match]]:
    """The matches of each sentence that has an area word among them (none reach across a sentence end)."""
    k, count = 0, len(matches)
    for start, end in view.sentences():
        if k == count:
            return
        if matches[k].start >= end:
            continue
        sentence: list[Match] = []
        has_term = False
        while k < count and matches[k].start < end:
            m = matches[k]
            if m.start >= start and m.end <= end:
                sentence.append(m)
                has_term = has_term or type(m.payload) is Term
            k += 1
        if has_term:
            yield sentence


class Cues:
    """A sentence's cues: frame cues without overlaps (longest first), the rest by position."""

    def __init__(self, matches: list[Match]):
        self.frames: list[Match] = []
        self.ending: dict[tuple[str, int], bool] = {}
        self.starting: dict[int, list[Match]] = {}
        self.has_money = False
        self.negator_ends: set[int] = set()  # ends_at("negator", i) for i in it
        taken: set[int] = set()
        for m in matches:  # sorted by start, longer first
            kind = m.payload
            self.ending[(kind, m.end)] = True
            at = self.starting.get(m.start)
            if at is None:
                self.starting[m.start] = [m]
            else:
                at.append(m)
            if kind == "money":
                self.has_money = True
            elif kind == "negator":
                self.negator_ends.add(m.end)
            if kind in FRAME_CUES and taken.isdisjoint(range(m.start, m.end)):
                taken.update(range(m.start, m.end))
                self.frames.append(m)

    def ends_at(self, kind: str, i: int) -> bool:
        return self.ending.get((kind, i), False)

    def starts_at(self, kinds: tuple[str, ...], i: int) -> bool:
        return any(m.payload in kinds for m in self.starting.get(i, ()))


def decide(view: TokenView, t: Match, cues: Cues) -> int | None:
    """Where the measure phrase naming area word t starts, or None when t is not a measure."""
    term: Term = t.payload
    for kind in _MODIFIERS.get(term.polarity, _MODIFIERS[""]):
        if cues.ends_at(kind, t.start):
            return _governed_problem(view, t, cues)
    afters = _AFTERS.get(term.polarity, _AFTERS[""])
    starting, is_punct, is_space, lower_h = cues.starting, view.is_punct, view.is_space, view.lower_h
    for i in range(t.end, min(t.end + AFTER_REACH + 1, len(view))):
        if i in starting and cues.starts_at(afters, i):
            return None
        if is_punct[i] or is_space[i] or lower_h[i] in _CLAUSE_BREAK_H:
            break

    left = _nearest_left(t, cues)
    if left is not None:
        if left.payload == "trend":
            # "har ökat tryggheten" acts on the area word; "har ökat, och ..." describes a trend
            acts_on = all(w in DETERMINERS for w in view.lower[left.end : t.start])
            return left.start if acts_on and t.start - left.end <= 1 else None
        if left.payload == "problem" or _negated(left, cues):
            return None
        return _phrase_start(view, t, left, cues)
    if term.kind == "measure":
        return t.start
    right = _nearest_right(t, cues)
    if right is not None and right.payload not in ("problem", "trend"):
        return t.start
    return None


def _phrase_start(view: TokenView, t: Match, left: Match, cues: Cues) -> int:
    """The earliest measure cue of the phrase: "insatser för ökad trygghet", not "ökad trygghet"."""
    start = t.start
    for m in reversed(cues.frames):
        if m.end > left.end:
            continue
        if t.start - m.start > SPAN_REACH or m.payload in ("problem", "trend"):
            break
        if any(view.is_punct[m.end : start]):
            break
        if m.payload != "measure" and start < t.start:
            break  # "pengarna går till | insatser för ökad trygghet"
        start = m.start
    return start


def _governed_problem(view: TokenView, t: Match, cues: Cues) -> int | None:
    """A measure verb right before the problem phrase: "minska den höga arbetslösheten"."""
    for m in cues.frames:
        if m.end <= t.start - 1 and t.start - 1 - m.end <= 1 and m.payload == "measure":
            between = view.lower[m.end : t.start - 1]
            if all(w in {"den", "det", "de"} for w in between):
                return m.start
    return None


def _effective(m: Match, cues: Cues) -> bool:
    """A "gå till" is a measure cue only where the sentence names money."""
    return m.payload != "goto" or cues.has_money


def _nearest_left(t: Match, cues: Cues) -> Match | None:
    best = None
    for m in cues.frames:
        if m.end <= t.start and _effective(m, cues):
            best = m  # frames are in text order: the last one before t is the nearest
        elif m.start >= t.start:
            break
    return best


def _nearest_right(t: Match, cues: Cues) -> Match | None:
    for m in cues.frames:
        if m.start >= t.end and _effective(m, cues):
            return m
    return None


def _negated(m: Match, cues: Cues) -> bool:
    """A measure named as missing: "saknar (en tydlig) satsning på", "inga insatser för"."""
    if m.payload not in ("measure", "money"):
        return False
    return not cues.negator_ends.isdisjoint(range(max(m.start - 3, 0), m.start + 1))


def _about_blocks(view: TokenView) -> list[tuple[int, int]]:
    """Token ranges of "about us" boilerplate: the paragraph under "Om oss" or "Om Katrineholms kommun".

    A newsroom's self-description ("Kommunen erbjuder förskola, skola och omsorg till 34 000
    invånare") names areas of its services, not measures against segregation.
    """
    if not _om_at_line_start(view):
        return []
    blocks = []
    lines = view.lines()
    for n, (a, b) in enumerate(lines[:-1]):
        if view.lower[a] != "om" or b - a > ABOUT_HEADING:
            continue
        rest = range(a + 1, b)
        if rest and (
            view.lower[a + 1] == "oss" or all(view.capitalised(i) or view.lower[i] in {"kommun", "stad"} for i in rest)
        ):
            blocks.append(lines[n + 1])
    return blocks


def _om_at_line_start(view: TokenView) -> bool:
    """Whether some "om" follows whitespace or starts the text: else no line is an "Om ..." heading."""
    lower_h, is_space = view.lower_h, view.is_space
    i = -1
    try:
        while True:
            i = lower_h.index(_OM, i + 1)
            if i == 0 or is_space[i - 1]:
                return True
    except ValueError:
        return False


def _usable(view: TokenView, m: Match) -> bool:
    """Not a name, not a venue after "på/i/vid"."""
    if view.capitalised(m.start) and not view.initial(m.start):
        return False
    if m.payload.kind == "venue" and m.start > 0:
        if view.lower[m.start - 1] in VENUE_BEFORE:
            return False
        if view.capitalised(m.start - 1) and not view.initial(m.start - 1):
            return False  # part of a place name: "Vårby gård"
    return True
