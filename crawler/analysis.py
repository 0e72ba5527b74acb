"""The pure work on one fetched page: extract it, decide whether it is a release, check the topic.

Kept apart from the Scrapy pipelines so that extraction workers (crawler.extractworker)
import only what they need.
"""

from __future__ import annotations

from functools import lru_cache

from crawler.classify import classify
from crawler.extract import Page, extract_page
from crawler.language import detect_language
from crawler.topic import Topic, load_topic


def warm_up() -> None:
    detect_language("Kommunen satsar på skolan och fritidsgårdarna under året.")


@lru_cache(maxsize=8)
def _topic(name: str) -> Topic:
    return load_topic(name)


def analyse_page(
    html: str,
    url: str,
    date_hint: str | None,
    title_hint: str | None,
    presumed: bool,
    single: bool,
    since: str | None,
    topic: str | None,
) -> tuple[Page, str, str | None, bool | None]:
    """(page, "release" or "other", why not, relevant): the pure work, run here or in a worker."""
    page = extract_page(html, url, date_hint=date_hint, title_hint=title_hint)
    is_release, why = classify(page, presumed=presumed, single=single)
    if is_release and since and page.published and page.published < since:
        is_release, why = False, "published before --since"
    relevant = _topic(topic).relevant(page.title, page.text) if is_release and topic else None
    return page, "release" if is_release else "other", why, relevant
