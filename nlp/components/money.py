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

from spacy.language import Language
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
    share_repeated,
)
from nlp.money_mentions import find_money
from nlp.money_windows import Context, Findings, Sentence, TokenStrings, Window, make_window
from nlp.textscan import doc_text

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
LEAD_SENTENCES = 8  # how far into the text a lead may reach
HEADING_REACH = 12  # sentences a "...:" heading may head
_KNOWN = frozenset({"granted", "eligible"})  # statuses a decision still to come does not make uncertain
# Every proposal cue of money_cues.json "tentative_frame" holds one of these stems.
_FRAME_WORDS = re.compile(r"förslag|föreslå|budgetprop|aviser|ändringsbudget", re.IGNORECASE)


def _sentences(doc: Doc, n_chars: int) -> list[Sentence]:
    """The Doc's sentences from its columns (iterating doc.sents builds every Token on the way)."""
    if len(doc) == 0:
        return [Sentence(0, 0, 0, n_chars)]
    cols = doc_arrays(doc)
    idx, starts = cols.idx, cols.sent_starts
    ends = [*starts[1:], len(doc)]
    return [Sentence(a, b, idx[a], idx[b] if b < len(doc) else n_chars) for a, b in zip(starts, ends, strict=True)]


@Language.factory("kp_money")
def make_component(nlp: Language, name: str) -> Component:
    return Component()


class Component(BatchedComponent):
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans: list[Span] = []
        own_qualifier: dict[int, str | None] = {}
        for mention in find_money(text):
            span = doc.char_span(mention.start, mention.end, label="MONEY", alignment_mode="expand")
            if span is None or (spans and span.start < spans[-1].end):
                continue
            spans.append(span)
            own_qualifier[span.start] = mention.qualifier
            span._.kp = {"value_sek": mention.value_sek}
        doc.spans["money"] = spans
        if spans:
            _Resolver(doc, text, spans).run(own_qualifier)
        return doc


class _Resolver:
    """Builds sentence windows lazily (only around sums) and decides every sum's attributes in order."""

    def __init__(self, doc: Doc, text: str, spans: list[Span]):
        self.doc = doc
        self.text = text
        self.spans = spans
        self.sents = _sentences(doc, len(text))
        self.starts = [s.start for s in self.sents]
        years = list(doc.spans["years"]) if "years" in doc.spans else []
        places = list(doc.spans["municipalities"]) if "municipalities" in doc.spans else []
        self.findings = Findings.of(spans, years, places)
        # sentence k ends a paragraph when a blank line lies between its start and the next sentence
        blank_lines = [m.start() for m in _BLANK_LINE.finditer(text)]
        self.break_after = [
            bisect_left(blank_lines, s.start_char) < bisect_left(blank_lines, s.end_char) for s in self.sents
        ]
        self.break_after[-1] = True
        self.windows: dict[int, Window] = {}
        self.tokens = TokenStrings(doc)

    def sentence_text(self, k: int) -> str:
        return self.text[self.sents[k].start_char : self.sents[k].end_char].rstrip()

    def window(self, k: int) -> Window:
        if k not in self.windows:
            sent = self.sents[k]
            self.windows[k] = make_window(sent, self.text, self.findings, self.tokens)
        return self.windows[k]

    def context(self, k: int) -> Context:
        heading = None
        for j in range(k - 1, max(-1, k - 1 - HEADING_REACH), -1):
            if self.sentence_text(j).endswith(":"):
                heading = j  # may end the paragraph before: a blank line often sets off the list
                break
            if self.break_after[j]:
                break
        previous = k - 1 if k > 0 and not self.break_after[k - 1] else None
        following = k + 1 if k + 1 < len(self.sents) and not self.break_after[k] else None
        return Context(self.window, heading, previous, following)

    def lead_end(self) -> int:
        """Sentences of the lead: up to the first full sentence (the title, dateline and first
        sentence of the body), at most LEAD_SENTENCES."""
        for k, sent in enumerate(self.sents[:LEAD_SENTENCES]):
            if self.sentence_text(k).endswith((".", "!", "?")) and sent.end - sent.start >= 6:
                return k + 1
        return min(LEAD_SENTENCES, len(self.sents))

    def lead(self):
        """Windows of the lead, built only when it can hold a proposal word at all."""
        n = self.lead_end()
        if n and _FRAME_WORDS.search(self.text, 0, self.sents[n - 1].end_char):
            yield from (self.window(k) for k in range(n))

    def lead_period(self) -> tuple[int, int] | None:
        """The one closed period the lead names ("Så användes pengarna 2019", "förslag till budget
        för 2024"): what the release is about until a sum says otherwise."""
        n = self.lead_end()
        end = self.sents[n - 1].end if n else 0
        periods = {
            (kp.get("year_start"), kp.get("year_end"))
            for start, _, kp in self.findings.years
            if start < end and kp.get("year_start") and kp.get("year_end") and kp.get("kind") != "now"
        }  # "Nu kan föreningarna söka ...": when the news happens, not the period it is about
        return periods.pop() if len(periods) == 1 else None

    def run(self, own_qualifier: dict[int, str | None]) -> None:
        discourse = Discourse(doc_municipality=self.doc._.municipality)
        discourse.frame_tentative = lead_frames_proposal(self.lead())
        discourse.topic = self.lead_period()
        for span in self.spans:
            k = bisect_right(self.starts, span.start) - 1
            w = self.window(k)
            relative = span.start - self.sents[k].start
            index = next(i for i, (s, _) in enumerate(w.money) if s == relative)
            value = span._.kp["value_sek"]
            span._.kp = attributes(w, index, value, self.context(k), discourse, own_qualifier.get(span.start))
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
        for k in sorted({j + 1 for j in sentence_of.values() if j + 1 < len(self.sents)}):
            pending = False
            if not is_tentative_remark(self.window(k)):
                pending = is_pending_decision(self.window(k))
                if not pending:
                    continue
            reach = {paragraph[k], paragraph[k] - 1} if self.break_after[k - 1] else {paragraph[k]}
            for span in self.spans:
                j = sentence_of[span.start]
                if j < k and paragraph[j] in reach and not (pending and span._.kp["status"] in _KNOWN):
                    span._.kp["tentative"] = True
