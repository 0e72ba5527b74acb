"""Reading a news listing: which links are releases, which lead to the next page.

Listings differ by site ("Visa fler", ?page=2, "Nästa", numbered pages, /page/2/,
Mynewsdesk's ?after= cursor), but they share a shape: a repeated item (li, article,
a card) holding a link, a title and often a date, and pagination links that point
back at the same listing path. The analysis works from that shape plus the URL
patterns of known services, and never from one site's class names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import lxml.html

from crawler import boilerplate as bp
from crawler import dates
from crawler.extract import FILE_EXTENSIONS
from crawler.platforms import Platform, release_by_pattern
from crawler.urls import registrable_host, try_canonicalize

PAGE_PARAMS = ("page", "p", "sida", "sid", "pg", "paged", "pagenr", "start", "offset", "visafler", "after")
NEXT_TEXT = re.compile(
    r"^(nästa( sida)?|visa fler( nyheter)?|fler nyheter|visa mer|ladda fler|äldre( inlägg| nyheter)?|load more"
    r"|next( page)?|more|»|›|>|→)\s*[»›>→]?$",
    re.IGNORECASE,
)
NEWS_WORDS = re.compile(
    r"^(nyheter|alla nyheter|nyhetsarkiv|pressmeddelanden|press|pressrum|aktuellt|nyheter och pressmeddelanden"
    r"|news|pressreleases|arkiv)$",
    re.IGNORECASE,
)
NEWS_PATH = re.compile(
    r"/(nyheter|nyhet|pressmeddelanden?|press|pressrum|aktuellt|aktuella-nyheter|nyhetsarkiv|artiklar|news"
    r"|pressreleases?|notiser)(?:[/.?-]|$)|/\d{4}-\d{2}-\d{2}-",
    re.IGNORECASE,
)
NOT_RELEASE_PATH = re.compile(
    r"/(page|sida|kategori|category|tag|taggar|author|forfattare|feed|rss|amne|amnen|subjects|search|sok)(/|$)"
    r"|/(wp-admin|wp-login|login|logga-in|kontakt|kontakta-oss)(\.html|/|$)",
    re.IGNORECASE,
)
ITEM_CLASS = re.compile(r"item|post|news|nyhet|teaser|card|puff|entry|release|article|result|list", re.I)
ITEM_TAGS = {"li", "article", "tr", "dd"}


@dataclass
class Link:
    url: str
    title: str | None = None
    date: date | None = None


@dataclass
class Listing:
    releases: list[Link] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    files: list[Link] = field(default_factory=list)
    news_listings: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    cursor_date: date | None = None

    @property
    def dated(self) -> list[date]:
        return [link.date for link in self.releases if link.date]


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html or "<html></html>")
    except (lxml.etree.ParserError, ValueError):
        return None


def listing_dir(url: str) -> str:
    """The path a listing's own releases live under: /nyheter.html -> /nyheter/, /nyheter/ -> /nyheter/."""
    path = urlsplit(url).path or "/"
    if path.endswith("/"):
        path = re.sub(r"/(page|sida)/\d+/$", "/", path)
        return path
    base = re.sub(r"\.(html?|php|aspx?|jsp)$", "", path)
    base = re.sub(r"\.4\.[0-9a-f]+$", "", base)  # Sitevision listing ids: /nyheter.4.abc123.html
    return base + "/"


def page_number(url: str) -> int | None:
    parts = urlsplit(url)
    m = re.search(r"/(?:page|sida)/(\d+)/?$", parts.path)
    if m:
        return int(m.group(1))
    for k, v in parse_qsl(parts.query):
        if k.lower() in ("page", "p", "sida", "sid", "pg", "paged", "pagenr") and v.isdigit():
            return int(v)
    return None


