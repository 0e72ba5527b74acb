"""kp_money: every sum of money, normalised to whole SEK, with its attributes.

Writes doc.spans["money"] (label MONEY); each span's _.kp holds value_sek, per_year,
year_start, year_end, recipient, qualifier, status, tentative (tests/data/SCHEMA.md).
Sums are found by nlp/money_mentions.py over the text; their attributes by
nlp/money_attributes.py over the sentence and clause around each sum and the sentences
next to it. It reads the "years" group of kp_dates, the "municipalities" group and
doc._.municipality of kp_municipalities, and the sentence boundaries of kp_sentences;
without them it still finds the sums and leaves what it cannot know empty.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache

from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

import nlp.extensions  # noqa: F401 - registers Doc._ and Span._ attributes
from nlp.components.batching import BatchedComponent
from nlp.doc_arrays import doc_arrays
from nlp.money_attributes import (
    Discourse,
    attributes,
    is_pending_decision,
    is_tentative_remark,
    lead_frames_proposal,
    remark_words,
    share_repeated,
)
from nlp.money_mentions import MoneyMention, find_money
from nlp.money_windows import Context, Findings, Sentence, TokenStrings, Window, make_window
from nlp.textscan import doc_text

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
LEAD_SENTENCES = 8  # how far into the text a lead may reach
HEADING_REACH = 12  # sentences a "...:" heading may head
_KNOWN = frozenset({"granted", "eligible"})  # statuses a decision still to come does not make uncertain
# Every proposal cue of money_cues.json "tentative_frame" holds one of these stems.
_FRAME_WORDS = re.compile(r"förslag|föreslå|budgetprop|aviser|ändringsbudget", re.IGNORECASE)


@cache
def _remark_hashes() -> frozenset[int]:
    """The lower-case hashes of remark_words(), to test a sentence's tokens without making strings."""
    return frozenset(get_string_id(w) for w in remark_words())


class _Sentences:
    """The Doc's sentences as columns of token and character offsets, read from its arrays
    (iterating doc.sents builds every Token on the way); a Sentence object is made only for the
    few sentences that get a window. Character offsets run up to the next sentence."""

    def __init__(self, doc: Doc, n_chars: int):
        if len(doc) == 0:
            self.starts, self.ends, self.start_chars, self.end_chars = [0], [0], [0], [n_chars]
            return
        cols = doc_arrays(doc)
        idx = cols.idx
        self.starts = cols.sent_starts
        self.ends = [*self.starts[1:], len(doc)]
        self.start_chars = [idx[a] for a in self.starts]
        self.end_chars = [*self.start_chars[1:], n_chars]

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, k: int) -> Sentence:
        return Sentence(self.starts[k], self.ends[k], self.start_chars[k], self.end_chars[k])


@Language.factory("kp_money")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component(BatchedComponent):
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans: list[Span] = []
        mentions: list[MoneyMention] = []
        for mention in find_money(text):
            span = doc.char_span(mention.start, mention.end, label="MONEY", alignment_mode="expand")
            if span is None or (spans and span.start < spans[-1].end):
                continue
            spans.append(span)
            mentions.append(mention)
        doc.spans["money"] = spans
        if spans:  # every span's _.kp is set once, by the resolver (an extension attribute costs)
            _Resolver(doc, text, spans).run(mentions)
        return doc


