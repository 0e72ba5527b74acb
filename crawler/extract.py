"""From a release page's HTML to its title, date, main text and contact block.

Three steps, each doing what it is best at:
1. metadata (title, canonical URL, dates) is read from the whole page first, because
   the parts that carry it ("Publicerad ...", <time>) are furniture that step 2 removes;
2. the page is narrowed to its main content and cleaned by general rules
   (crawler.boilerplate): navigation, cookie banners, share buttons, tag blocks and
   related links go, contact blocks are set apart;
3. trafilatura turns what is left into text (it judges link-dense and stray blocks
   well), and the text rules of crawler.boilerplate remove the furniture that has no
   markup of its own.
Extraction is deterministic: the same HTML always gives the same text, so a resumed
crawl stores exactly what an uninterrupted one would.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

import lxml.html
import trafilatura
from lxml import etree

from crawler import boilerplate as bp
from crawler import dates
from crawler.language import detect_language
from crawler.urls import try_canonicalize

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "dd",
        "dt",
        "dl",
        "figure",
        "address",
        "br",
        "hr",
    ]
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
MAIN_XPATHS = (
    "//main",
    "//*[@role='main']",
    "//*[@id='content' or @id='main' or @id='main-content' or @id='maincontent' or @id='innehall'"
    " or @id='huvudinnehall' or @id='article']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' main-content ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' article-content ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
)
META_PUBLISHED = (
    "article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "date",
    "sailthru.date",
    "parsely-pub-date",
)
TITLE_SUFFIX = re.compile(r"\s+[|–—\-·:]\s+[^|–—\-·:]{2,60}$")
ITEM_TOKENS = frozenset({"item", "teaser", "card", "puff", "entry", "post", "result"})
MAX_HTML = 3_000_000  # characters; beyond this a "page" is a data dump, not a release


@dataclass
class Page:
    title: str | None
    text: str
    published: str | None
    language: str | None
    canonical_url: str | None = None
    contact: str | None = None
    date_source: str | None = None
    og_type: str | None = None
    words: int = 0
    link_density: float = 0.0
    list_items: int = 0  # items that look like a listing's: a titled link with a date or heading
    files: list[tuple[str, str]] = field(default_factory=list)  # (url, link text) of PDFs etc. in the text


def extract_page(
    html: str | bytes,
    url: str | None = None,
    *,
    date_hint: str | None = None,
    title_hint: str | None = None,
) -> Page:
    """The release in a page. text is "" when nothing readable is found; never raises on bad HTML.

    date_hint / title_hint: what a listing or feed said about the page, used when the
    page itself does not say (many Sitevision articles show no date; Mynewsdesk's old
    release pages keep it only in the listing).
    """
    try:
        tree = _parse(html)
    except (etree.ParserError, ValueError, RecursionError, MemoryError):
        tree = None
    if tree is None:
        return Page(title=title_hint, text="", published=date_hint, language=None)
    try:
        return _extract(tree, url, date_hint, title_hint)
    except RecursionError:
        # Pathologically deep markup: fall back to the plain text, which lxml gives without recursion.
        text = " ".join(tree.text_content().split())
        return Page(title=title_hint, text=text, published=date_hint, language=detect_language(text))


def _parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    html = html[:MAX_HTML]
    if not html.strip():
        return None
    # An XML declaration with an encoding makes lxml refuse a str.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
    tree = lxml.html.document_fromstring(html, parser=parser)
    return tree


def _extract(tree: lxml.html.HtmlElement, url: str | None, date_hint: str | None, title_hint: str | None) -> Page:
    og_type = _meta(tree, "og:type")
    canonical = _canonical(tree, url)
    container = _main_container(tree)
    title = _title(tree, container) or title_hint
    raw_text = _block_text(container)
    published, source = _published(tree, container, raw_text, url, date_hint)
    link_chars = sum(len(_text_of(a)) for a in container.iter("a"))
    link_density = min(1.0, link_chars / max(1, len(raw_text)))
    files = _file_links(container, url)
    entries = _listing_entries(container)
    _clean(container)
    contact_parts = _take_contacts(container)
    _drop_sections(container)
    list_items = sum(1 for el in container.iter("li", "article", "div") if el in entries)
    text = _main_text(container)
    body, contact_lines = bp.clean_text(text, title)
    contact = "\n".join(p for p in [*contact_parts, contact_lines] if p).strip() or None
    if contact:
        lines = (line.strip() for line in contact.splitlines())
        contact = "\n".join(dict.fromkeys(x for x in lines if x and not bp.CONTACT_HEADING.match(x))) or None
    full = f"{title}\n\n{body}" if title and body else (body or "")
    words = len(body.split())
    return Page(
        title=title,
        text=full,
        published=published.isoformat() if published else None,
        language=detect_language(body or full),
        canonical_url=canonical,
        contact=contact,
        date_source=source,
        og_type=og_type,
        words=words,
        link_density=link_density,
        list_items=list_items,
        files=files,
    )


def _listing_entries(container: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """Entries of a news list: li/article items with a titled link and a date or a heading.

    A release's own bullet lists have neither per item; a listing page has one per release.
    Judged before cleaning (which removes the dates) and counted after it (which removes
    a release's "latest news" box), so only the page's own list counts.
    """
    found = set()
    for item in container.iter("li", "article", "div"):
        if item.tag == "div" and ITEM_TOKENS.isdisjoint(bp.class_tokens(item.get("class") or "")):
            continue
        if not any(len(_text_of(a)) >= 15 for a in item.iter("a")):
            continue
        if next(item.iter("h2", "h3", "h4"), None) is not None or dates.find_dates(_text_of(item)[:300]):
            found.add(item)
    return found


def _meta(tree: lxml.html.HtmlElement, *names: str) -> str | None:
    wanted = {n.lower() for n in names}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key in wanted and m.get("content"):
            return m.get("content").strip()
    return None


def _canonical(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = try_canonicalize(link.get("href"), url)
            # A canonical pointing at a site's front page is a template error, not a statement.
            if canonical and canonical.rstrip("/").count("/") > 2:
                return canonical
    return None


def _text_of(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _title(tree: lxml.html.HtmlElement, container: lxml.html.HtmlElement | None) -> str | None:
    h1s = [t for t in (_text_of(h) for h in tree.iter("h1")) if t]
    main_h1 = None
    if container is not None:
        inner = [t for t in (_text_of(h) for h in container.iter("h1")) if t]
        main_h1 = inner[0] if inner else None
    og = _meta(tree, "og:title", "twitter:title")
    title_tag = next((_text_of(t) for t in tree.iter("title")), None)
    for candidate in (main_h1, h1s[0] if len(h1s) == 1 else None, og, _strip_site(title_tag)):
        if candidate and 2 < len(candidate) < 400:
            return bp.KIND_PREFIX.sub("", candidate).strip() or candidate
    return None


def _strip_site(title: str | None) -> str | None:
    if not title:
        return None
    return TITLE_SUFFIX.sub("", title).strip() or title


def _main_container(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element holding the release: a sole <article>, else <main> and its kin, else <body>."""
    articles = tree.xpath("//article")
    if len(articles) == 1 and len(_text_of(articles[0])) > 200:
        return articles[0]
    for xp in MAIN_XPATHS:
        found = tree.xpath(xp)
        if found:
            return found[0]
    body = tree.find("body")
    return body if body is not None else tree


def _block_text(el: lxml.html.HtmlElement | None) -> str:
    """The text of an element with a line break at each block, without changing the tree."""
    if el is None:
        return ""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if node.text and tag not in ("script", "style"):
                parts.append(node.text)
        else:
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if node is not el and node.tail:
                parts.append(node.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _published(
    tree: lxml.html.HtmlElement,
    container: lxml.html.HtmlElement,
    raw_text: str,
    url: str | None,
    date_hint: str | None,
) -> tuple[date | None, str | None]:
    """The publication date and where it came from, strongest evidence first."""
    value = _meta(tree, *META_PUBLISHED)
    if value and (d := dates.parse_date(value)):
        return d, "meta"
    d = _json_ld_date(tree)
    if d:
        return d, "json-ld"
    times = container.xpath(".//time[@datetime]") or tree.xpath("//time[@datetime]")
    for t in times:
        if (d := dates.parse_date(t.get("datetime"))) and not _is_modified(t):
            return d, "time"
    d = dates.published_in_text(raw_text)
    if d:
        return d, "text"
    whole = _block_text(tree.find("body")) if container.tag != "body" else raw_text
    d = dates.labeled_date(whole)
    if d:
        return d, "text"
    if date_hint and (d := dates.parse_date(date_hint)):
        return d, "listing"
    if url and (d := dates.date_in_url(url)):
        return d, "url"
    # "Senast granskad" says when a page was last checked, which may be years later: not a publication date.
    return None, None


def _is_modified(el: lxml.html.HtmlElement) -> bool:
    parent = el.getparent()
    context = " ".join(
        filter(None, [el.get("class"), el.get("itemprop"), parent.get("class") if parent is not None else None])
    )
    label = (parent.text or "") if parent is not None else ""
    return bool(re.search(r"modif|updat|uppdater|granskad|ändrad", f"{context} {label}", re.I))


def _json_ld_date(tree: lxml.html.HtmlElement) -> date | None:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                value = item.get("datePublished")
                if isinstance(value, str) and (d := dates.parse_date(value)):
                    return d
                stack.extend(v for v in item.values() if isinstance(v, dict | list))
    return None


FILE_EXTENSIONS = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|rtf|zip|csv|mp3|mp4)$", re.I)


def _file_links(container: lxml.html.HtmlElement, url: str | None) -> list[tuple[str, str]]:
    files = []
    for a in container.iter("a"):
        href = a.get("href")
        if not href or not FILE_EXTENSIONS.search(href.split("?", 1)[0].split("#", 1)[0]):
            continue
        target = try_canonicalize(href, url)
        if target:
            files.append((target, bp.normalize_line(_text_of(a)) or None))
    return list(dict.fromkeys(files))


def _remove(el: lxml.html.HtmlElement) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _has_tokens(el: lxml.html.HtmlElement, tokens: frozenset[str]) -> bool:
    attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(attrs.strip()) and not tokens.isdisjoint(bp.class_tokens(attrs))


def _section_after(heading: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """A heading and its following siblings up to the next heading of the same or a higher level.

    A bold paragraph standing in for a heading has no level: its section is the short
    lines that follow it, at most a few.
    """
    section = [heading]
    if heading.tag in HEADINGS:
        level = int(heading.tag[1])
        stops = HEADINGS[:level]
        for sib in heading.itersiblings():
            tag = sib.tag if isinstance(sib.tag, str) else ""
            if tag in stops or (tag and next(sib.iter(*stops), None) is not None):
                break
            section.append(sib)
        return section
    for sib in heading.itersiblings():
        tag = sib.tag if isinstance(sib.tag, str) else ""
        if tag in HEADINGS or len(section) > 6 or len(_text_of(sib)) > 200:
            break
        section.append(sib)
    return section


def _heading_like(container: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Headings, and short bold paragraphs standing in for headings."""
    found = [el for el in container.iter(*HEADINGS)]
    for el in container.iter("p", "strong", "b", "dt"):
        text = _text_of(el)
        if text and len(text) < 60 and (el.tag != "p" or (len(el) == 1 and el[0].tag in ("strong", "b"))):
            found.append(el)
    return found


def _take_contacts(container: lxml.html.HtmlElement) -> list[str]:
    """Remove the release's contact blocks and return their text (name, title, phone, e-mail)."""
    parts: list[str] = []
    blocks = [el for el in container.iter() if isinstance(el.tag, str) and _has_tokens(el, bp.CONTACT_TOKENS)]
    # Outermost blocks only, so a nested contact card is not taken twice.
    blocks = [b for b in blocks if not any(o is not b and b in o.iterdescendants() for o in blocks)]
    for block in blocks:
        parts.append(_block_text(block))
        _remove(block)
    for heading in _heading_like(container):
        if heading.getparent() is None or not bp.CONTACT_HEADING.match(_text_of(heading)):
            continue
        if heading.tag in ("strong", "b") and heading.getparent().tag == "p":
            heading = heading.getparent()
        section = _section_after(heading)
        text = "\n".join(_block_text(el) for el in section)
        if len(text) < 600:
            parts.append(text)
            for el in section:
                _remove(el)
    return [p.strip() for p in parts if p.strip()]


def _clean(container: lxml.html.HtmlElement) -> None:
    doomed: list[lxml.html.HtmlElement] = []
    for el in container.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or el is container:
            continue
        if (
            tag in bp.DROP_TAGS
            or (tag == "footer" and not _holds_h1(el))
            or (tag == "header" and not _holds_h1(el) and not _in_item(el))
            or (el.get("role") or "").lower() in bp.DROP_ROLES
            or el.get("hidden") is not None
            or (el.get("aria-hidden") or "").lower() == "true"
            or (tag not in ("h1",) and _has_tokens(el, bp.DROP_TOKENS) and not _holds_h1(el))
        ):
            doomed.append(el)
    for el in doomed:
        _remove(el)


def _drop_sections(container: lxml.html.HtmlElement) -> None:
    """Sections that open with a furniture heading ("Relaterade nyheter", "Ämnen", "Om oss")."""
    for heading in _heading_like(container):
        if heading.getparent() is not None and bp.DROP_HEADING.match(_text_of(heading)):
            if heading.tag in ("strong", "b") and heading.getparent().tag == "p":
                heading = heading.getparent()
            for el in _section_after(heading):
                _remove(el)


def _in_item(el: lxml.html.HtmlElement) -> bool:
    """Inside an entry of a list (an <article> or <li>): its header is the entry's title, not page furniture."""
    return next(el.iterancestors("article", "li"), None) is not None


def _holds_h1(el: lxml.html.HtmlElement) -> bool:
    return el.tag == "h1" or next(el.iter("h1"), None) is not None


def _main_text(container: lxml.html.HtmlElement) -> str:
    """Text of the cleaned container: trafilatura's, unless it dropped most of what was there."""
    plain = _block_text(container)
    if not plain.strip():
        return ""
    doc = lxml.html.document_fromstring("<html><body></body></html>")
    doc.find("body").append(container)
    try:
        extracted = trafilatura.extract(
            doc,
            fast=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            deduplicate=False,
            favor_precision=False,
            with_metadata=False,
        )
    except (ValueError, TypeError, RecursionError, etree.LxmlError):
        extracted = None
    extracted = extracted or ""
    # trafilatura drops short pages and short paragraphs; a release of three lines is still a release.
    if len(extracted) < 0.5 * len(plain):
        return plain
    return extracted
