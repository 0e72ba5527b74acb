"""Cheap text access for the rule components: the Doc's text once, and case-insensitive regex
scanning without re.IGNORECASE.

Doc.text joins every token anew on each access (about as much work as a third of tokenising),
and every rule component needs the text, so doc_text() keeps it per Doc for as long as the Doc
lives.

Python's re engine skips ahead quickly only for case-sensitive patterns; with IGNORECASE the
big alternations of the date, year and money finders cost several times the tokenizer. So the
finders compile their patterns in lower case and run them over text.lower(), which keeps every
offset, except for the rare characters whose lower case is longer ("İ"): there the
IGNORECASE twin of the pattern runs over the original text.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator

from spacy.tokens import Doc

_SEPARATORS = (" ", "\t", "\n")
_TEXTS: weakref.WeakKeyDictionary[Doc, str] = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """doc.text, joined once per Doc (a Doc's text never changes, even when it is retokenised)."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def keep_text(doc: Doc, text: str) -> None:
    """Tell doc_text() the text doc was made from (the tokenizer knows it: nlp/components/tokenizer.py)."""
    _TEXTS[doc] = text


class FoldedPattern:
    """A lower-case pattern and its IGNORECASE twin; match offsets always refer to the original text."""

    def __init__(self, source: str, flags: int = 0):
        self.exact = re.compile(source, flags)
        self.anycase = re.compile(source, flags | re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        low = text.lower()
        if len(low) == len(text):
            return self.exact.finditer(low)
        return self.anycase.finditer(text)

    def sub(self, repl: str, text: str) -> str:
        return self.anycase.sub(repl, text)

    def finditer_near(
        self,
        text: str,
        anchor: re.Pattern[str],
        accept: Callable[[str, re.Match[str]], bool] | None = None,
        reach: int | None = None,
        wrapped: bool = False,
    ) -> Iterator[re.Match[str]]:
        """Matches near an anchor (a year, a scale word) only: every match of the pattern holds one,
        so the rest of the text need not be scanned.

        The scanned window is the anchor's line, or, with reach, at most reach characters on each
        side of the anchor (cut at whitespace), which a match must not exceed. A match may not span
        a line break, except, with wrapped, across the anchor's line and the lines next to it
        ("13,4 miljoner\nkronor")."""
        low = text.lower()
        if len(low) != len(text):
            yield from self.anycase.finditer(text)
            return
        windows: list[list[int]] = []
        for hit in anchor.finditer(low):
            if accept and not accept(low, hit):
                continue
            if reach is None:
                start = low.rfind("\n", 0, hit.start()) + 1
                if wrapped and start:
                    start = low.rfind("\n", 0, start - 1) + 1
                end = low.find("\n", hit.end())
                if wrapped and end >= 0:
                    end = low.find("\n", end + 1)
                end = len(low) if end < 0 else end
            else:
                start = max(low.rfind(" ", 0, max(0, hit.start() - reach)) + 1, low.rfind("\n", 0, hit.start()) + 1)
                end = low.find(" ", hit.end() + reach)
                line_end = low.find("\n", hit.end())
                end = min(e for e in (end, line_end, len(low)) if e >= 0)
            if windows and start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], end)  # overlapping windows are scanned as one
            else:
                windows.append([start, end])
        for start, end in windows:
            yield from self.exact.finditer(low, start, end)


def finditer_in_runs(pattern: re.Pattern[str], text: str, char: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern whose every match holds char and no space, tab or line
    break (a hyphenated word): only the runs of text between those separators that hold char are
    scanned, found with str.find.

    Python's re tries a pattern without a literal start at every position of the text, which for
    one word-shaped pattern costs about a fifth of tokenising. The matches are the same: none can
    span a separator, and a lookaround at a run's edge sees the separator (or the text's edge)
    either way."""
    pos = text.find(char)
    while pos >= 0:
        start = max(text.rfind(c, 0, pos) for c in _SEPARATORS) + 1
        ends = [e for e in (text.find(c, pos) for c in _SEPARATORS) if e >= 0]
        end = min(ends) if ends else len(text)
        yield from pattern.finditer(text, start, end)
        pos = text.find(char, end)
