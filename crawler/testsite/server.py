"""Serving simulated newsrooms on 127.0.0.1, one port per site, with a log of every request.

Each site gets its own port, so each has its own robots.txt, sitemap and feed at its
root as a real host would. The request log is kept on the server side, so a test can
check what the crawler actually asked for (never the forbidden path, no release body
twice), whatever the crawler itself believes.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from crawler.testsite.releases import STYLE_ALIASES, Release, slugify
from crawler.testsite.site import Answer, Site, SiteOptions, wait


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    site: str
    method: str
    path: str  # path and query
    status: int
    size: int
    conditional: bool
    user_agent: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, site: Site, log: list[Hit], lock: threading.Lock) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.log = log
        self.lock = lock

    def handle_error(self, request, client_address) -> None:
        """A crawler that hangs up (timeout, size limit) is normal here, not worth a traceback."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        parts = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            answer = self.server.site.answer(parts.path, parts.query, headers)
        except Exception as e:  # a bug in a page must show as a 500, not hang the crawler
            answer = Answer(500, f"simulator error: {e}".encode(), "text/plain")
        with self.server.lock:
            self.server.log.append(
                Hit(
                    self.server.site.key,
                    self.command,
                    self.path,
                    answer.status,
                    len(answer.body),
                    "if-none-match" in headers or "if-modified-since" in headers,
                    headers.get("user-agent", ""),
                )
            )
        wait(answer.delay)
        if answer.gate is not None:
            answer.gate.wait(timeout=60)
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for k, v in answer.headers.items():
                self.send_header(k, v)
            self.end_headers()
            if body and answer.status != 304:
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on this request (a timeout or a size limit)

    def log_message(self, format: str, *args: Any) -> None:
        return


class Newsroom:
    """Simulated newsrooms serving a list of releases, as a context manager.

    >>> with Newsroom([Release("Titel", "2020-01-02", "Text.")]) as sim:
    ...     url = sim.site("Örebro", "sitevision").start_url

    Releases are grouped into sites by (municipality, style); a release with also_on
    appears on those styles' sites of the same municipality too. options maps
    "municipality/style" (or just "style") to SiteOptions; faults=True turns on the
    fault pages (broken links, errors, a redirect loop, an oversized and a slow page,
    a PDF, a calendar trap, endless pagination and a robots.txt-forbidden page) on the
    Sitevision sites.
    """

    def __init__(
        self,
        releases: Iterable[Release | dict],
        *,
        faults: bool = False,
        options: dict[str, SiteOptions] | None = None,
        page_size: int = 10,
        latency: float = 0.0,
    ) -> None:
        self.options = options or {}
        self.faults = faults
        self.page_size = page_size
        self.latency = latency
        self.sites: dict[str, Site] = {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        self._servers: list[tuple[_Server, threading.Thread]] = []
        self._running = False
        for r in releases:
            self.add(r)

    # ---- content ----------------------------------------------------------------------
    def _site_for(self, release: Release, style: str) -> Site:
        own = style == release.style
        key = (release.site if own else None) or f"{slugify(release.municipality)}-{style}"
        if key in self.sites:
            return self.sites[key]
        municipality = release.municipality
        opts = self.options.get(key) or self.options.get(f"{municipality}/{style}") or self.options.get(style)
        if opts is None:
            opts = SiteOptions(faults=self.faults and style == "sitevision")
        opts = replace(
            opts,
            page_size=opts.page_size if opts.page_size != 10 else self.page_size,
            latency=opts.latency or self.latency,
        )
        site = Site(municipality, style, opts, key=key, name=release.publisher if own else None)
        self.sites[site.key] = site
        if self._running:
            self._serve(site)
        return site

    def add(self, release: Release | dict) -> Release:
        """Publish a release (also while serving: a later crawl should find it)."""
        r = release if isinstance(release, Release) else Release.from_dict(release)
        for style in (r.style, *r.also_on):
            self._site_for(r, style).add(r)
        return r

    def site(self, municipality: str | None = None, style: str | None = None, *, key: str | None = None) -> Site:
        """The one site of that municipality and style (or with that key, such as "malmo-sitevision")."""
        if key is not None:
            return self.sites[key]
        style = STYLE_ALIASES.get(style, style) if style else None
        found = [
            s
            for s in self.sites.values()
            if (municipality is None or s.municipality == municipality) and (style is None or s.style == style)
        ]
        if len(found) != 1:
            raise KeyError(f"{len(found)} sites match municipality={municipality!r} style={style!r}")
        return found[0]

    # ---- serving --------------------------------------------------------------------
    def _serve(self, site: Site) -> None:
        server = _Server(site, self.log, self._lock)
        site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        self._servers.append((server, thread))

    def start(self) -> Newsroom:
        if not self._running:
            self._running = True
            for site in self.sites.values():
                self._serve(site)
        return self

    def stop(self) -> None:
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self._servers.clear()
        self._running = False

    def __enter__(self) -> Newsroom:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- the request log ----------------------------------------------------------------
    def hits(self, site: Site | str | None = None, path: str | None = None) -> list[Hit]:
        """Requests received, optionally for one site and paths starting with `path`."""
        key = site.key if isinstance(site, Site) else site
        with self._lock:
            log = list(self.log)
        return [h for h in log if (key is None or h.site == key) and (path is None or h.path.startswith(path))]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
