"""The municipality a release is from or mainly about, from its municipality mentions.

Each mention scores one point; a mention earns more where releases name their sender or
subject: in the title lines, alone on a line ("Malmö stad", "Eskilstuna kommun" above a
Sitevision page), after a sender label ("Avsändare: Helsingborgs stad", "Om Norrköpings
kommun"), in a newsroom header ("... | Norrköpings kommun | Pressmeddelande"). A contact's
e-mail or web address on the municipality's domain (katrineholm.se) scores too, and the
crawler's source (doc._.municipality_hint) is a prior.

The best score wins when it clearly beats the next one. A release whose first lines name a
government, an agency or a county board (Regeringen, Tillväxtverket, Delmos, Länsstyrelsen)
is national unless it is clearly about one municipality; a text naming several
municipalities about equally often has no main one (None), as SCHEMA asks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from typing import TYPE_CHECKING

from spacy.strings import hash_string

from nlp.token_patterns import TokenView

if TYPE_CHECKING:
    from nlp.components.municipalities import Mention, Rules

TITLE_LINES = 4  # the first non-empty lines: sender, section, headline, kicker
TITLE_WORDS = 18  # tokens: a longer line is a paragraph, not a headline
HEADER_LINES = 6  # where a national sender shows itself
W_MENTION = 1.0
W_TITLE = 1.0
W_STRONG = 0.5
W_SENDER = 2.0
W_DOMAIN = 1.5
W_HINT = 2.0
SENDER_LINE_WORDS = 8  # tokens: a header line, not a sentence that happens to start with "Regeringen"
MARGIN = 1.5  # the winner's score over the runner-up's
NATIONAL_MARGIN = 3.0
NATIONAL_MIN = 4.0
# the second-level label of a .se e-mail or web address: "katrineholm" in www.katrineholm.se
_PIPE = hash_string("|")  # newsroom headers: "10.2.2025 | Norrköpings kommun | Pressinbjudan"
_HOST = re.compile(r"([a-z0-9-]+)\.se\b", re.IGNORECASE)


class MainMunicipality:
    def __init__(self, rules: Rules):
        self.rules = rules

    def decide(self, view: TokenView, mentions: list[Mention], hint: str | None) -> str | None:
        scores = self.scores(view, mentions)
        if hint and hint in self.rules.by_code:
            scores[hint] += W_HINT
        if not scores:
            return None
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        top_code, top = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if self.national(view):
            return top_code if top >= NATIONAL_MIN and top >= NATIONAL_MARGIN * second else None
        return top_code if top >= MARGIN * second and top > second else None

    def scores(self, view: TokenView, mentions: list[Mention]) -> dict[str, float]:
        head = _head_zone(view)
        scores: dict[str, float] = defaultdict(float)
        for m in mentions:
            score = W_MENTION + (W_STRONG if m.strong else 0.0)
            if any(a <= m.start < b for a, b in head):
                score += W_TITLE
            if self._sender_line(view, m):
                score += W_SENDER
            scores[m.code] += score
        domain_hits: dict[str, float] = defaultdict(float)
        for i in view.addresses():
            for label in _HOST.findall(view.text[i]):
                code = self.rules.domains.get(label.casefold())
                if code and domain_hits[code] < 2 * W_DOMAIN:
                    domain_hits[code] += W_DOMAIN
        for code, value in domain_hits.items():
            scores[code] += value
        return scores

    def _sender_line(self, view: TokenView, m: Mention) -> bool:
        """The mention names the sender: alone on its line, after a sender label, or in a header."""
        a, b = view.line_of(m.start)
        if (a, b) == (m.start, m.end):
            return True
        if _PIPE in view.lower_h[a:b]:
            return True
        first = view.lower[a].rstrip(":")
        return first in self.rules.sender_labels and m.start - a <= 4

    def national(self, view: TokenView) -> bool:
        """A government, agency or county board as the sender: a short header line naming one."""
        for a, b in view.lines()[:HEADER_LINES]:
            if b - a > SENDER_LINE_WORDS:
                continue
            for m in self.rules.national.find(view, a, b):  # the national_sender patterns only
                if view.text[m.start][:1].isupper():
                    return True
        return False


def _head_zone(view: TokenView) -> list[tuple[int, int]]:
    """Token ranges of the headline lines and of the lead's first sentence.

    A release names its subject in the short lines on top (sender, headline) and in the first
    sentence of its first paragraph ("UPPSALA. Andelen ...", "Örebro är en av 32 kommuner ...").
    """
    zone: list[tuple[int, int]] = []
    starts = view.sent_starts
    for n, (a, b) in enumerate(view.lines()):
        k = bisect_right(starts, a)
        first_end = starts[k] if k < len(starts) and starts[k] < b else b  # the line's first sentence
        if first_end == b and b - a <= TITLE_WORDS:
            if n < TITLE_LINES:
                zone.append((a, b))  # a headline: short, one sentence
            continue
        zone.append((a, first_end))  # the lead's first sentence
        break
    return zone
