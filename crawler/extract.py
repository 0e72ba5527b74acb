"""From a release page's HTML to its main text, title and date.

trafilatura does the boilerplate removal (menus, cookie banners, footers); this
module only picks the fields the corpus needs and falls back sensibly.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from crawler.language import detect_language


@dataclass
class Page:
    title: str | None
    text: str
    published: str | None
    language: str | None
    canonical_url: str | None = None


def extract_page(html: str, url: str | None = None) -> Page:
    """The main text and metadata of one page; text is "" when nothing readable is found."""
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=True,
    )
    if result is None:
        return Page(title=None, text="", published=None, language=None)
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = (data.get("text") or "").strip()
    title = (data.get("title") or "").strip() or None
    date = data.get("date")
    return Page(
        title=title,
        text=text,
        published=date[:10] if date else None,
        language=detect_language(text),
        canonical_url=data.get("url") if data.get("url") and data.get("url") != url else None,
    )
