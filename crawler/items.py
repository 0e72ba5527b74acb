"""What spiders hand to the pipelines: a fetched page, a file, or a page that has not changed.

Items carry the raw page and what the spider knew about it (the listing's date and
title, whether a listing or feed vouched for it); extraction and storing happen in
the pipelines, so a spider stays a map of the site and nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    """An HTML page that may be a release. queue_key is the frontier entry it completes."""

    url: str
    queue_key: str
    html: str
    http_status: int
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None
    source: str | None = None
    municipality: str | None = None
    date_hint: str | None = None
    title_hint: str | None = None
    presumed: bool = True  # a listing or feed linked it as news; sitemap and discovered pages must prove it
    single: bool = False  # the user named this very page (kind "release")
    other_urls: list[str] = field(default_factory=list)  # the URLs it was requested under, if redirected
    # Filled in by ExtractPipeline:
    kind: str = "page"
    reason: str | None = None
    page: Any = None
    relevant: bool | None = None


@dataclass
class FileItem:
    """A PDF, Word file or other non-HTML resource: recorded, not parsed."""

    url: str
    queue_key: str | None
    fetched_at: str
    content_type: str | None = None
    size: int | None = None
    http_status: int | None = None
    label: str | None = None
    found_on: str | None = None
    source: str | None = None
    municipality: str | None = None


@dataclass
class NotModifiedItem:
    """A stored release the server says is unchanged (HTTP 304): nothing to download or store."""

    url: str
    queue_key: str
    fetched_at: str
