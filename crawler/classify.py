"""Is a fetched page a release? Telling news from the rest of a municipal site.

A listing or feed vouches for its links, so there a page needs only text. A page met
in a sitemap or by discovery must show what a release has: a publication date (never
"Senast granskad", which extraction does not take for one) and a body of prose; and no
page that is itself a list of news is a release.
"""

from __future__ import annotations

from crawler.extract import Page


def classify(page: Page, *, presumed: bool, single: bool = False) -> tuple[bool, str | None]:
    """(is a release, why not)."""
    if not page.text.strip() or page.words < 8:
        return False, "no text"
    if single:
        return True, None
    dated = bool(page.published)
    if page.list_items >= 4 or (page.link_density > 0.5 and page.words < 250):
        return False, "a listing, not a release"
    if presumed:
        if not dated and page.words < 60:
            return False, "no date and little text"
        return True, None
    if not dated:
        return False, "no publication date"
    if page.words < 40:
        return False, "too little text"
    return True, None
