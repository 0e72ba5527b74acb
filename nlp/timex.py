"""Time expressions in press-release text: calendar dates, the publication date, years and periods.

Pure Python over the text (no spaCy), compiled once, so kp_dates stays cheap and the tests can
call it directly. Words live in nlp/patterns/dates_lexicon.json.

- find_dates: calendar dates in the formats newsrooms print ("22 oktober 2018", "tis 26 jun 2018",
  "Publicerad 8/14/2019", "2018-10-26T09:25:56+00:00", "10.2.2025 14:24:42 CET",
  "Publicerad: 19 september, 2022", "oktober 25th, 2018"), each scored for how likely it is the
  publication date (after "Publicerad", alone on its line, heading a line near the top).
- publication_date: the best of those, else None.
- find_years: year and period expressions ("2020–2027", "under perioden 2018-2020", "2020 till 2027",
  "fram till 2027", "från och med 2020", "i år", "nästa år", "de kommande tre åren", "därefter",
  "från och med nu", "nu"), resolved to (year_start, year_end), with relative ones resolved against
  the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from nlp.cues import load_patterns
from nlp.numbers import parse_word_number
from nlp.textscan import FoldedPattern


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: date
    score: float  # 0 = a date in running text; higher = more likely the publication date


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    year_start: int | None
    year_end: int | None
    kind: str  # year, range, until, from, relative, coming, after, now


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def _lexicon() -> dict:
    return load_patterns("dates_lexicon.json")


@cache
def _date_patterns() -> tuple[FoldedPattern, dict[str, int]]:
    lex = _lexicon()
    months = {k.casefold(): v for k, v in lex["months"].items()}
    month = rf"(?P<{{}}>{_alt(months)})\.?"
    weekday = rf"(?:(?:{_alt(lex['weekdays'])})\.?,?\s+)?"
    pattern = FoldedPattern(
        rf"""
        (?<![\w/.-])(?:
            (?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)
                (?:[tT\s][0-2]?\d[:.][0-5]\d(?:[:.][0-5]\d)?(?:\.\d+)?(?:[zZ]|[+-][0-2]\d:?[0-5]\d)?)?)
          | (?P<dmy>{weekday}(?P<dd>[0-3]?\d)(?::e|e)?\.?\s+{month.format("mon1")},?\s+(?P<dy>(?:19|20)\d\d))
          | (?P<mdy>{weekday}{month.format("mon2")}\s+(?P<md>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<my>(?:19|20)\d\d))
          | (?P<slash>(?P<sa>[0-3]?\d)/(?P<sb>[01]?\d|[0-3]\d)/(?P<sy>(?:19|20)\d\d))
          | (?P<dot>(?P<da>[0-3]?\d)\.(?P<db>[01]?\d)\.(?P<dty>(?:19|20)\d\d))
        )(?![\w/-])
        """,
        re.VERBOSE,
    )
    return pattern, months


@cache
def _date_starts() -> re.Pattern[str]:
    """The character before each position where a date can start (see FoldedPattern.finditer_near):
    one the pattern's lookbehind allows, followed by a digit, a weekday or a month."""
    lex = _lexicon()
    return re.compile(rf"[^\w/.-](?=\d|{_alt(lex['weekdays'])}|{_alt(k.casefold() for k in lex['months'])})")


_TIME_TAIL = re.compile(
    r"\s*(?:,|kl\.?|klockan)?\s*(?:[0-2]?\d[:.][0-5]\d(?:[:.][0-5]\d)?)?\s*(?:CET|CEST|UTC|GMT|Z)?\s*",
    re.IGNORECASE,
)


_DATELINE_PLACE = re.compile(r"\s*[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+){0,2}\s*,?\s*(?:den\s+)?")
_HEADER_SEGMENT = re.compile(r"[|•·]\s*$")
_HEADER_END = re.compile(r"\s*(?:[0-2]?\d[:.][0-5]\d(?:[:.][0-5]\d)?\s*(?:CET|CEST|UTC|GMT)?\s*)?(?:[|•·]|$)")
_DATELINE_END = re.compile(r"\s*(?:\.|[–—-]\s|/)")
_SIGNATURE_PLACE = re.compile(r"\s*[A-ZÅÄÖ][\w-]*(?:\s+[\w-]+){0,4}\s*(?:,|\sden)?\s*")
_TODAY = re.compile(r"\b(?:i\s*dag|idag)\s*,?\s*(?:\w+dagen\s+)?(?:den\s+)?$", re.IGNORECASE)