class _Resolver:
    """Builds sentence windows lazily (only around sums) and decides every sum's attributes in order."""

    def __init__(self, doc: Doc, text: str, spans: list[Span]):
        self.doc = doc
        self.text = text
        self.spans = spans
        self.sents = _Sentences(doc, len(text))
        self.starts = self.sents.starts
        years = list(doc.spans["years"]) if "years" in doc.spans else []
        places = list(doc.spans["municipalities"]) if "municipalities" in doc.spans else []
        self.findings = Findings.of(spans, years, places)
        self.year_starts = sorted(s for s, _, _ in self.findings.years)
        # sentence k ends a paragraph when a blank line lies between its start and the next sentence
        self.break_after = [False] * len(self.sents)
        start_chars, end_chars = self.sents.start_chars, self.sents.end_chars
        for m in _BLANK_LINE.finditer(text):
            k = bisect_right(start_chars, m.start()) - 1
            if k >= 0 and m.start() < end_chars[k]:
                self.break_after[k] = True
        self.break_after[-1] = True
        self.windows: dict[int, Window] = {}
        self.tokens = TokenStrings(doc)
        self._heading: dict[int, int | None] = {}
        self._lead_end: int | None = None
        self.found: list[dict] = []  # each span's _.kp, in span order (the same dicts)

    def sentence_text(self, k: int) -> str:
        return self.text[self.sents.start_chars[k] : self.sents.end_chars[k]].rstrip()

    def window(self, k: int) -> Window:
        window = self.windows.get(k)
        if window is None:
            window = self.windows[k] = make_window(self.sents[k], self.text, self.findings, self.tokens)
        return window

    def heading(self, k: int) -> int | None:
        """The sentence ending in ":" that heads sentence k, if any (asked once per sum)."""
        if k not in self._heading:
            heading = None
            for j in range(k - 1, max(-1, k - 1 - HEADING_REACH), -1):
                if self.sentence_text(j).endswith(":"):
                    heading = j  # may end the paragraph before: a blank line often sets off the list
                    break
                if self.break_after[j]:
                    break
            self._heading[k] = heading
        return self._heading[k]

    def context(self, k: int) -> Context:
        previous = k - 1 if k > 0 and not self.break_after[k - 1] else None
        following = k + 1 if k + 1 < len(self.sents) and not self.break_after[k] else None
        return Context(self.window, self.heading(k), previous, following, self.years_in)

    def years_in(self, k: int) -> bool:
        """Whether a year finding starts in sentence k."""
        i = bisect_left(self.year_starts, self.starts[k])
        return i < len(self.year_starts) and self.year_starts[i] < self.sents.ends[k]

    def lead_end(self) -> int:
        """Sentences of the lead: up to the first full sentence (the title, dateline and first
        sentence of the body), at most LEAD_SENTENCES."""
        if self._lead_end is None:
            self._lead_end = min(LEAD_SENTENCES, len(self.sents))
            starts, ends = self.sents.starts, self.sents.ends
            for k in range(self._lead_end):
                if self.sentence_text(k).endswith((".", "!", "?")) and ends[k] - starts[k] >= 6:
                    self._lead_end = k + 1
                    break
        return self._lead_end

    def lead(self):
        """Windows of the lead, built only when it can hold a proposal word at all."""
        n = self.lead_end()
        if n and _FRAME_WORDS.search(self.text, 0, self.sents.end_chars[n - 1]):
            yield from (self.window(k) for k in range(n))

    def lead_period(self) -> tuple[int, int] | None:
        """The one closed period the lead names ("Så användes pengarna 2019", "förslag till budget
        för 2024"): what the release is about until a sum says otherwise."""
        n = self.lead_end()
        end = self.sents.ends[n - 1] if n else 0
        periods = {
            (kp.get("year_start"), kp.get("year_end"))
            for start, _, kp in self.findings.years
            if start < end and kp.get("year_start") and kp.get("year_end") and kp.get("kind") != "now"
        }  # "Nu kan föreningarna söka ...": when the news happens, not the period it is about
        return periods.pop() if len(periods) == 1 else None

    def run(self, mentions: list[MoneyMention]) -> None:
        discourse = Discourse(doc_municipality=self.doc._.municipality)
        discourse.frame_tentative = lead_frames_proposal(self.lead())
        discourse.topic = self.lead_period()
        for span, mention in zip(self.spans, mentions, strict=True):
            k = bisect_right(self.starts, span.start) - 1
            w = self.window(k)
            relative = span.start - self.starts[k]
            index = next(i for i, (s, _) in enumerate(w.money) if s == relative)
            found = attributes(w, index, mention.value_sek, self.context(k), discourse, mention.qualifier)
            span._.kp = found
            self.found.append(found)
        share_repeated(discourse.sums)
        self.apply_remarks()

    def apply_remarks(self) -> None:
        """A tentative remark ("Beloppen är preliminära.") makes tentative the sums before it in its
        paragraph, or, when it opens a paragraph, the sums of the paragraph before (a list). A
        decision still to come ("Beslut väntas i juni.") does so only for the sums not yet decided
        or offered: what was granted or may be applied for is known."""
        paragraph = [0]
        for ends in self.break_after[:-1]:
            paragraph.append(paragraph[-1] + ends)
        sentence_of = {span.start: bisect_right(self.starts, span.start) - 1 for span in self.spans}
        with_money = set(sentence_of.values())
        remark_hashes, lower_h = _remark_hashes(), self.tokens.lower_h
        for k in sorted({j + 1 for j in with_money if j + 1 < len(self.sents)}):
            if k in with_money or remark_hashes.isdisjoint(lower_h[self.starts[k] : self.sents.ends[k]]):
                continue  # neither a remark nor a pending decision can be: skip building the window
            pending = False
            if not is_tentative_remark(self.window(k)):
                pending = is_pending_decision(self.window(k))
                if not pending:
                    continue
            reach = {paragraph[k], paragraph[k] - 1} if self.break_after[k - 1] else {paragraph[k]}
            for span, kp in zip(self.spans, self.found, strict=True):
                j = sentence_of[span.start]
                if j < k and paragraph[j] in reach and not (pending and kp["status"] in _KNOWN):
                    kp["tentative"] = True
