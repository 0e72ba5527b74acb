"""RSS/Atom feeds and XML sitemaps: lists of release URLs with dates.

A feed gives each release's publication date; a sitemap gives every page with its
last modification. Both are read with lxml without resolving entities (a feed is
untrusted input) and with a size limit for gzip bombs.
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime

from lxml import etree

from crawler import dates
from crawler.urls import try_canonicalize

MAX_XML_BYTES = 50_000_000


@dataclass
class Entry:
    url: str
    date: date | None = None
    title: str | None = None


@dataclass
class Feed:
    kind: str  # rss, atom, sitemapindex, urlset
    entries: list[Entry]
    next_page: str | None = None


class NotAFeed(ValueError):
    pass


def maybe_gunzip(body: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise NotAFeed("gzip file larger than the limit")
    return data


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(el: etree._Element, *names: str) -> str | None:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def _rfc822_or_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return dates.parse_date(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dates.STOCKHOLM)
    return moment.date()


def looks_like_xml_feed(body: bytes) -> bool:
    head = maybe_gunzip(body[:4096] if body[:2] != b"\x1f\x8b" else body)[:2048].lower()
    return bool(re.search(rb"<(rss|feed|urlset|sitemapindex|rdf:rdf)[\s>]", head))


def parse_feed(body: bytes, base_url: str) -> Feed:
    """Entries of an RSS, Atom or sitemap document (gzip allowed); NotAFeed for anything else."""
    data = maybe_gunzip(body)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as e:
        raise NotAFeed(f"not XML: {e}") from None
    if root is None:
        raise NotAFeed("empty document")
    kind = _local(root.tag)
    entries: list[Entry] = []
    next_page = None
    if kind in ("urlset", "sitemapindex"):
        child = "url" if kind == "urlset" else "sitemap"
        for el in root:
            if _local(el.tag) != child:
                continue
            url = try_canonicalize(_child_text(el, "loc"), base_url)
            if url:
                entries.append(Entry(url, dates.parse_date(_child_text(el, "lastmod"))))
        return Feed(kind, entries)
    if kind in ("rss", "rdf"):
        items = root.iter("{*}item")
        for item in items:
            link = _child_text(item, "link", "guid")
            url = try_canonicalize(link, base_url)
            if url:
                when = _rfc822_or_iso(_child_text(item, "pubdate", "date", "published"))
                entries.append(Entry(url, when, _child_text(item, "title")))
        return Feed("rss", entries)
    if kind == "feed":
        for el in root:
            if _local(el.tag) == "link" and el.get("rel") == "next":
                next_page = try_canonicalize(el.get("href"), base_url)
        for entry in root.iter("{*}entry"):
            href = None
            for link in entry.iter("{*}link"):
                if link.get("rel") in (None, "alternate") and link.get("href"):
                    href = link.get("href")
                    break
            url = try_canonicalize(href, base_url)
            if url:
                when = dates.parse_date(_child_text(entry, "published", "updated", "issued"))
                entries.append(Entry(url, when, _child_text(entry, "title")))
        return Feed("atom", entries, next_page)
    raise NotAFeed(f"<{kind}> is neither a feed nor a sitemap")


def sitemaps_in_robots(body: bytes, base_url: str) -> list[str]:
    urls = []
    for line in body.decode("utf-8", errors="replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap":
            url = try_canonicalize(value.strip(), base_url)
            if url:
                urls.append(url)
    return list(dict.fromkeys(urls))
