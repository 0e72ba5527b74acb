"""Finding quoted statements and who made them.

Swedish releases quote in two ways: a paragraph opened by a dash ("– Vi ska ..., säger Göran
Dahlström." also "-Vi ..." and "— ..."), and quotation marks ("”...”, skriver staden",
"\"...\" säger X", "Anna Berg: ”...”"). The speaker is the person the attribution names (found
by kp_persons, so "säger Dahlström" and "säger kommunalrådet Anna Berg" resolve to the full
name); "säger hon/han" is the person last named before the quote; a dash paragraph without an
attribution continues the previous quote's speaker, or takes the next one's. Attributions that
name no person ("skriver staden") keep speaker None and say who in "attribution". A dash
list item or a pair of scare quotes (”socioekonomiska fack”) is not a quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.person_finder import PersonMention

_VERBS = (
    r"säger|sa|sade|menar|menade|berättar|berättade|förklarar|förklarade|konstaterar|konstaterade|understryker|"
    r"underströk|betonar|betonade|framhåller|framhöll|poängterar|poängterade|skriver|skrev|svarar|svarade|"
    r"fortsätter|fortsatte|avslutar|avslutade|påpekar|påpekade|tillägger|tillade|tycker|tyckte|anser|ansåg|"
    r"hoppas|tror|trodde|summerar|sammanfattar|uppger|uppgav|kommenterar|kommenterade|säger\s+också|sa\s+också"
)
_DASH_LINE = re.compile(r"[ \t\u00a0]*[–—-][ \t\u00a0]*(?=[^\s–—-])(?P<body>[^\n]+)")
# the same after a newline: (?m)^ would make the regex engine try every position of the text
_NEXT_DASH_LINE = re.compile(r"\n" + _DASH_LINE.pattern)
_ATTRIBUTION = re.compile(
    rf"(?:,|(?<=[!?…]))[ \u00a0]*(?:[–—-][ \u00a0]*)?(?P<verb>{_VERBS})\b[ \u00a0]*", re.IGNORECASE
)
_MARKED = re.compile(r"(?P<open>[”\"“«„])(?P<body>[^”\"“«»„\n]{2,}?)(?P<close>[”\"“»])")
_AFTER_MARKS = re.compile(rf"^[ \u00a0]*,?[ \u00a0]*(?:[–—-][ \u00a0]*)?(?P<verb>{_VERBS})\b[ \u00a0]*", re.IGNORECASE)
_BEFORE_MARKS = re.compile(rf"(?:\b(?:{_VERBS})[ \u00a0]*:?|:)[ \u00a0]*$", re.IGNORECASE)
_PRONOUN = re.compile(r"(?i)^(?:hon|han|hen|de|vi|jag)\b")
_TAIL = re.compile(r"[.!?][ \u00a0]+(?=\S)")
_STATEMENT_MARK = re.compile(r"[.!?…]")
_CLAUSE_END = re.compile(r"[.!?;\n]|,[ \u00a0](?:och|som|när|där|eftersom|men)\b")


@dataclass
class QuoteMention:
    start: int
    end: int
    speaker: str | None
    attribution: str | None = None


def _dash_lines(text: str) -> list[tuple[int, re.Match[str]]]:
    """(where the line starts, its match) for each line that opens with a dash, in order."""
    first = _DASH_LINE.match(text)
    lines = [(0, first)] if first else []
    lines.extend((m.start() + 1, m) for m in _NEXT_DASH_LINE.finditer(text))
    return lines


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\u00a0":
        start += 1
    while end > start and text[end - 1] in " \t\u00a0,":
        end -= 1
    return start, end


def _words(s: str) -> int:
    return len(s.split())


class QuoteFinder:
    """Finds QuoteMentions in a text, given the person mentions kp_persons found in it."""

    def find(self, text: str, persons: Sequence[PersonMention] = ()) -> list[QuoteMention]:
        persons = sorted(persons, key=lambda p: p.start)
        quotes = self._dash_quotes(text, persons)
        taken = [(q.start, q.end) for q in quotes]
        for q in self._marked_quotes(text, persons):
            if not any(a < q.end and q.start < b for a, b in taken):
                quotes.append(q)
        return sorted((q for q in quotes if _words(text[q.start : q.end]) >= 1), key=lambda q: q.start)

    # -- who said it ------------------------------------------------------------------------------

    def _speaker_at(self, text: str, pos: int, persons: Sequence[PersonMention]) -> tuple[str | None, str | None]:
        """The speaker named right after a speech verb at pos: (person name, attribution text)."""
        end_m = _CLAUSE_END.search(text, pos)
        end = end_m.start() if end_m else len(text)
        # "säger kommunalrådet Anna Berg (M)": the first person mention inside the attribution
        for p in persons:
            if pos <= p.start < end:
                return p.name, None
        who = text[pos:end].strip(" \u00a0,")
        if _PRONOUN.match(who):
            return self._last_person_before(text, pos, persons), None
        return None, who or None

    @staticmethod
    def _last_person_before(text: str, pos: int, persons: Sequence[PersonMention]) -> str | None:
        # the quote itself is not where the person was named: look before its paragraph
        para = text.rfind("\n", 0, pos)
        before = [p for p in persons if p.end <= (para if para >= 0 else pos)]
        return before[-1].name if before else None

    # -- dash paragraphs --------------------------------------------------------------------------

    def _dash_quotes(self, text: str, persons: Sequence[PersonMention]) -> list[QuoteMention]:
        found: list[tuple[QuoteMention, bool, int]] = []  # (quote, attributed, paragraph start)
        for para, line in _dash_lines(text):
            body_start, body_end = line.start("body"), line.end("body")
            body = line.group("body")
            attribution = _ATTRIBUTION.search(body)
            if attribution:
                q_start, q_end = _trim(text, body_start, body_start + attribution.start())
                speaker, who = self._speaker_at(text, body_start + attribution.end(), persons)
                found.append((QuoteMention(q_start, q_end, speaker, who), True, para))
                # the quote may go on after the attribution: "..., säger hon. Det är ..."
                tail = _TAIL.search(body, attribution.end())
                if tail:
                    t_start, t_end = _trim(text, body_start + tail.end(), body_end)
                    if _words(text[t_start:t_end]) >= 3:
                        found.append((QuoteMention(t_start, t_end, speaker, who), True, para))
            else:
                q_start, q_end = _trim(text, body_start, body_end)
                found.append((QuoteMention(q_start, q_end, None), False, para))
        return self._resolve_unattributed(text, found, persons)

    def _resolve_unattributed(
        self, text: str, found: list[tuple[QuoteMention, bool, int]], persons: Sequence[PersonMention]
    ) -> list[QuoteMention]:
        """An unattributed dash paragraph next to attributed ones is the same speaker's; one after a
        paragraph that names a person ("..., menar Inger Ashing.") is that person's; a lone one is a
        quote only when it reads like a statement (a list item does not)."""
        out: list[QuoteMention] = []
        for i, (quote, attributed, para) in enumerate(found):
            if attributed:
                out.append(quote)
                continue
            body = text[quote.start : quote.end]
            previous = found[i - 1] if i > 0 else None
            following = next((f for f in found[i + 1 :] if f[1]), None)
            adjacent_prev = previous is not None and _only_quotes_between(text, previous[0].end, para)
            if adjacent_prev and previous[0].speaker and (previous[1] or previous[0] in out):
                quote.speaker, quote.attribution = previous[0].speaker, previous[0].attribution
                out.append(quote)
            elif following and _only_quotes_between(text, quote.end, following[2], dash_lines_ok=True):
                quote.speaker, quote.attribution = following[0].speaker, following[0].attribution
                out.append(quote)
            else:
                # "Emma Holmqvist håller med:" on the line before; or a statement of its own, which the
                # person named just before made. A dash list ("- Läxhjälp för barn") is neither.
                statement = body.rstrip()[-1:] in '.!?…”"'
                named = self._named_in_previous_paragraph(text, para, persons)
                if statement and ((self._introduced(text, para) and named) or _words(body) >= 8):
                    quote.speaker = named
                    out.append(quote)
        return out

    @staticmethod
    def _introduced(text: str, para: int) -> bool:
        """True when the line before a dash paragraph ends with a colon: it introduces the quote."""
        return text[:para].rstrip().endswith(":")

    @staticmethod
    def _named_in_previous_paragraph(text: str, para: int, persons: Sequence[PersonMention]) -> str | None:
        previous_end = len(text[:para].rstrip())
        previous_start = text.rfind("\n", 0, previous_end) + 1
        named = [p for p in persons if previous_start <= p.start < previous_end]
        return named[-1].name if named else None

    # -- quotation marks --------------------------------------------------------------------------

    def _marked_quotes(self, text: str, persons: Sequence[PersonMention]) -> list[QuoteMention]:
        out: list[QuoteMention] = []
        for m in _MARKED.finditer(text):
            q_start, q_end = _trim(text, m.start("body"), m.end("body"))
            body = text[q_start:q_end]
            after = _AFTER_MARKS.match(text[m.end() : m.end() + 80])
            speaker, who = None, None
            attributed = False
            if after:
                speaker, who = self._speaker_at(text, m.end() + after.end(), persons)
                attributed = True
            else:
                line_start = text.rfind("\n", 0, m.start()) + 1
                before = text[line_start : m.start()]
                if _BEFORE_MARKS.search(before):
                    attributed = True
                    named = [p for p in persons if line_start <= p.start and p.end <= m.start()]
                    speaker = named[-1].name if named else None
                    if speaker is None:
                        who = before.rstrip(" :\u00a0") or None
                elif not text[m.end() : text.find("\n", m.end()) if "\n" in text[m.end() :] else len(text)].strip():
                    # a pull quote on a line of its own, the speaker on the next: "Emil Berg (S), ..."
                    next_start = m.end() + len(text[m.end() :]) - len(text[m.end() :].lstrip())
                    named = [p for p in persons if p.start == next_start]
                    if named:
                        speaker, attributed = named[0].name, True
            if attributed or (_words(body) >= 6 and _STATEMENT_MARK.search(body)):
                out.append(QuoteMention(q_start, q_end, speaker, who))
        return out


def _only_quotes_between(text: str, start: int, end: int, *, dash_lines_ok: bool = False) -> bool:
    """True when nothing but blank lines (or, with dash_lines_ok, other dash paragraphs) separates
    two quotes."""
    between = text[start:end]
    lines = [line.strip() for line in between.split("\n")[1:]]
    for line in lines:
        if not line:
            continue
        if dash_lines_ok and line[:1] in "–—-":
            continue
        return False
    return True
