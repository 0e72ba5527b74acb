"""The newsroom spider: listings, press services, feeds, sitemaps, and `auto` to choose among them.

One spider class does all kinds, because `auto` must be able to switch from a front
page to a feed, a sitemap or a listing as it learns what the site offers; the named
spiders in crawler/spiders/ only choose the kind of their start URLs.

Every request goes through follow(), which writes it to the crawl's frontier in the
corpus before it is sent; a page is marked done only once what it yielded is stored
(by the pipeline for a release, at the end of the callback for a listing). Callbacks
therefore yield their requests before their item.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    StopDownload,
)
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefused
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TxTimeoutError

from corpus import crawlstate as cs
from crawler.dates import parse_since
from crawler.feeds import NotAFeed, looks_like_xml_feed, parse_feed, sitemaps_in_robots
from crawler.items import FileItem, NotModifiedItem, PageItem
from crawler.listing import analyse_listing, is_news_path, listing_dir
from crawler.platforms import PLATFORMS, SERVICE_KINDS, platform_for
from crawler.sources import KINDS
from crawler.state import CrawlState
from crawler.traps import trap_reason
from crawler.urls import canonicalize, registrable_host, site_of

logger = logging.getLogger(__name__)

ENTRY_CALLBACK = {
    "auto": "parse_auto",
    "listing": "parse_listing",
    "mynewsdesk": "parse_listing",
    "cision": "parse_listing",
    "viatt": "parse_listing",
    "newsmachine": "parse_listing",
    "feed": "parse_feed",
    "sitemap": "parse_sitemap",
    "release": "parse_release",
}
SITEMAP_PROBES = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap1.xml.gz")
HTML_TYPES = ("text/html", "application/xhtml")
XML_TYPES = ("xml", "rss", "atom", "gzip", "text/plain", "octet-stream")


class NewsroomSpider(scrapy.Spider):
    """Crawl newsrooms into the corpus. Arguments (scrapy crawl NAME -a key=value):

    url: start URL(s), comma-separated; kind: auto|listing|mynewsdesk|cision|viatt|newsmachine|feed|
    sitemap|release; municipality: municipality code; since: YYYY-MM-DD; max_pages: N;
    topic: bundled topic name or topic file; path: regex that sitemap URLs must match;
    refresh: 1 to revalidate stored releases; resume: 1 (the last unfinished crawl) or a run id;
    targets: JSON list of {url, kind, municipality} (what `kommunpress crawl` passes).
    """

    name = "auto"
    default_kind = "auto"

    def __init__(
        self,
        url: str | None = None,
        kind: str | None = None,
        municipality: str | None = None,
        since: str | None = None,
        max_pages: str | int | None = None,
        topic: str | None = None,
        path: str | None = None,
        refresh: str | bool | None = None,
        resume: str | int | None = None,
        targets: str | list | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        kind = (kind or self.default_kind).lower()
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
        if isinstance(targets, str):
            targets = json.loads(targets)
        if targets is None:
            urls = [u for u in re.split(r"[\s,]+", url or "") if u]
            targets = [{"url": u, "kind": kind, "municipality": municipality} for u in urls]
        for t in targets:
            t["url"] = canonicalize(t["url"]) if t.get("kind") != "sitemap" else t["url"].strip()
            t.setdefault("kind", kind)
            t.setdefault("municipality", municipality)
        parse_since(since)  # refuse a bad date before anything starts
        self.spec: dict[str, Any] = {
            "targets": targets,
            "since": since or None,
            "topic": topic or None,
            "path": path or None,
            "refresh": _true(refresh),
        }
        self.max_pages = int(max_pages) if max_pages not in (None, "", 0, "0") else None
        self._resume = resume if resume not in (None, "", "0", 0, False) else None
        self.final_status: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsroomSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.state = CrawlState.open(crawler.settings.get("KOMMUNPRESS_DB"), spider.spec, resume=spider._resume)
        spider.spec = spider.state.spec
        spider.since = parse_since(spider.spec.get("since"))
        spider.refresh = bool(spider.spec.get("refresh"))
        spider.path_filter = re.compile(spider.spec["path"]) if spider.spec.get("path") else None
        spider.max_listing_pages = crawler.settings.getint("KOMMUNPRESS_MAX_LISTING_PAGES", 2000)
        crawler.signals.connect(spider._headers_received, signal=signals.headers_received)
        crawler.signals.connect(spider._spider_error, signal=signals.spider_error)
        return spider

    # ---- starting -----------------------------------------------------------------------
    async def start(self):
        if self.state.resumed:
            pending = self.state.pending()
            self.state.count("requests taken up from the interrupted crawl", len(pending))
            for key, callback, meta, priority in pending:
                yield self._request(key, callback, meta, priority)
            return
        for target in self.spec["targets"]:
            kind = target["kind"]
            meta = {
                "role": "entry",
                "source": target["url"],
                "kind": kind,
                "municipality": target.get("municipality"),
                "page": 1,
                "single": kind == "release",
                "presumed": True,
            }
            if kind in SERVICE_KINDS:
                meta["platform"] = kind
            completed = self.state.source_completed(target["url"], self.since)
            if ENTRY_CALLBACK[kind] == "parse_listing" and completed and not self.refresh:
                meta["revalidate"] = True
            request = self.follow(target["url"], ENTRY_CALLBACK[kind], meta, priority=2)
            if request is not None:
                yield request
        self.state.commit()

    # ---- requests -----------------------------------------------------------------------
    def follow(
        self, url: str, callback: str, meta: dict[str, Any], *, priority: int = 0, key: str | None = None
    ) -> Request | None:
        """A request written to the frontier first; None when this crawl has already queued it."""
        key = key or url
        meta = {k: v for k, v in meta.items() if v is not None}
        if not self.state.enqueue(key, callback, meta, priority):
            return None
        return self._request(key, callback, meta, priority)

    def _request(self, key: str, callback: str, meta: dict[str, Any], priority: int) -> Request:
        headers = {}
        request_meta: dict[str, Any] = {"kp": meta, "kp_key": key}
        if meta.get("revalidate"):
            validators = self.state.validators(key.split("#", 1)[0])
            if validators:
                etag, modified = validators
                if etag:
                    headers["If-None-Match"] = etag
                if modified:
                    headers["If-Modified-Since"] = modified
                request_meta["handle_httpstatus_list"] = [304]
        return Request(
            key,
            callback=getattr(self, callback),
            errback=self.on_error,
            meta=request_meta,
            priority=priority,
            headers=headers,
            dont_filter=True,  # the frontier is the duplicate filter, across restarts too
        )

    def _release_meta(self, meta: dict[str, Any], **extra: Any) -> dict[str, Any]:
        base = {k: meta.get(k) for k in ("source", "kind", "municipality")}
        return {**base, "role": "release", "presumed": True, **extra}

    def _wanted(self, url: str, why_counted: bool = True) -> bool:
        """False (and counted) for traps and for releases the corpus already has."""
        reason = trap_reason(url)
        if reason:
            self.state.count(f"skipped: crawl trap ({reason})")
            return False
        if self.state.is_seen(url) and not self.refresh:
            if why_counted:
                self.state.count("skipped: already in the corpus")
            return False
        return True

    def _revalidate(self, url: str) -> bool:
        """--refresh asks again, with ETag/Last-Modified, for releases already stored."""
        return self.refresh and url in self.state.stored

    # ---- callbacks ------------------------------------------------------------------------
    def parse_auto(self, response: Response) -> Iterator[Any]:
        """Find out what the start URL is, and crawl the site the best way it offers."""
        meta = _kp(response)
        if not isinstance(response, HtmlResponse):
            if looks_like_xml_feed(response.body):
                yield from self.parse_sitemap(response)
                return
            yield from self._file(response, meta)
            return
        self._reached(meta)
        url = canonicalize(response.url)
        platform = platform_for(url)
        if platform.hosts:  # a press service: its listing shape is known
            yield from self._listing(response, {**meta, "platform": platform.name})
            return
        listing = analyse_listing(response.text, url, platform)
        section = listing_dir(url) if urlsplit(url).path not in ("", "/") else None
        common = {k: meta.get(k) for k in ("source", "kind", "municipality")}
        for feed in listing.feeds[:2]:
            request = self.follow(feed, "parse_feed", {**common, "role": "feed"}, priority=1)
            if request:
                yield request
        if listing.feeds:  # a feed dates what is new; the listing reaches back further
            yield from self._listing(response, meta, listing)
            return
        if len(listing.releases) < 3 and not listing.next_pages and section is not None:
            # Not a site's front page, and no list to speak of: a single page (a release with a few
            # related links?) or a very short listing. Follow its links; the pipeline judges the page.
            yield from self._listing(response, meta, listing, done=False)
            yield self._page_item(response, {**meta, "presumed": False})
            return
        robots = site_of(url) + "/robots.txt"
        yield from self._emit(
            self.follow(
                robots, "parse_robots", {**common, "role": "robots", "section": section, "fallback": url}, priority=1
            )
        )
        self._done(response)

    def parse_robots(self, response: Response) -> Iterator[Any]:
        meta = _kp(response)
        found = sitemaps_in_robots(response.body, response.url) if response.status == 200 else []
        common = {k: meta.get(k) for k in ("source", "kind", "municipality", "section")}
        if found:
            for sitemap in found:
                yield from self._emit(self.follow(sitemap, "parse_sitemap", {**common, "role": "sitemap"}, priority=1))
        else:
            probes = [site_of(response.url) + p for p in SITEMAP_PROBES]
            yield from self._next_probe({**meta, "probes": probes})
        self._done(response)

    def _next_probe(self, meta: dict[str, Any]) -> Iterator[Request]:
        probes = list(meta.get("probes") or [])
        common = {k: meta.get(k) for k in ("source", "kind", "municipality", "section", "fallback")}
        if probes:
            request = self.follow(probes[0], "parse_sitemap", {**common, "role": "probe", "probes": probes[1:]})
        else:
            fallback = meta.get("fallback")
            if not fallback:
                return
            # No feed, no sitemap: read the start page as a listing after all (as an entry, so that a
            # front page still leads on to the news listing).
            meta = {**common, "role": "entry", "page": 1}
            request = self.follow(fallback + "#listing", "parse_listing", meta, key=fallback + "#listing")
        yield from self._emit(request)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        meta = _kp(response)
        if response.status == 304:
            self.state.count("listing pages unchanged (not modified)")
            self._reached(meta)
            self._done(response)
            return
        if not isinstance(response, HtmlResponse):
            if looks_like_xml_feed(response.body):
                yield from self.parse_feed(response)
                return
            yield from self._file(response, meta)
            return
        self._reached(meta)
        yield from self._listing(response, meta)

    def _listing(self, response: Response, meta: dict[str, Any], listing=None, done: bool = True) -> Iterator[Any]:
        url = canonicalize(response.url)
        platform = PLATFORMS.get(meta.get("platform") or "", None) or platform_for(url, meta.get("kind"))
        listing = listing or analyse_listing(response.text, url, platform)
        cs.record_page(
            self.state.db,
            url,
            "listing",
            http_status=response.status,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            source=meta.get("source"),
            run_id=self.state.run_id,
        )
        self.state.count("listing pages read")
        for f in listing.files:
            if not self.state.is_seen(f.url):
                cs.record_link(
                    self.state.db,
                    f.url,
                    label=f.title,
                    found_on=url,
                    source=meta.get("source"),
                    municipality_code=meta.get("municipality")
                    if self.state.municipality_known(meta.get("municipality"))
                    else None,
                )
                self.state.remember(f.url)
                self.state.count("files recorded (not parsed)")
        fresh = unseen = 0
        for link in listing.releases:
            first_time = link.url not in self.state.listed
            self.state.listed.add(link.url)
            fresh += first_time
            if self.since and link.date and link.date < self.since:
                if first_time:
                    self.state.count("skipped: listed as older than --since")
                continue
            if not self._wanted(link.url, why_counted=first_time) and not self._revalidate(link.url):
                continue
            unseen += 1
            extra = {"date": link.date.isoformat() if link.date else None, "title": link.title}
            release_meta = self._release_meta(meta, revalidate=self._revalidate(link.url) or None, **extra)
            yield from self._emit(self.follow(link.url, "parse_release", release_meta))
        stop = self._stop_paging(meta, listing, fresh, unseen)
        if stop:
            self.state.count(f"listing not followed further: {stop}")
        else:
            page = int(meta.get("page") or 1)
            listing_meta = {**meta, "role": "listing", "page": page + 1, "revalidate": None, "platform": platform.name}
            for nxt in listing.next_pages:
                if trap_reason(nxt):
                    self.state.count(f"skipped: crawl trap ({trap_reason(nxt)})")
                    continue
                yield from self._emit(self.follow(nxt, "parse_listing", listing_meta, priority=1))
        if meta.get("role") == "entry" and (not listing.releases or not listing.next_pages):
            # A front page (a few teasers at most) rather than a listing: go on to the site's news listing.
            for target in listing.news_listings[:3]:
                listing_meta = {**meta, "role": "listing", "page": 1, "revalidate": None}
                yield from self._emit(self.follow(target, "parse_listing", listing_meta, priority=1))
        if done:
            self._done(response)

    def _stop_paging(self, meta: dict[str, Any], listing, fresh: int, unseen: int) -> str | None:
        page = int(meta.get("page") or 1)
        if not listing.next_pages:
            return None
        if page > 1 and fresh == 0:
            return "a page with nothing new (a crawl trap?)"
        if self.since and listing.dated and max(listing.dated) < self.since:
            return "older than --since"
        if self.since and listing.cursor_date and listing.cursor_date < self.since:
            return "older than --since"
        if (
            listing.releases
            and unseen == 0
            and not self.refresh
            and self.state.source_completed(meta.get("source"), self.since)
        ):
            return "reached releases already in the corpus"
        if page >= self.max_listing_pages:
            return "listing page limit"
        return None

    def parse_feed(self, response: Response) -> Iterator[Any]:
        meta = _kp(response)
        self._reached(meta)
        try:
            feed = parse_feed(response.body, response.url)
        except NotAFeed as e:
            if isinstance(response, HtmlResponse):  # a "feed" that is an HTML news list
                yield from self._listing(response, meta)
                return
            self.state.error(f"not a feed ({e})", response.url)
            self._done(response, "failed")
            return
        if feed.kind in ("urlset", "sitemapindex"):
            yield from self.parse_sitemap(response)
            return
        self.state.count("feeds read")
        for entry in feed.entries:
            if self.since and entry.date and entry.date < self.since:
                self.state.count("skipped: listed as older than --since")
                continue
            if not self._wanted(entry.url) and not self._revalidate(entry.url):
                continue
            extra = {"date": entry.date.isoformat() if entry.date else None, "title": entry.title}
            release_meta = self._release_meta(meta, revalidate=self._revalidate(entry.url) or None, **extra)
            yield from self._emit(self.follow(entry.url, "parse_release", release_meta))
        if feed.next_page and not trap_reason(feed.next_page):
            yield from self._emit(self.follow(feed.next_page, "parse_feed", {**meta, "role": "feed"}, priority=1))
        self._done(response)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        meta = _kp(response)
        probing = meta.get("role") == "probe"
        try:
            feed = parse_feed(response.body, response.url) if response.status == 200 else None
        except NotAFeed as e:
            feed = None
            if not probing:
                self.state.error(f"not a sitemap ({e})", response.url)
        if feed is None:
            if probing:
                yield from self._next_probe(meta)
            self._done(response, "done" if probing else "failed")
            return
        self._reached(meta)
        if feed.kind in ("rss", "atom"):
            yield from self.parse_feed(response)
            return
        self.state.count("sitemaps read")
        common = {k: meta.get(k) for k in ("source", "kind", "municipality", "section")}
        for entry in feed.entries:
            if self.since and entry.date and entry.date < self.since:
                self.state.count("skipped: sitemap says unchanged since before --since")
                continue
            if feed.kind == "sitemapindex":
                yield from self._emit(
                    self.follow(entry.url, "parse_sitemap", {**common, "role": "sitemap"}, priority=1)
                )
                continue
            if not self._in_section(entry.url, meta):
                self.state.count("skipped: sitemap page outside the news section")
                continue
            if not self._wanted(entry.url) and not self._revalidate(entry.url):
                continue
            release_meta = self._release_meta(meta, presumed=False, revalidate=self._revalidate(entry.url) or None)
            yield from self._emit(self.follow(entry.url, "parse_release", release_meta))
        self._done(response)

    def _in_section(self, url: str, meta: dict[str, Any]) -> bool:
        if registrable_host(url) != registrable_host(meta.get("source") or url):
            return False
        path = urlsplit(url).path
        if self.path_filter is not None:
            return bool(self.path_filter.search(path))
        section = meta.get("section")
        return bool(section and path.startswith(section)) or is_news_path(url)

    def parse_release(self, response: Response) -> Iterator[Any]:
        meta = _kp(response)
        self._reached(meta)
        if response.status == 304:
            yield NotModifiedItem(canonicalize(response.url), response.meta["kp_key"], cs.now())
            self.state.count("pages fetched")
            return
        if not isinstance(response, HtmlResponse):
            yield from self._file(response, meta)
            return
        yield self._page_item(response, meta)

    # ---- helpers --------------------------------------------------------------------------
    def _page_item(self, response: Response, meta: dict[str, Any]) -> PageItem:
        self.state.count("pages fetched")
        key = response.meta["kp_key"]
        url = canonicalize(response.url)
        requested = canonicalize(key)
        return PageItem(
            url=url,
            queue_key=key,
            html=response.text,
            http_status=response.status,
            fetched_at=cs.now(),
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            source=meta.get("source"),
            municipality=meta.get("municipality"),
            date_hint=meta.get("date"),
            title_hint=meta.get("title"),
            presumed=bool(meta.get("presumed", True)),
            single=bool(meta.get("single")),
            other_urls=[requested] if requested != url else [],
        )

    def _file(self, response: Response, meta: dict[str, Any]) -> Iterator[FileItem]:
        self._reached(meta)
        length = _header(response, "Content-Length")
        yield FileItem(
            url=canonicalize(response.url),
            queue_key=response.meta["kp_key"],
            fetched_at=cs.now(),
            content_type=(_header(response, "Content-Type") or "").split(";")[0].strip() or None,
            size=int(length) if length and length.isdigit() else (len(response.body) or None),
            http_status=response.status,
            label=meta.get("title"),
            found_on=meta.get("found_on"),
            source=meta.get("source"),
            municipality=meta.get("municipality"),
        )

    @staticmethod
    def _emit(request: Request | None) -> Iterable[Request]:
        return [request] if request is not None else []

    def _done(self, response: Response, state: str = "done") -> None:
        self.state.mark(response.meta["kp_key"], state)
        self.state.commit()

    def _reached(self, meta: dict[str, Any]) -> None:
        if meta.get("source"):
            self.state.reached.add(meta["source"])

    # ---- faults ---------------------------------------------------------------------------
    def on_error(self, failure) -> Iterator[Request]:
        request = failure.request
        meta = request.meta.get("kp", {})
        key = request.meta.get("kp_key", request.url)
        exc = failure.value
        url = request.url.split("#", 1)[0]
        if isinstance(exc, IgnoreRequest) and "page budget" in str(exc):
            self.state.count("not fetched: --max-pages reached (left for --resume)")
            return  # stays pending in the frontier
        if meta.get("role") == "probe":
            yield from self._next_probe(meta)
            self.state.mark(key, "done")
            self.state.commit()
            return
        reason, kind = _describe(exc)
        if reason == "forbidden by robots.txt":
            self.state.count("skipped: forbidden by robots.txt")
            self.state.mark(key, "skipped")
            self.state.commit()
            return
        self.state.error(reason, url)
        status = exc.response.status if isinstance(exc, HttpError) else None
        cs.record_page(
            self.state.db,
            canonicalize(url),
            kind,
            http_status=status,
            source=meta.get("source"),
            run_id=self.state.run_id,
            note=reason,
        )
        if kind == "gone":
            self.state.remember(canonicalize(url))
        if meta.get("role") == "entry":
            self.state.start_failures[meta.get("source") or url] = reason
        if meta.get("role") == "robots":
            yield from self._next_probe({**meta, "probes": [site_of(url) + p for p in SITEMAP_PROBES]})
        self.state.mark(key, "failed")
        self.state.commit()

    def _headers_received(self, headers, body_length, request: Request, spider=None) -> None:
        """Stop downloading a PDF or other file as soon as its headers say what it is."""
        meta = request.meta.get("kp")
        if meta is None:
            return
        ctype = (headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if not ctype:
            return
        role = meta.get("role")
        if role in ("release", "listing") or (
            role == "entry" and meta.get("kind") != "feed" and meta.get("kind") != "sitemap"
        ):
            allowed = HTML_TYPES + (XML_TYPES if role == "entry" else ())
        else:
            allowed = HTML_TYPES + XML_TYPES
        if not any(t in ctype for t in allowed):
            raise StopDownload(fail=False)

    def _spider_error(self, failure, response: Response, spider=None) -> None:
        key = response.meta.get("kp_key")
        self.state.error(f"could not read the page ({type(failure.value).__name__}: {failure.value})", response.url)
        if key:
            self.state.mark(key, "failed")
            self.state.commit()

    def closed(self, reason: str) -> None:
        self.final_status = self.state.close(reason)
        reporter = getattr(self.crawler, "kommunpress_progress", None)
        if reporter is not None:
            reporter.finish(reason, self.final_status)
        logger.info("crawl run %s ended: %s", self.state.run_id, self.final_status)


def _kp(response: Response) -> dict[str, Any]:
    return response.meta.get("kp", {})


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _true(value: object) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on") if value is not None else False


def _describe(exc: BaseException) -> tuple[str, str]:
    """A short reason a researcher understands, and the crawl_pages kind to record."""
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"HTTP {status}", "gone" if status in (404, 410) else "error"
    if isinstance(exc, IgnoreRequest):
        msg = str(exc)
        if "robots" in msg.lower():
            return "forbidden by robots.txt", "skipped"
        if "redirect" in msg.lower():
            return "redirect loop", "error"
        return msg or "ignored", "error"
    if isinstance(exc, DownloadTimeoutError | TxTimeoutError | TCPTimedOutError):
        return "timeout", "error"
    if isinstance(exc, CannotResolveHostError | DNSLookupError):
        return "no such host (DNS lookup failed)", "error"
    if isinstance(exc, DownloadConnectionRefusedError | TxConnectionRefused):
        return "connection refused", "error"
    if isinstance(exc, DownloadCancelledError):
        return "page too large", "error"
    if isinstance(exc, ResponseDataLossError | DownloadFailedError):
        return "connection lost", "error"
    return f"{type(exc).__name__}: {exc}"[:200], "error"
