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
_last_lower: tuple[str, str] = ("", "")  # the last text lowered and its lower case


def doc_text(doc: Doc) -> str:
    """doc.text, joined once per Doc (a Doc's text never changes, even when it is retokenised)."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def lower(text: str) -> str:
    """text.lower(), kept for the last text asked: the date, year and money finders of a Doc each need it."""
    global _last_lower
    last = _last_lower
    if last[0] is not text:
        last = _last_lower = (text, text.lower())
    return last[1]


def keep_text(doc: Doc, text: str) -> None:
    """Tell doc_text() the text doc was made from (the tokenizer knows it: nlp/components/tokenizer.py)."""
    _TEXTS[doc] = text


class FoldedPattern:
    """A lower-case pattern and its IGNORECASE twin; match offsets always refer to the original text."""

    def __init__(self, source: str, flags: int = 0):
        self.exact = re.compile(source, flags)
        self.anycase = re.compile(source, flags | re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        low = lower(text)
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
        starts: re.Pattern[str] | None = None,
    ) -> Iterator[re.Match[str]]:
        """Matches near an anchor (a year, a scale word) only: every match of the pattern holds one,
        so the rest of the text need not be scanned.

        The scanned window is the anchor's line, or, with reach, at most reach characters on each
        side of the anchor (cut at whitespace), which a match must not exceed. A match may not span
        a line break, except, with wrapped, across the anchor's line and the lines next to it
        ("13,4 miljoner\nkronor").

        With starts, a pattern matching the one character before every position where a match can
        begin (the text's start is always tried), the pattern is tried only at those positions:
        the same matches, for a pattern that starts with a lookbehind and a big alternation,
        which re would otherwise try at every position of the window (the pattern must not match
        the empty string)."""
        low = lower(text)
        if len(low) != len(text):
            yield from self.anycase.finditer(text)
            return
        windows: list[list[int]] = []
        n = len(low)
        for hit in anchor.finditer(low):
            if accept and not accept(low, hit):
                continue
            hit_start, hit_end = hit.span()
            if reach is None:
                start, end = line_window(low, hit_start, hit_end, wrapped)
            else:
                start = max(low.rfind(" ", 0, max(0, hit_start - reach)) + 1, low.rfind("\n", 0, hit_start) + 1)
                end = low.find(" ", hit_end + reach)
                line_end = low.find("\n", hit_end)
                if end < 0:
                    end = n
                if 0 <= line_end < end:
                    end = line_end
            add_window(windows, start, end)
        for start, end in windows:
            if starts is None:
                yield from self.exact.finditer(low, start, end)
            else:
                yield from self._finditer_at(low, start, end, starts)

    def _finditer_at(self, low: str, start: int, end: int, starts: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """exact.finditer(low, start, end), trying only the positions starts allows (see finditer_near).

        finditer tries each position in turn and goes on at the end of a match; so does this loop.
        A match position p is tried with match(low, p, end), which sees the text before p (for
        the lookbehind) and none after end, as finditer does."""
        match = self.exact.match
        pos = start
        if start == 0:
            m = match(low, 0, end)
            if m:
                yield m
                pos = m.end()
        for before in starts.finditer(low, max(start - 1, 0), end):
            p = before.end()
            if p < pos:
                continue
            m = match(low, p, end)
            if m:
                yield m
                pos = m.end()


def line_window(low: str, start: int, end: int, wrapped: bool = False) -> tuple[int, int]:
    """The line holding low[start:end]; with wrapped, the lines before and after it as well."""
    line_start = low.rfind("\n", 0, start) + 1
    if wrapped and line_start:
        line_start = low.rfind("\n", 0, line_start - 1) + 1
    line_end = low.find("\n", end)
    if wrapped and line_end >= 0:
        line_end = low.find("\n", line_end + 1)
    return line_start, len(low) if line_end < 0 else line_end


def add_window(windows: list[list[int]], start: int, end: int) -> None:
    """Append [start, end) to windows in text order, joined with the last one where they overlap."""
    if windows and start <= windows[-1][1]:
        windows[-1][1] = max(windows[-1][1], end)
    else:
        windows.append([start, end])


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
