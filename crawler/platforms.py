"""The press services municipalities publish on, and how their URLs look.

Release and listing URLs differ by service (README of the newsroom list): Mynewsdesk
/pressreleases/<slug>-<id> (old: /pressroom/<org>/pressrelease/view/<slug>-<id>),
Cision /r/<slug>,c<id>, Via TT /pressmeddelande/<id>/<slug>, NewsMachine
/pressrelease/view/..., Sitevision articles <slug>.5.<hex>.html. Knowing them lets the
crawler tell a release link from a menu link without guessing from page layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Platform:
    name: str
    hosts: tuple[str, ...]
    release: re.Pattern[str]
    listing: re.Pattern[str] | None = None

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in [
        Platform(
            "mynewsdesk",
            ("mynewsdesk.com",),
            re.compile(r"/(?:pressreleases|news|blog_posts|events)/[^/?#]+-\d+/?$|/(?:pressrelease|news)/view/[^/?#]+"),
            re.compile(r"/(?:pressreleases|pressrelease|latest_news|news|subjects/[^/]+)/?$"),
        ),
        Platform("cision", ("news.cision.com", "cision.com"), re.compile(r"/r/[^/?#]+,c\d+/?$")),
        Platform("viatt", ("via.tt.se",), re.compile(r"^/pressmeddelande/\d+/[^/?#]+")),
        Platform(
            "newsmachine",
            ("newsmachine.com", "pressmachine.se"),
            re.compile(r"/pressrelease/(?:view/)?[^/?#]+[-/]\d+|/pressrelease/view/[^/?#]+"),
            re.compile(r"/pressroom/(?:archive|view)/[^/?#]+/?$"),
        ),
        Platform("sitevision", (), re.compile(r"\.5\.[0-9a-f]{6,}\.html$")),
        Platform("generic", (), re.compile(r"(?!)")),
    ]
}

# Spider kinds that are press services: their start page is a listing of that service.
SERVICE_KINDS = ("mynewsdesk", "cision", "viatt", "newsmachine")


def platform_for(url: str, kind: str | None = None) -> Platform:
    if kind in PLATFORMS:
        return PLATFORMS[kind]
    for p in PLATFORMS.values():
        if p.hosts and p.owns(url):
            return p
    return PLATFORMS["sitevision"]


def release_by_pattern(url: str) -> bool:
    """True when any known service's release pattern matches the URL's path (and query)."""
    parts = urlsplit(url)
    path = parts.path
    return any(p.release.search(path) for p in PLATFORMS.values())
