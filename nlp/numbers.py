"""Swedish numbers as written in press releases: digits with Swedish separators and number words.

"12 900 000" (ordinary, non-breaking or thin spaces between groups of three), "13,4" and
"1.5" (decimal comma or point), "1.500.000" (dots between groups), and the words press
releases spell out before a scale word: "tre", "en halv", "tjugofem", "en och en halv".
Pure Python, no spaCy: the money finder and the tests use it directly.
"""

from __future__ import annotations

import re

# Characters Swedish text puts between digit groups: space, no-break, thin, narrow no-break, figure space.
GROUP_SPACE = " \u00a0\u2009\u202f\u2007"
_GROUP_SPACE_RE = re.compile(f"[{GROUP_SPACE}]")

UNITS = {
    "noll": 0,
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "aderton": 18,
    "nitton": 19,
}
TENS = {
    "tjugo": 20,
    "trettio": 30,
    "fyrtio": 40,
    "femtio": 50,
    "sextio": 60,
    "sjuttio": 70,
    "åttio": 80,
    "nittio": 90,
}

_UNIT_ALT = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_ALT = "|".join(sorted(TENS, key=len, reverse=True))
_SMALL_UNIT_ALT = "ett|en|två|tre|fyra|fem|sex|sju|åtta|nio"
# One written-out number from 1 to 999 ("tre", "tjugofem", "tvåhundrafemtio", "hundra").
WORD_NUMBER = (
    rf"(?:(?:(?:{_SMALL_UNIT_ALT})\s?)?hundra(?:{_TENS_ALT})?(?:{_UNIT_ALT})?"
    rf"|(?:{_TENS_ALT})(?:{_UNIT_ALT})?"
    rf"|(?:{_UNIT_ALT}))"
)
# A written-out number with an optional half: "en halv", "en och en halv", "två och en halv", "halv".
WORD_AMOUNT = rf"(?:(?:{WORD_NUMBER})\s+och\s+en\s+halv|en\s+halv|halv|{WORD_NUMBER})"

# A number in digits. Groups of three after a space-like separator, or dots between at least two
# groups ("1.500.000"); otherwise one run of digits with an optional decimal part.
DIGIT_NUMBER = rf"(?:\d{{1,3}}(?:[{GROUP_SPACE}]\d{{3}})+(?:,\d+)?|\d{{1,3}}(?:\.\d{{3}}){{2,}}|\d+(?:[,.]\d+)?)"

_WORD_NUMBER_RE = re.compile(
    rf"(?:(?P<h>{_SMALL_UNIT_ALT})?\s?(?P<hundra>hundra))?(?P<tens>{_TENS_ALT})?(?P<unit>{_UNIT_ALT})?"
)


def parse_word_number(text: str) -> float | None:
    """The value of a written-out Swedish number ("tjugofem" -> 25, "en och en halv" -> 1.5)."""
    t = " ".join(text.casefold().split())
    half = 0.0
    if t.endswith("halv"):
        half = 0.5
        t = t[: -len("halv")].strip()
        if t.endswith("och en"):
            t = t[: -len("och en")].strip()
        elif t in ("en", "ett", ""):
            return 0.5
        else:
            return None
    m = _WORD_NUMBER_RE.fullmatch(t)
    if not m or not t:
        return None
    value = 0
    if m.group("hundra"):
        value += 100 * (UNITS[m.group("h")] if m.group("h") else 1)
    if m.group("tens"):
        value += TENS[m.group("tens")]
    if m.group("unit"):
        value += UNITS[m.group("unit")]
    return value + half


def parse_digit_number(text: str, *, scaled: bool = False) -> float | None:
    """The value of a number written in digits.

    scaled says a scale word follows ("1.500 miljoner"): then a single dot is a decimal point.
    Without one, a dot followed by exactly three digits separates thousands ("1.500 kronor").
    """
    t = _GROUP_SPACE_RE.sub("", text.strip())
    if not t:
        return None
    if t.count(".") > 1 or (not scaled and re.fullmatch(r"\d{1,3}\.\d{3}", t)):
        t = t.replace(".", "")
    t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def parse_number(text: str, *, scaled: bool = False) -> float | None:
    """A number written in digits or in words."""
    stripped = text.strip()
    if stripped[:1].isdigit():
        return parse_digit_number(stripped, scaled=scaled)
    return parse_word_number(stripped)
