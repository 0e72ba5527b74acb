"""A local newsroom simulator: releases served on 127.0.0.1 in the shapes real newsrooms use.

Given a list of release records it serves Sitevision-like municipal sites, WordPress,
Mynewsdesk (new and old layouts), Cision, Via TT and NewsMachine press rooms, with
feeds, gzip sitemap indexes, robots.txt and, on demand, the faults a crawler meets.
Tests, benchmarks/crawl.py and `kommunpress demo` use it; nothing here touches the network
beyond the loopback interface.
"""

from crawler.testsite.releases import STYLE_ALIASES, STYLES, Release, generate_releases, load_sample
from crawler.testsite.server import Hit, Newsroom
from crawler.testsite.site import BOILERPLATE_PHRASES, DATE_STYLES, Site, SiteOptions

__all__ = [
    "BOILERPLATE_PHRASES",
    "DATE_STYLES",
    "STYLES",
    "STYLE_ALIASES",
    "Hit",
    "Newsroom",
    "Release",
    "Site",
    "SiteOptions",
    "generate_releases",
    "load_sample",
]
