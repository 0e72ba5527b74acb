"""Publication dates as Swedish newsrooms write them.

Sites write "Publicerad 30 september 2020 12:00", "Publicerad: 19 september, 2022",
"Publicerades 2019-02-14", "10.2.2025 14:24:42 CET" (Via TT), "Mar 27, 2017 14:05 CEST"
and "Maj 19, 2017" (Mynewsdesk), or hide the date in the URL
(/nyhetsarkiv/2018-11-27-slug.html). dateparser guesses too freely for a corpus
that researchers cite (and is slow), so the formats are spelled out here, each one
anchored so that "2 000 kronor 2020" is never read as a date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
EARLIEST_YEAR = 1995

MONTHS: dict[str, int] = {}
for number, names in enumerate(
    [
        "januari january jan",
        "februari february feb",
        "mars march mar",
        "april apr",
        "maj may",
        "juni june jun",
        "juli july jul",
        "augusti august aug",
        "september sept sep",
        "oktober october okt oct",
        "november nov",
        "december dec",
    ],
    start=1,
):
    for name in names.split():
        MONTHS[name] = number

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:,?\s*(?:kl\.?\s*)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*(?:CET|CEST|UTC|GMT|[+-]\d{2}:?\d{2}))?)?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])(?:[T ]\d{1,2}:\d{2}(?::\d{2})?\S*)?")),
    ("dmy_name", re.compile(r"(?<![\w.])(\d{1,2})(?::?[ae]|\.)?\s+" + _MONTH + r",?\s+(\d{4})(?!\d)" + _TIME, re.I)),
    ("mdy_name", re.compile(r"(?<![\w])" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)" + _TIME, re.I)),
    ("dmy_dots", re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]\d)" + _TIME)),
    ("slashes", re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})[/ ](\d{4})(?![\d/])" + _TIME)),
]

PUBLISHED_LABEL = re.compile(
    r"\b(?:publicera(?:d|de|des|t|ts)|publiceringsdatum|published|datum)\b\s*:?\s*(?:den\s+)?",
    re.I,
)
MODIFIED_LABEL = re.compile(
    r"\b(?:senast\s+(?:granskad|uppdaterad|ändrad|redigerad)(?:\s*/\s*publicerad)?|uppdaterad|ändrad)\b\s*:?\s*"
    r"(?:den\s+)?",
    re.I,
)
URL_DATE_PATTERNS = [
    re.compile(r"/(\d{4})-(\d{2})-(\d{2})(?=[-/._]|$)"),
    re.compile(r"/(\d{4})/(\d{2})/(\d{2})(?=/)"),
    re.compile(r"[?&](?:date|datum)=(\d{4})(\d{2})(\d{2})(?:&|$)"),
]


def _valid(y: int, m: int, d: int, today: date | None = None) -> date | None:
    latest = (today or date.today()).year + 1
    if not EARLIEST_YEAR <= y <= latest:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _from_match(kind: str, m: re.Match[str]) -> date | None:
    g = m.groups()
    if kind == "iso":
        return _valid(int(g[0]), int(g[1]), int(g[2]))
    if kind == "dmy_name":
        return _valid(int(g[2]), MONTHS[g[1].lower()], int(g[0]))
    if kind == "mdy_name":
        return _valid(int(g[2]), MONTHS[g[0].lower()], int(g[1]))
    if kind == "dmy_dots":
        return _valid(int(g[2]), int(g[1]), int(g[0]))
    a, b, y = int(g[0]), int(g[1]), int(g[2])
    # Swedish writes day/month; a US export (8/14/2019) shows itself by a "month" above 12.
    if b > 12 >= a:
        return _valid(y, a, b)
    return _valid(y, b, a)


def find_dates(text: str) -> list[tuple[int, int, date]]:
    """Every date in a text as (start, end, date), in order, without overlaps."""
    found: list[tuple[int, int, date]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            d = _from_match(kind, m)
            if d and not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), d))
    return sorted(found)


def parse_date(text: str | None) -> date | None:
    """The first date in a short string such as a <time> text, a meta value or a listing line."""
    if not text:
        return None
    value = text.strip()
    iso = parse_iso(value)
    if iso:
        return iso
    dates = find_dates(value)
    return dates[0][2] if dates else None


def parse_iso(value: str) -> date | None:
    """An ISO 8601 date or timestamp; a timestamp with an offset is taken in Swedish time."""
    value = value.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _valid(int(value[:4]), int(value[5:7]), int(value[8:10]))
    if moment.tzinfo is not None:
        moment = moment.astimezone(STOCKHOLM)
    return _valid(moment.year, moment.month, moment.day)


def labeled_date(text: str, label: re.Pattern[str] = PUBLISHED_LABEL, reach: int = 12) -> date | None:
    """The date right after a label such as "Publicerad:" (within `reach` characters of it)."""
    for m in label.finditer(text):
        window = text[m.end() : m.end() + reach + 40]
        for start, _end, d in find_dates(window):
            if start <= reach:
                return d
    return None


def published_in_text(text: str) -> date | None:
    """A publication date stated in the page text: after a "Publicerad" label, or on a line of its own."""
    labeled = labeled_date(text)
    if labeled:
        return labeled
    for line in text.splitlines():
        line = line.strip()
        if not line or len(line) > 60 or MODIFIED_LABEL.search(line):
            continue
        dates = find_dates(line)
        # A line that is only a date (and time), or a "date | sender | kind" header as on Via TT.
        if dates and dates[0][0] == 0:
            rest = line[dates[0][1] :].strip()
            if not rest or rest.startswith("|"):
                return dates[0][2]
    return None


def date_in_url(url: str) -> date | None:
    for pattern in URL_DATE_PATTERNS:
        m = pattern.search(url)
        if m:
            d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                return d
    return None


def from_epoch_ms(ms: int | str) -> date | None:
    """A date from a millisecond timestamp (Mynewsdesk's ?after= cursor), in Swedish time."""
    try:
        moment = datetime.fromtimestamp(int(ms) / 1000, tz=UTC).astimezone(STOCKHOLM)
    except (ValueError, OverflowError, OSError):
        return None
    return _valid(moment.year, moment.month, moment.day)


def parse_since(value: str | None) -> date | None:
    """The --since option: YYYY-MM-DD (or YYYY, or YYYY-MM); ValueError otherwise."""
    if not value:
        return None
    value = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not m:
        raise ValueError(f"--since wants a date such as 2018-01-01, not {value!r}")
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise ValueError(f"--since wants a date such as 2018-01-01, not {value!r}") from None