@cache
def _cue_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = _lexicon()
    pub = re.compile(rf"(?:^|\W)(?:{_alt(lex['publication_cues'])})\.?[\s:•·|–-]*$", re.IGNORECASE)
    neg = re.compile(rf"(?:^|\W)(?:{_alt(lex['not_publication_cues'])})\b", re.IGNORECASE)
    return pub, neg


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _slash_order(text: str, pattern: FoldedPattern) -> str:
    """'dm' or 'md' for the document's a/b/yyyy dates: whichever an unambiguous one shows; else Swedish d/m."""
    for m in pattern.finditer(text):
        if m.group("slash"):
            a, b = int(m.group("sa")), int(m.group("sb"))
            if a > 12 >= b:
                return "dm"
            if b > 12 >= a:
                return "md"
    return "dm"


def _score(text: str, start: int, end: int, line_no: int, numeric: bool) -> float:
    """How likely the date at text[start:end] is the publication date."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:start]
    after = text[end:line_end]
    pub, neg = _cue_patterns()
    near = before[-30:]
    if pub.search(near):
        return 3.0
    if neg.search(near):
        return 0.0
    if _TODAY.search(near):
        return 2.5  # "har i dag, den 14 november 2022, antagit budgeten"
    if line_no < 12 and _DATELINE_PLACE.fullmatch(before) and _DATELINE_END.match(after):
        return 2.0  # a dateline: "Eskilstuna 2020-09-23. I år får ..."
    if line_no < 8 and _HEADER_SEGMENT.search(before) and _HEADER_END.match(after):
        return 2.0  # a date segment of a header: "GP.se  |  Göteborg  |  12 mars 2019"
    if _SIGNATURE_PLACE.fullmatch(before) and not _TIME_TAIL.sub("", after).strip():
        return 2.0  # a closing line: "Botkyrka, 20 mars 2019", "Gävle den 10 juni 2021"
    tail = _TIME_TAIL.match(after)
    rest = after[tail.end() :] if tail else after
    alone_before = not before.strip(" \t|•·-–—:")
    rest = _date_patterns()[0].sub("", rest).strip(" \t|•·")  # "2018-10-26T09:25 oktober 25th, 2018|"
    if alone_before and (not rest or after.lstrip().startswith(("|", "•", "·"))):
        return 2.0
    if alone_before and line_no < 8 and numeric:
        return 1.0  # "2025-03-18 Titel ...": a listing or page header line
    return 0.0


def find_dates(text: str) -> list[DateMention]:
    """Every calendar date with a year, in text order, with its publication-date score."""
    pattern, months = _date_patterns()
    mentions = []
    order: str | None = None
    for m in pattern.finditer_near(text, _YEAR_DIGITS, reach=_DATE_REACH, starts=_date_starts()):
        if m.group("iso"):
            d = _valid(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        elif m.group("dmy"):
            d = _valid(int(m.group("dy")), months[m.group("mon1").casefold()], int(m.group("dd")))
        elif m.group("mdy"):
            d = _valid(int(m.group("my")), months[m.group("mon2").casefold()], int(m.group("md")))
        elif m.group("slash"):
            order = order or _slash_order(text, pattern)
            a, b = int(m.group("sa")), int(m.group("sb"))
            day, month = (a, b) if order == "dm" else (b, a)
            if month > 12:
                day, month = month, day
            d = _valid(int(m.group("sy")), month, day)
        else:
            d = _valid(int(m.group("dty")), int(m.group("db")), int(m.group("da")))
        if d is None or not 1990 <= d.year <= 2100:
            continue
        start, end = m.span()
        numeric = not (m.group("dmy") or m.group("mdy"))
        mentions.append(DateMention(start, end, d, _score(text, start, end, text.count("\n", 0, start), numeric)))
    return mentions


_PUB_LINE = re.compile(r"^\W*(?:publicerad|publicerades|publicerat)\b\.?\s*:?\s*(?P<rest>.+)$", re.IGNORECASE | re.M)


def _dateparser_fallback(text: str) -> date | None:
    """A "Publicerad ..." line in a format the patterns do not know: ask dateparser (imported only then)."""
    for m in _PUB_LINE.finditer(text[:3000]):
        rest = m.group("rest").strip()[:60]
        if not re.search(r"\d{4}", rest):
            continue  # without a year the date cannot be resolved
        import dateparser

        parsed = dateparser.parse(rest, languages=["sv", "en"], settings={"STRICT_PARSING": True, "DATE_ORDER": "DMY"})
        if parsed and 1990 <= parsed.year <= 2100:
            return parsed.date()
    return None


def publication_date(text: str, dates: list[DateMention] | None = None) -> DateMention | None:
    """The date the text states as its publication date: the best-scored one, the earliest on a tie."""
    dates = find_dates(text) if dates is None else dates
    best = None
    for d in dates:
        if d.score > 0 and (best is None or d.score > best.score):
            best = d
    if best is None and "ublicera" in text:
        found = _dateparser_fallback(text)
        if found:
            return DateMention(0, 0, found, 3.0)
    return best


# --- years and periods -------------------------------------------------------------------------

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")  # every calendar date holds one
# How far a date or a year expression reaches from its anchor: "onsdag den 26 september 2018",
# "under perioden från och med år 2020 till och med år 2027", "de närmast kommande tre åren".
_DATE_REACH = 40
_YEAR_REACH = 60
# Every year expression holds a year or one of these (dates_lexicon.json "relative_years",
# "coming_years", "after_previous", "now"); alternatives that each start with a literal let re
# skip ahead by their first characters, which halves the scan.
_YEAR_ANCHOR = re.compile(r"19\d\d|20\d\d|år|fjol|därefter|därpå|höst|vår|somm|somr|sedan|nu")


def _anchor_at_word_start(low: str, hit: re.Match[str]) -> bool:
    """An "år" inside "går", a "vår" inside "svår" or a "nu" inside "januari" is no anchor; "fjol" inside "ifjol" is."""
    word = hit.group()
    return word[0].isdigit() or word == "fjol" or hit.start() == 0 or not low[hit.start() - 1].isalpha()


# The words a year expression can start with, besides those of the lexicon's phrases: the
# pattern's own (leads, "från", "fram till", "t.o.m.", "med start") and a year's first digits.
_YEAR_FIRST = (
    r"19|20|t\.?\s?o|under|för|mellan|inom|perioden|åren|budgetåren|verksamhetsåren"
    r"|från|fr|år|fram|till|ända|intill|sedan|med|start|de"
)


@cache
def _year_starts() -> re.Pattern[str]:
    """The character before each position where a year expression can start (see
    FoldedPattern.finditer_near): one the pattern's lookbehind allows, followed by a first word."""
    lex = _lexicon()
    phrases = [*lex["coming_years"], *lex["past_years"], *lex["after_previous"]["open"]]
    phrases += [*lex["after_previous"]["next"], *lex["now"]["until"], *lex["now"]["from"], *lex["now"]["at"]]
    phrases += [phrase for words in lex["relative_years"].values() for phrase in words]
    return re.compile(rf"[^\w.,:/–-](?={_YEAR_FIRST}|{_alt({p.split()[0] for p in phrases})})")


