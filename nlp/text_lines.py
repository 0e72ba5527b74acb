"""Where a position stands in a release's text: its line, and whether a sentence starts there.

Person, organisation and quote finders all need to know whether a capital letter means a name
or only the start of a sentence or line (headings, bylines, contact blocks are lines of their own).
"""

from __future__ import annotations

SENTENCE_END = ".!?:;"
OPENERS = " \t\u00a0\"”“'«»–—-•*·>("


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the line holding pos, without its newline."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def sentence_start(text: str, pos: int) -> bool:
    """True when pos is the first word of a line or of a sentence (its capital says nothing)."""
    i = pos - 1
    while i >= 0 and text[i] in OPENERS:
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in SENTENCE_END


def next_line(text: str, pos: int, within: int = 3) -> str:
    """The next non-empty line after the line holding pos (within three lines), or ""."""
    _, end = line_bounds(text, pos)
    for _ in range(within):
        if end >= len(text):
            return ""
        start, end = line_bounds(text, end + 1)
        if text[start:end].strip():
            return text[start:end]
    return ""


def previous_line(text: str, pos: int, within: int = 3) -> str:
    """The closest non-empty line before the line holding pos (within three lines), or ""."""
    start, _ = line_bounds(text, pos)
    for _ in range(within):
        if start == 0:
            return ""
        start, end = line_bounds(text, start - 1)
        if text[start:end].strip():
            return text[start:end]
    return ""
