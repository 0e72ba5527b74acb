"""Finding sums of money in Swedish text and normalising them to whole kronor.

One compiled regex, run on the lines that hold a scale or currency word, finds a number (digits
or words) followed by a scale word ("miljoner", "miljarder", "tusen", "milj.") and/or a currency
("kronor", "kr", "SEK", ":-", "mkr", "MSEK", "tkr", "mnkr"). A number with only a scale word
("13 miljoner") is a sum when the document talks about money and the next word is not a counted
noun ("13 miljoner invånare" is not). Numbers without either are never sums: populations, counts,
phone numbers, postal codes, years, dates and percentages carry no currency word. The words live
in nlp/patterns/money_units.json. Pure Python: kp_money turns the mentions into spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.lang.sv.stop_words import STOP_WORDS

from nlp.cues import load_patterns
from nlp.numbers import DIGIT_NUMBER, GROUP_SPACE, WORD_AMOUNT, parse_number
from nlp.textscan import FoldedPattern, add_window, line_window
from nlp.textscan import lower as lower_case


@dataclass(frozen=True)
class MoneyMention:
    start: int
    end: int
    value_sek: int
    qualifier: str | None = None  # set only where the form itself says it ("mellan 5 och 10 miljoner")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _lexicon() -> dict:
    lex = load_patterns("money_units.json")
    return {
        "scales": {k.casefold(): float(v) for k, v in lex["scales"].items()},
        "units": {k.casefold(): float(v) for k, v in lex["units"].items()},
        "needs_currency": {w.casefold() for w in lex["scales_needing_currency"]},
        "followers": {w.casefold() for w in lex["bare_followers"]} | set(STOP_WORDS),
        # folded: a case-sensitive scan is several times faster than re.IGNORECASE (nlp/textscan.py)
        "context": FoldedPattern(rf"(?<!\w)(?:{_alt(w.casefold() for w in lex['money_context'])})(?!\w)"),
        "compounds": lex["currency_compounds"],
    }


@cache
def _pattern() -> FoldedPattern:
    lex = _lexicon()
    scales = _alt(lex["scales"])
    units = _alt(lex["units"])
    space = rf"[\s{GROUP_SPACE}]"
    return FoldedPattern(
        rf"""
        (?<![\w.,])
        (?:(?P<digits>{DIGIT_NUMBER})|(?P<words>{WORD_AMOUNT})(?={space}))
        (?:{space}*(?P<scale>{scales})(?!\w))?
        (?:{space}*(?P<unit>{units})(?![\wåäö]))?
        (?<=[^\W\d_]|[.:-])  # ends in a scale or unit word: a bare number is no match at all
        """,
        re.VERBOSE,
    )


@cache
def _compound() -> re.Pattern[str]:
    """A word after the number that names kronor: "13 miljoner skattekronor"."""
    return re.compile(rf"[\s{GROUP_SPACE}]+\w+(?:{_alt(_lexicon()['compounds'])})(?!\w)", re.IGNORECASE)


@cache
def _anchors() -> tuple[str, ...]:
    """Every sum holds a scale or currency word: only the lines around one need the full pattern.
    A line holds one of these words exactly when it holds one of those that contain no other
    ("kr" for "mkr" and "kronor"), so only those few are looked for, with str.find."""
    lex = _lexicon()
    words = set(lex["scales"]) | set(lex["units"])
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


def _anchor_hits(low: str) -> list[int]:
    """Where an anchor word starts, in text order."""
    hits = []
    for word in _anchors():
        pos = low.find(word)
        while pos >= 0:
            hits.append(pos)
            pos = low.find(word, pos + 1)
    hits.sort()
    return hits


def _windows(low: str, hits: list[int]) -> list[list[int]]:
    """The stretches [start, end) of text the full pattern must scan: every line holding an anchor
    word with the lines before and after it ("13,4 miljoner\nkronor"), overlapping stretches joined.
    The same stretches as FoldedPattern.finditer_near(wrapped=True) makes from the hits of an
    anchor regex, without running a regex that has no literal start over the whole text."""
    windows: list[list[int]] = []
    line_start = -1
    for pos in hits:
        if line_start >= 0 and low.rfind("\n", line_start, pos) < 0:
            continue  # another hit on the same line
        line_start = low.rfind("\n", 0, pos) + 1
        add_window(windows, *line_window(low, pos, pos, wrapped=True))
    return windows


@cache
def _boundary() -> re.Pattern[str]:
    """A comma or full stop before whitespace, which no match holds: in a sum, a comma or full
    stop stands between digits, or ends a scale word ("milj.") that the lookbehinds exclude."""
    lex = _lexicon()
    behind = "".join(
        f"(?<!{re.escape(w[: i + 1])})"
        for w in sorted(set(lex["scales"]) | set(lex["units"]))
        for i, c in enumerate(w)
        if c in ".,"
    )
    return re.compile(rf"[.,]{behind}(?=\s)")


def _scan(text: str, low: str) -> Iterator[re.Match[str]]:
    """The full pattern's matches near an anchor word, with offsets in text (low: text.lower()).

    Each window is cut at the commas and full stops no match can hold, and only the pieces with an
    anchor word are scanned: a piece without one holds no sum, only a bare number word that
    find_money drops. Cutting there changes no match: finditer's run of matches starts afresh at
    such a character, and lookarounds see the same there as at the end of the piece."""
    if len(low) != len(text):  # a character whose lower case is longer ("İ"): case-blind, over everything
        yield from _pattern().anycase.finditer(text)
        return
    exact, boundary = _pattern().exact, _boundary()
    hits = _anchor_hits(low)
    for start, end in _windows(low, hits):
        cuts = [m.start() for m in boundary.finditer(low, start, end)]
        cuts.append(end)
        for cut in cuts:
            i = bisect_left(hits, start)
            if i < len(hits) and hits[i] < cut:
                yield from exact.finditer(low, start, cut)
            start = cut + 1


_YEARS = re.compile(r"(?:19|20)\d\d")
_NEXT_WORD = re.compile(r"[ \t\u00a0]*(?P<word>[\w/%]+|\S)?")
_RANGE_BEFORE = re.compile(
    rf"(?:(?P<mellan>mellan)[ \t]+)?(?<![\w.,])(?P<low>{DIGIT_NUMBER})[ \t]*(?:[–—-]|till|och)[ \t]*$", re.IGNORECASE
)


def _bare_ok(text: str, end: int) -> bool:
    """After a bare "13 miljoner": a line end, punctuation or a function word, not "invånare"."""
    m = _NEXT_WORD.match(text, end)
    word = m.group("word") if m else None
    if not word or not word[0].isalnum():
        return True
    return word.casefold() in _lexicon()["followers"]


def find_money(text: str) -> list[MoneyMention]:
    """Every sum of money in text order."""
    lex = _lexicon()
    found: list[MoneyMention] = []
    has_context: bool | None = None
    low = lower_case(text)  # shared with the year and date finders of the same text
    for m in _scan(text, low):
        scale, unit = m.group("scale"), m.group("unit")
        if not scale and not unit:
            continue
        scale_key = scale.casefold() if scale else None
        if scale_key and not unit and not _compound().match(text, m.end()):
            if scale_key in lex["needs_currency"] or not _bare_ok(text, m.end()):
                continue
            if has_context is None:
                has_context = next(lex["context"].finditer(text), None) is not None
            if not has_context:
                continue
        number = parse_number(m.group("digits") or m.group("words"), scaled=bool(scale))
        if number is None:
            continue
        multiplier = (lex["scales"][scale_key] if scale_key else 1.0) * (lex["units"][unit.casefold()] if unit else 1.0)
        value = round(number * multiplier)
        if value <= 0:
            continue
        end = m.end("unit") if unit else m.end("scale")
        mention = MoneyMention(m.start(), end, value)
        lower = _range_lower(text, m.start(), multiplier, number)
        if lower:
            found.append(lower)
            if lower.qualifier == "at_least":
                mention = MoneyMention(mention.start, mention.end, value, "at_most")
        found.append(mention)
    tables = _table_sums(text, low)
    if tables:
        seen = {m.start for m in found}
        found.extend(m for m in tables if m.start not in seen)
        found.sort(key=lambda m: m.start)
    return found


@cache
def _table_unit() -> re.Pattern[str]:
    """A heading line that names the unit of the numbers listed under it: "Fördelning per område,
    mkr:", "Belopp (tkr)", "Kommun, miljoner kronor". It holds no number but perhaps a year."""
    units = _alt(set(_lexicon()["units"]) | {f"{s} kronor" for s in _lexicon()["scales"]} | set(_lexicon()["scales"]))
    return re.compile(rf"[^\d\n]*\w[^\d\n]*?[\s,(]\(?(?P<unit>{units})\)?\s*:?[ \t]*")