@cache
def _year_pattern() -> FoldedPattern:
    lex = _lexicon()
    not_after = _alt(lex["year_not_followed_by"])
    year_end = rf"(?![\d]|[.,]\d|-tal|\s*-?\s*talet|\s*(?:{not_after})(?!\w))"
    y1 = rf"(?P<{{}}>{_YEAR}){year_end}"
    lead = r"(?:(?:under|för|mellan|inom)\s+)?(?:(?:perioden|åren|budgetåren|verksamhetsåren)\s+)?"
    rel = lex["relative_years"]
    relative = "|".join(f"(?P<rel_{i}>{_alt(words)})" for i, words in enumerate(rel.values()))
    coming = _alt(lex["coming_years"])
    past = _alt(lex["past_years"])
    after = lex["after_previous"]
    now = lex["now"]
    number_word = r"(?:\d{1,2}|två|tre|fyra|fem|sex|sju|åtta|nio|tio)"
    return FoldedPattern(
        rf"""
        (?<![\w.,:/–-])(?:
            (?P<range>{lead}(?:från\s+(?:och\s+med\s+)?|fr\.?\s?o\.?\s?m\.?\s+|mellan\s+)?(?:år(?:et)?\s+)?{y1.format("a1")}
                (?:\s*(?:[–—-]|/|\s(?:till(?:\s+och\s+med)?|t\.?\s?o\.?\s?m\.?|fram\s+till(?:\s+och\s+med)?|och)\s)
                   \s*(?:år(?:et)?\s+)?{y1.format("a2")}
                 | \s*[–—/-]\s*(?P<a2s>\d\d)(?![\d,.]\d)))
          | (?P<until>(?:fram\s+till(?:\s+och\s+med)?|till\s+och\s+med|t\.?\s?o\.?\s?m\.?|fram\s+tills
                        |ända\s+till|till|intill)
                \s+(?:år(?:et)?\s+|utgången\s+av\s+|slutet\s+av\s+)?{y1.format("u")})
          | (?P<from>(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|sedan|med\s+start|med\s+början|start)
                \s+(?:år(?:et)?\s+|i\s+)?{y1.format("f")})
          | (?P<coming>(?:under\s+)?(?:de\s+)?(?:{coming})\s+(?P<n>{number_word})\s+åren)
          | (?P<past>(?:under\s+)?(?:de\s+)?(?:{past})\s+(?P<pn>{number_word})\s+åren)
          | (?P<now_until>{_alt(now["until"])})
          | (?P<now_from>{_alt(now["from"])})
          | (?P<now>{_alt(now["at"])})
          | (?P<after_open>{_alt(after["open"])})
          | (?P<after_next>{_alt(after["next"])})
          | {relative}
          | {y1.format("y")}
        )(?![\w])
        """,
        re.VERBOSE,
    )


