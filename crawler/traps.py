"""Crawl traps: URLs that generate endless pages (calendars, filters, repeated paths).

A calendar's "next month" or a listing that answers every ?page=N never runs out;
a polite crawler must notice that before it asks. trap_reason() judges a URL alone;
the spider also stops following a listing's pagination once a page brings nothing new.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

MAX_URL_LENGTH = 1000
MAX_PATH_DEPTH = 15
MAX_QUERY_PARAMS = 8
CALENDAR_PATH = re.compile(r"/(?:kalender|calendar|evenemangskalender|events?-?calendar)(?:[./]|$)", re.I)
CALENDAR_PARAMS = {"month", "manad", "year", "ar", "week", "vecka", "day", "dag", "date", "datum", "from", "to", "tm"}
FILTER_PARAMS = {"sort", "order", "orderby", "view", "print", "replytocom", "share", "lang_switch"}


def trap_reason(url: str) -> str | None:
    """Why a URL is probably a trap, or None when it looks like an ordinary page."""
    if len(url) > MAX_URL_LENGTH:
        return "URL too long"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_DEPTH:
        return "path too deep"
    if len(segments) >= 6 and len(set(segments)) <= len(segments) // 2:
        return "repeating path"
    params = parse_qsl(parts.query, keep_blank_values=True)
    if len(params) > MAX_QUERY_PARAMS:
        return "too many query parameters"
    keys = {k.lower() for k, _ in params}
    if CALENDAR_PATH.search(parts.path) and (keys & CALENDAR_PARAMS or re.search(r"/\d{4}/\d{1,2}", parts.path)):
        return "calendar"
    if keys & FILTER_PARAMS:
        return "sort or view filter"
    return None