_TABLE_ROW = re.compile(rf"[ \t]*(?:[•*–-][ \t]*)?[^\d\n]*[^\W\d][^\d\n]*?[ \t:]+(?P<num>{DIGIT_NUMBER})[ \t]*")
# a line that ends in a currency word: only these can head a table, so the rest of the text is skipped
_TABLE_HINT = re.compile(r"(?:kr|kronor|sek|mkr|tkr|msek|mnkr)\)?:?[ \t]*\n")


def _table_sums(text: str, low: str | None = None) -> list[MoneyMention]:
    """Numbers in the rows under a heading that names their unit ("Vivalla 18,5" under
    "Fördelning per område, mkr:"), up to the first blank line or row of another shape."""
    lex = _lexicon()
    found = []
    low = text.lower() if low is None else low
    for hint in _TABLE_HINT.finditer(low):
        line_start = low.rfind("\n", 0, hint.start()) + 1
        heading = _table_unit().fullmatch(_YEARS.sub("år", low[line_start : hint.end() - 1]))
        if not heading:
            continue
        multiplier = 1.0
        for w in heading.group("unit").casefold().split():
            multiplier *= lex["scales"].get(w, 1.0) * lex["units"].get(w, 1.0)
        pos = hint.end()
        while pos < len(text):
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            row = _TABLE_ROW.fullmatch(text, pos, line_end)
            if not row:
                break
            number = parse_number(row.group("num"), scaled=multiplier >= 1000)
            if number:
                found.append(MoneyMention(row.start("num"), row.end("num"), round(number * multiplier)))
            pos = line_end + 1
    return found


def _range_lower(text: str, start: int, multiplier: float, upper: float) -> MoneyMention | None:
    """The first number of "5–10 miljoner" / "mellan 5 och 10 miljoner", which shares the scale."""
    if multiplier < 1000:
        return None  # "5-10 kronor" is too rare to be worth the risk of reading "2018-10 kr"
    m = _RANGE_BEFORE.search(text, max(0, start - 40), start)
    if not m or ("och" in m.group(0).casefold() and not m.group("mellan")):
        return None
    number = parse_number(m.group("low"), scaled=True)
    if number is None or number <= 0 or number >= upper:
        return None  # a range runs upwards; "2020–2023\n- 450 miljoner" is a list, not a range
    return MoneyMention(
        m.start("low"), m.end("low"), round(number * multiplier), "at_least" if m.group("mellan") else None
    )