def find_years(
    text: str, published: date | None = None, exclude: list[tuple[int, int]] | None = None
) -> list[YearMention]:
    """Year and period expressions in text order, outside the excluded (start, end) ranges."""
    pattern = _year_pattern()
    rel_offsets = [int(k) for k in _lexicon()["relative_years"]]
    pub_year = published.year if published else None
    exclude = sorted(exclude or [])
    found: list[YearMention] = []
    previous_end: int | None = None
    starts = _year_starts()
    for m in pattern.finditer_near(text, _YEAR_ANCHOR, _anchor_at_word_start, reach=_YEAR_REACH, starts=starts):
        start, end = m.span()
        if any(a < end and start < b for a, b in exclude):
            continue
        g = m.groupdict()
        if g["range"]:
            a = int(g["a1"])
            b = int(g["a2"]) if g["a2"] else (a // 100) * 100 + int(g["a2s"])
            if not a <= b <= a + 30:
                continue
            mention = YearMention(start, end, a, b, "range")
        elif g["until"]:
            mention = YearMention(start, end, None, int(g["u"]), "until")
        elif g["from"]:
            mention = YearMention(start, end, int(g["f"]), None, "from")
        elif g["y"]:
            y = int(g["y"])
            mention = YearMention(start, end, y, y, "year")
        elif g["coming"] or g["past"]:
            # "de kommande tre åren" counts this year: 2019-05 -> 2019-2021; "de senaste tre åren" ends with it
            word = g["n"] or g["pn"]
            n = int(word) if word.isdigit() else int(parse_word_number(word) or 0)
            if not (pub_year and n):
                s, e = None, None
            elif g["coming"]:
                s, e = pub_year, pub_year + n - 1
            else:
                s, e = pub_year - n + 1, pub_year
            mention = YearMention(start, end, s, e, "coming" if g["coming"] else "past")
        elif g["now_until"]:
            continue  # "fram till nu har kommunen fått ...": a tally, not the period of a sum
        elif g["now_from"]:
            # "från och med nu": the publication year opens the period, like "från och med 2024"
            mention = YearMention(start, end, pub_year, None, "from")
        elif g["now"]:
            # "Nu får kommunen ...": the publication year, but weaker than any year the sentence
            # states (nlp/money_attributes.py), so kind "now"
            mention = YearMention(start, end, pub_year, pub_year, "now")
        elif g["after_open"] or g["after_next"]:
            s = previous_end + 1 if previous_end else None
            mention = YearMention(start, end, s, s if g["after_next"] else None, "after")
        else:
            offset = next(rel_offsets[i] for i in range(len(rel_offsets)) if g[f"rel_{i}"])
            y = pub_year + offset if pub_year else None
            mention = YearMention(start, end, y, y, "relative")
        found.append(mention)
        if mention.year_end or mention.year_start:
            previous_end = mention.year_end or mention.year_start
    return found
