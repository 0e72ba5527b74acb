"""kp_sentences: sentence boundaries for press-release text.

Press releases are full of headings, bylines, bullet lists and contact blocks with
no final full stop, so a line break usually ends a "sentence"; a line that starts
in lower case after a line without final punctuation continues the previous one
(hard-wrapped text). Within a line, . ! ? followed by a capital, digit, dash or
quote ends a sentence unless the dot belongs to an abbreviation (t.ex., bl.a.)
or an initial. Units that end sentences as often as they are abbreviated ("kr.", "mkr.") are
no abbreviations here: "Priset är 50 kr. Barn går gratis." is two sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from nlp.components.batching import BatchedComponent
from nlp.textscan import doc_text

ABBREVIATIONS = {
    "t.ex",
    "bl.a",
    "ca",
    "kl",
    "nr",
    "s.k",
    "m.m",
    "dvs",
    "d.v.s",
    "osv",
    "resp",
    "jfr",
    "fr.o.m",
    "t.o.m",
    "p.g.a",
    "pga",
    "m.fl",
    "o.s.v",
    "el",
    "tel",
    "mobil",
    "inkl",
    "exkl",
    "st",
    "t",
    "f.d",
    "fd",
    "s",
    "sid",
    "ang",
    "bla",
    "tex",
    "etc",
    "mm",
    "mfl",
    "forts",
    "prof",
    "dr",
    "doc",
    "leg",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dec",
    "ordf",
    "v.ordf",
    "adj",
    "e.d",
    "o.d",
    "a",
    "u.a",
}

# group 1 is the gap between the sentences; starting with the punctuation (not a lookbehind on
# it) lets re skip ahead to the next . ! ? … instead of trying every position of the text.
# [^\S\n] is whitespace other than a line break: a match stays inside its line, so one scan of
# the whole text finds what a scan of each line would.
_INLINE_END = re.compile(r"[.!?…]([\"”’)]*[^\S\n]+)(?=[\"”“'(–—-]?[^\S\n]*[A-ZÅÄÖÉÜ0-9–—\"”“])")
_LINE = re.compile(r"[^\n]+")
_INITIAL = re.compile(r"[A-ZÅÄÖ]")
_ORDINAL = re.compile(r"\d{1,2}")
_END_PUNCT = frozenset('.!?:;…"”')


def boundaries(text: str) -> list[int]:
    """Character offsets where a new sentence starts (0 excluded)."""
    starts: set[int] = set()
    prev_line = ""
    prev_end = -1  # where the line before ends (-1: none yet)
    for line_match in _LINE.finditer(text):
        offset, end = line_match.span()
        line = line_match.group()
        stripped = line.lstrip()
        if stripped:
            if prev_end >= 0:
                # a line holds no line break, so "\n\n" between two lines lies after the first
                continuation = (
                    prev_line
                    and prev_line.rstrip()[-1:] not in _END_PUNCT
                    and stripped[0].islower()
                    and "\n\n" not in text[prev_end:offset]
                )
                if not continuation:
                    starts.add(offset + len(line) - len(stripped))
            prev_line = stripped
        prev_end = end
    for m in _INLINE_END.finditer(text):
        before = text[text.rfind("\n", 0, m.start()) + 1 : m.start(1)].rstrip('"”’)')
        if before.endswith("."):
            words = before.rsplit(maxsplit=1)
            token = words[-1].rstrip(".!?…").lower() if words else ""
            if token in ABBREVIATIONS or (len(token) == 1 and _INITIAL.fullmatch(token.upper())):
                continue
            if _ORDINAL.fullmatch(token):
                continue  # "den 1. ..." ordinals and list numbers
        starts.add(m.end())
    return sorted(s for s in starts if 0 < s < len(text))


@Language.factory("kp_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter()


class SentenceSplitter(BatchedComponent):
    """Sets Token.is_sent_start from boundaries(): True at a cut, False elsewhere.

    Written through Doc.from_array: setting is_sent_start token by token costs more than
    tokenising the text.
    """

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        idx = doc.to_array(IDX).tolist()  # token offsets, ascending
        n = len(idx)
        starts = numpy.full(n, -1, dtype="int64")
        for cut in boundaries(doc_text(doc)):
            k = bisect_left(idx, cut)
            if k < n and idx[k] == cut:
                starts[k] = 1  # a cut starts a sentence where a token starts there
        starts[0] = 1
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc
