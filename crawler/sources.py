"""Known newsrooms: crawler/sources.csv, plus a file of the user's own in the same shape.

Each row is (code, kind, url), optionally with the municipality's name for readers.
The bundled rows are the newsrooms seen for the 32 grant municipalities; a researcher
adds others (a new press room, another municipality) without touching the package.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from crawler.errors import CrawlError
from crawler.urls import BadURL, canonicalize, registrable_host

KINDS = ("auto", "listing", "feed", "sitemap", "mynewsdesk", "cision", "viatt", "newsmachine", "release")
SOURCES_ENV = "KOMMUNPRESS_SOURCES"


class SourcesError(CrawlError, ValueError):
    """A sources file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Source:
    code: str
    kind: str
    url: str
    municipality: str | None = None


def _rows(text: str, name: str) -> list[Source]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    missing = {"code", "kind", "url"} - set(reader.fieldnames or [])
    if missing:
        raise SourcesError(f"{name}: needs the columns code, kind, url (missing {', '.join(sorted(missing))})")
    out = []
    for n, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        kind = (row.get("kind") or "").strip().lower()
        url = (row.get("url") or "").strip()
        if not code.isdigit() or len(code) != 4:
            raise SourcesError(f"{name}, row {n}: code {code!r} is not a 4-digit municipality code")
        if kind not in KINDS:
            raise SourcesError(f"{name}, row {n}: kind {kind!r} is not one of {', '.join(KINDS)}")
        try:
            canonicalize(url)
        except BadURL:
            raise SourcesError(f"{name}, row {n}: {url!r} is not a web address") from None
        out.append(Source(code, kind, url, (row.get("municipality") or "").strip() or None))
    return out


def load_sources(extra: str | os.PathLike | None = None) -> list[Source]:
    """The bundled sources, then those of `extra` (or $KOMMUNPRESS_SOURCES) if given."""
    bundled = resources.files("crawler").joinpath("sources.csv").read_text(encoding="utf-8")
    sources = _rows(bundled, "crawler/sources.csv")
    path = extra or os.environ.get(SOURCES_ENV)
    if path:
        p = Path(path)
        if not p.is_file():
            raise SourcesError(f"sources file {p} does not exist")
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise SourcesError(f"cannot read sources file {p}: {e}") from None
        sources += _rows(text, str(p))
    return list(dict.fromkeys(sources))


def sources_for(code: str, sources: list[Source]) -> list[Source]:
    return [s for s in sources if s.code == code]


def municipality_for_url(url: str, sources: list[Source]) -> str | None:
    """The municipality whose known newsroom a URL belongs to (same site, or same press-room path)."""
    host = registrable_host(url)
    path = urlsplit(url).path.rstrip("/")
    shared = {"mynewsdesk.com", "news.cision.com", "via.tt.se", "pressmachine.se", "press.newsmachine.com"}
    codes = set()
    for s in sources:
        if registrable_host(s.url) != host:
            continue
        if host in shared:
            room = urlsplit(s.url).path.rstrip("/").split("/")[:4]
            if path.split("/")[: len(room)] != room:
                continue
        codes.add(s.code)
    return codes.pop() if len(codes) == 1 else None
