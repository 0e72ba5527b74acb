"""One spelling per web address, so the same release found twice is fetched and stored once.

Newsletters and social media add tracking parameters (utm_source, fbclid ...) and
fragments to links; hosts come in mixed case and with default ports. canonicalize()
removes all that and sorts the query, so every later step can compare URLs as strings.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from crawler.errors import CrawlError

# Query parameters that say how a visitor arrived, never which page they see.
TRACKING_PARAM = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|igshid|yclid"
    r"|mkt_tok|ref_src|cmpid|trk|sc_cid|s_cid|wt\.mc_id|at_medium|at_campaign|at_source)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


class BadURL(CrawlError, ValueError):
    """Not an http(s) address the crawler can fetch."""


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in DEFAULT_PORTS and bool(parts.hostname) and " " not in parts.netloc


@lru_cache(maxsize=16384)  # a listing page canonicalizes each of its links in several passes
def canonicalize(url: str, base: str | None = None) -> str:
    """The canonical spelling of an http(s) URL (relative URLs resolved against base).

    Raises BadURL for anything else (mailto:, javascript:, a bare word).
    """
    raw = url.strip()
    if base:
        raw = urljoin(base, raw)
    if not is_web_url(raw):
        raise BadURL(f"not a web address: {url!r}")
    parts = urlsplit(canonicalize_url(raw, keep_fragments=False))
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[parts.scheme]) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAM.match(k)]
    path = parts.path or "/"
    return urlunsplit((parts.scheme, netloc, path, urlencode(query, doseq=True), ""))


def try_canonicalize(url: str | None, base: str | None = None) -> str | None:
    if not url:
        return None
    try:
        return canonicalize(url, base)
    except (BadURL, ValueError):
        return None


def site_of(url: str) -> str:
    """scheme://host[:port] of a URL: one site, with one robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def registrable_host(url: str) -> str:
    """The host without a leading www., so www.orebro.se and orebro.se count as one site."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