def same_listing(url: str, listing_url: str) -> bool:
    """True when url is another page of the same listing (only the page part differs)."""
    a, b = urlsplit(url), urlsplit(listing_url)
    if registrable_host(url) != registrable_host(listing_url) or a.port != b.port:
        return False
    strip = re.compile(r"/(?:page|sida)/\d+/?$")
    path_a, path_b = strip.sub("/", a.path), strip.sub("/", b.path)
    if path_a.rstrip("/") != path_b.rstrip("/"):
        return False
    qa = {k: v for k, v in parse_qsl(a.query) if k.lower() not in PAGE_PARAMS}
    qb = {k: v for k, v in parse_qsl(b.query) if k.lower() not in PAGE_PARAMS}
    return qa == qb


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _item_of(a: lxml.html.HtmlElement, stop: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The repeated item around a link: the nearest li/article, or a div whose class says item/card/post."""
    node = a.getparent()
    depth = 0
    while node is not None and node is not stop and depth < 6:
        if node.tag in ITEM_TAGS or (node.tag == "div" and ITEM_CLASS.search(node.get("class") or "")):
            return node
        node = node.getparent()
        depth += 1
    return None


def _content_root(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for xp in ("//main", "//*[@role='main']", "//*[@id='content' or @id='main' or @id='innehall']"):
        found = tree.xpath(xp)
        if found:
            return found[0]
    body = tree.find("body")
    return body if body is not None else tree


def _in_furniture(a: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> bool:
    node = a.getparent()
    while node is not None and node is not root:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("nav", "header", "footer", "aside", "form"):
            return True
        attrs = f"{node.get('class') or ''} {node.get('id') or ''}"
        if attrs.strip() and not {"breadcrumb", "breadcrumbs", "menu", "meny", "sidebar", "footer", "share"}.isdisjoint(
            bp.class_tokens(attrs)
        ):
            return True
        node = node.getparent()
    return False


def analyse_listing(html: str, url: str, platform: Platform) -> Listing:
    """Release links (with the title and date the listing shows), next pages, files and feeds."""
    tree = parse_html(html)
    out = Listing()
    if tree is None:
        return out
    for link in tree.xpath("//link[@rel='alternate'][@href]"):
        if re.search(r"rss|atom", link.get("type") or "", re.I):
            feed = try_canonicalize(link.get("href"), url)
            if feed:
                out.feeds.append(feed)
    out.next_pages = _next_pages(tree, url, platform)
    cursor = dict(parse_qsl(urlsplit(out.next_pages[0]).query)).get("after") if out.next_pages else None
    if cursor and re.match(r"^\d{12,14}_", cursor):
        out.cursor_date = dates.from_epoch_ms(cursor.split("_", 1)[0])
    root = _content_root(tree)
    own_dir = listing_dir(url)
    found: dict[str, Link] = {}
    for a in root.iter("a"):
        href = a.get("href")
        target = try_canonicalize(href, url) if href and not href.startswith("#") else None
        if not target or target == url or target in out.next_pages:
            continue
        if FILE_EXTENSIONS.search(urlsplit(target).path):
            out.files.append(Link(target, bp.normalize_line(_text(a)) or None))
            continue
        if registrable_host(target) != registrable_host(url) and not platform.owns(target):
            continue
        if _in_furniture(a, root) or same_listing(target, url):
            continue
        anchor = _text(a)
        if NEXT_TEXT.match(anchor) or anchor.isdigit():  # pagination, not a release
            continue
        item = _item_of(a, root)
        strong = bool(platform.release.search(urlsplit(target).path)) or release_by_pattern(target)
        strong = strong or dates.date_in_url(target) is not None
        path = urlsplit(target).path
        # Under the listing's own folder (a site's root is no news folder: everything is under it).
        deeper = own_dir != "/" and path.startswith(own_dir) and path != own_dir and not NOT_RELEASE_PATH.search(path)
        item_text = _text(item) if item is not None else ""
        item_date = _item_date(item_text)
        has_heading = item is not None and next(item.iter("h2", "h3", "h4"), None) is not None
        medium = item is not None and (item_date is not None or has_heading) and not NOT_RELEASE_PATH.search(path)
        if not (strong or deeper or medium):
            continue
        title = _link_title(a, item)
        previous = found.get(target)
        if previous:
            previous.title = previous.title if len(previous.title or "") >= len(title or "") else title
            previous.date = previous.date or item_date
        else:
            found[target] = Link(target, title, item_date)
    out.releases = list(found.values())
    out.news_listings = _news_listings(tree, url)
    return out


def _item_date(text: str) -> date | None:
    if not text:
        return None
    found = dates.find_dates(text)
    return found[0][2] if found else None


def _link_title(a: lxml.html.HtmlElement, item: lxml.html.HtmlElement | None) -> str | None:
    heading = next(a.iter("h2", "h3", "h4"), None)
    if heading is None and item is not None:
        heading = next(item.iter("h2", "h3", "h4"), None)
    text = _text(heading) if heading is not None else _text(a)
    text = bp.normalize_line(text)
    if not text or bp.is_drop_line(text):
        return None
    return text


def _next_pages(tree: lxml.html.HtmlElement, url: str, platform: Platform) -> list[str]:
    """The one page that comes next: rel=next, else a "Nästa"/"Visa fler" link, else page number + 1.

    Only one, so that a crawl walks a listing page by page and can stop as soon as it
    reaches --since or releases it already has (numbered links would fetch them all).
    """
    current = page_number(url) or 1
    marked: list[str] = []
    worded: list[str] = []
    numbered: list[tuple[int, str]] = []
    for el in tree.xpath("//a[@href] | //link[@rel='next'][@href]"):
        target = try_canonicalize(el.get("href"), url)
        if not target or target == url:
            continue
        # A newsroom's front page pages on into its archive listing (Mynewsdesk: / -> /pressreleases?after=).
        into_archive = bool(
            platform.listing
            and platform.listing.search(urlsplit(target).path)
            and registrable_host(target) == registrable_host(url)
        )
        if not (same_listing(target, url) or into_archive):
            continue
        number = page_number(target)
        if number is not None and number <= current:
            continue  # "Föregående" and pages already behind us
        text = _text(el) if el.tag == "a" else ""
        label = f"{el.get('aria-label') or ''} {el.get('title') or ''}".strip()
        if "next" in (el.get("rel") or "").lower().split():
            marked.append(target)
        elif NEXT_TEXT.match(text) or NEXT_TEXT.match(label):
            worded.append(target)
        elif text.isdigit() and number is not None:
            numbered.append((number, target))
    if marked or worded:
        return [(marked or worded)[0]]
    return [min(numbered)[1]] if numbered else []


def _news_listings(tree: lxml.html.HtmlElement, url: str) -> list[str]:
    """Links from a front page to the site's news listing ("Nyheter", "Pressmeddelanden")."""
    out = []
    for a in tree.iter("a"):
        text = bp.normalize_line(_text(a))
        target = try_canonicalize(a.get("href"), url) if a.get("href") else None
        if not target or target == url or registrable_host(target) != registrable_host(url):
            continue
        path = urlsplit(target).path
        if NEWS_WORDS.match(text) or (
            re.search(r"/(nyheter|pressmeddelanden|aktuellt|pressreleases|news)(\.html|/)?$", path, re.I)
            and len(text) < 40
        ):
            out.append(target)
    return list(dict.fromkeys(out))


def is_news_path(url: str) -> bool:
    return bool(NEWS_PATH.search(urlsplit(url).path)) or dates.date_in_url(url) is not None
