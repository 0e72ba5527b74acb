"""One simulated newsroom: its URLs, its pages and its faults, in one publishing style.

A Site answers (path, query, request headers) with (status, headers, body) and knows
nothing of sockets, so it can be tested and reused without a server. Pages follow
the shapes described for real newsrooms: Sitevision listings and articles with their
furniture, WordPress, Mynewsdesk (new and old layouts), Cision, Via TT and NewsMachine.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property
from html import escape
from typing import ClassVar
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from crawler.testsite.releases import Release, slugify

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS_SV = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_MND = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]
WEEKDAYS_SV = ["mån", "tis", "ons", "tors", "fre", "lör", "sön"]
DATE_STYLES = ("vaxjo", "vasteras", "motala", "uddevalla", "kristianstad", "time", "meta", "url", "none")

# Furniture phrases the simulated pages carry around each release; none may survive extraction.
BOILERPLATE_PHRASES = (
    "Till sidans huvudinnehåll",
    "Vi använder kakor",
    "Godkänn alla kakor",
    "Självservice & Blanketter",
    "Synpunkter & Felanmälan",
    "Kontakta oss",
    "Dela sidan på sociala medier",
    "Kontaktcenter - en väg in",
    "Öppettider",
    "Måndag–fredag",
    "Senast granskad",
    "Fyll i beskrivning av bilden",
    "Foto.",
    "Länk till annan webbplats",
    "öppnas i nytt fönster",
    "Pdf, 964.7 kB",
    "Fler nyheter",
    "Publicerad",
    "Publicerades",
    "Tillgänglighetsredogörelse",
    "Hoppa till innehåll",
    "Vi använder cookies",
    "Jag förstår",
    "Senaste inläggen",
    "Relaterade inlägg",
    "Föregående inlägg",
    "Kategorier:",
    "Taggar:",
    "Dela:",
    "Gå direkt till innehåll",
    "Mynewsdesk använder cookies",
    "Pressmeddelande -",
    "Ämnen",
    "Offentlig sektor",
    "Senaste pressmeddelandena",
    "Presskontakt",
    "Avsändare:",
    "______",
    "Let's create",
    "Powered by Mynewsdesk",
    "Citat",
    "Om oss",
    "Inställningar för kakor",
    "Nyckelord",
    "Abonnera på våra pressmeddelanden",
    "Följ ",
    "Ingen titel",
    "Kontaktpersoner",
    "Bilagor",
    "CEST |",
    "CET |",
    "Läs vidare",
    "Szypxxajmbx28lvveeyr",
)


@dataclass
class SiteOptions:
    """How a simulated site behaves. None means the style's usual behaviour."""

    feed: bool | None = None
    sitemap: bool | None = None
    date_style: str = "vaxjo"
    faults: bool = False
    page_size: int = 10
    latency: float = 0.0
    slow_seconds: float = 3.0
    oversized_bytes: int = 12_000_000
    disallow: tuple[str, ...] = ("/intern/",)


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    gate: threading.Event | None = None  # the server waits for it before answering


_env = Environment(
    loader=PackageLoader("crawler.testsite", "templates"),
    autoescape=select_autoescape(["j2", "html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class View:
    """A release as templates see it: the record plus every date format and URL they print."""

    def __init__(self, release: Release, site: Site) -> None:
        self.r = release
        self.site = site

    def __getattr__(self, name: str):
        return getattr(self.r, name)

    @cached_property
    def moment(self) -> datetime:
        hh, mm = (int(x) for x in self.r.time.split(":"))
        return datetime(self.day.year, self.day.month, self.day.day, hh, mm, tzinfo=STOCKHOLM)

    @property
    def iso(self) -> str:
        return self.moment.isoformat()

    @property
    def long(self) -> str:
        return f"{self.day.day} {MONTHS_SV[self.day.month - 1]} {self.day.year}"

    @property
    def long_time(self) -> str:
        return f"{self.long} {self.r.time}"

    @property
    def long_time_padded(self) -> str:
        return f"{self.day.day:02d} {MONTHS_SV[self.day.month - 1]} {self.day.year} {self.r.time}"

    @property
    def long_comma(self) -> str:
        return f"{self.day.day} {MONTHS_SV[self.day.month - 1]}, {self.day.year}"

    @property
    def tz(self) -> str:
        return "CEST" if self.moment.utcoffset() == timedelta(hours=2) else "CET"

    @property
    def mnd_date(self) -> str:
        return f"{MONTHS_MND[self.day.month - 1]} {self.day.day}, {self.day.year} {self.r.time} {self.tz}"

    @property
    def viatt_date(self) -> str:
        return f"{self.day.day}.{self.day.month}.{self.day.year} {self.r.time}:42 {self.tz}"

    @property
    def cision_date(self) -> str:
        weekday = WEEKDAYS_SV[self.day.weekday()]
        return f"{weekday}, {MONTHS_SV[self.day.month - 1][:3]} {self.day.day}, {self.day.year} {self.r.time} {self.tz}"

    @property
    def reviewed(self) -> str:
        return (self.day + timedelta(days=30)).isoformat()

    @property
    def path(self) -> str:
        return self.site.release_path(self.r)

    @property
    def teaser(self) -> str:
        first = self.r.lead or (self.r.paragraphs[0] if self.r.paragraphs else "")
        return first if len(first) < 110 else first[:100].rsplit(" ", 1)[0] + " …"

    @property
    def caption(self) -> str:
        return f"Bild till {self.r.title.lower()}"

    @property
    def quote(self) -> str:
        first = self.r.paragraphs[0] if self.r.paragraphs else self.r.title
        return first.split(". ")[0]

    def _contact_part(self, i: int) -> str:
        parts = [p.strip() for p in (self.r.contact or "").split(",")]
        return parts[i] if len(parts) > i else ""

    @property
    def contact_name(self) -> str:
        return self._contact_part(0)

    @property
    def contact_role(self) -> str:
        return self._contact_part(1)

    @property
    def contact_phone(self) -> str:
        return self._contact_part(2)

    @property
    def contact_email(self) -> str:
        return slugify(self.contact_name).replace("-", ".") + "@" + slugify(self.site.municipality) + ".se"

    @property
    def contact_style(self) -> str:
        return "class" if self.r.ident % 2 else "heading"


class Site:
    """A newsroom of one municipality in one style."""

    def __init__(
        self,
        municipality: str,
        style: str,
        options: SiteOptions | None = None,
        *,
        key: str | None = None,
        name: str | None = None,
    ) -> None:
        self.municipality = municipality
        self.style = style
        self._key = key
        self._name = name
        self.options = options or SiteOptions()
        self.releases: list[Release] = []
        self.base_url = ""
        self._paths: dict[str, Release] = {}
        self._aliases: dict[str, Release] = {}
        self._hold_after: int | None = None
        self._held = 0
        self._gate = threading.Event()
        self._lock = threading.Lock()

    # ---- holding the crawler at a known point (tests of interrupted crawls) ------------
    def hold(self, after: int) -> None:
        """Answer `after` more release pages, then keep every further one waiting until unhold()."""
        with self._lock:
            self._hold_after, self._held = after, 0
            self._gate.clear()

    def unhold(self) -> None:
        with self._lock:
            self._hold_after = None
            self._gate.set()

    # ---- identity -------------------------------------------------------------------
    @property
    def key(self) -> str:
        return self._key or f"{slugify(self.municipality)}-{self.style}"

    @property
    def name(self) -> str:
        return self._name or f"{self.municipality} kommun"

    @property
    def short(self) -> str:
        return self.municipality

    @property
    def org_slug(self) -> str:
        return slugify(self.municipality).replace("-", "_") + "_kommun"

    @property
    def publisher_id(self) -> int:
        return 1_000_000 + int(hashlib.sha1(self.municipality.encode()).hexdigest()[:6], 16) % 8_000_000

    @property
    def phone(self) -> str:
        return "019-21 10 00"

    @property
    def email(self) -> str:
        return f"kommunen@{slugify(self.municipality)}.se"

    @property
    def address(self) -> str:
        return f"Box 300 00, 701 35 {self.municipality}"

    @property
    def about(self) -> str:
        return (
            f"{self.municipality} har 155 000 invånare och är en kommun i växt. "
            f"Let's create {self.municipality}! Vi arbetar för att alla ska ha goda livsvillkor."
        )

    @property
    def menu(self) -> list[tuple[str, str]]:
        return [
            ("Barn och utbildning", "/barn-och-utbildning.html"),
            ("Omsorg och hjälp", "/omsorg.html"),
            ("Bygga, bo och miljö", "/bygga-bo.html"),
            ("Kultur och fritid", "/kultur.html"),
            ("Kommun och politik", "/kommun-och-politik.html"),
            ("Näringsliv och arbete", "/naringsliv.html"),
            ("Nyheter", self.listing_path),
        ]

    @property
    def feed(self) -> bool:
        if self.options.feed is not None:
            return self.options.feed
        return self.style in ("wordpress", "mynewsdesk")

    @property
    def sitemap(self) -> bool:
        if self.options.sitemap is not None:
            return self.options.sitemap
        return self.style in ("sitevision", "wordpress")

    @property
    def feed_path(self) -> str:
        return {"wordpress": "/feed/", "mynewsdesk": "/rss/pressreleases"}.get(self.style, "/nyheter.rss")

    @property
    def sitemap_path(self) -> str:
        return "/sitemap_index.xml" if self.style == "wordpress" else "/sitemap1.xml.gz"

    @property
    def date_style(self) -> str:
        return self.options.date_style

    @property
    def root_path(self) -> str:
        return {"mynewsdesk": "/", "mynewsdesk_old": f"/se/pressroom/{self.org_slug}"}.get(self.style, "/")

    @property
    def listing_path(self) -> str:
        return {
            "sitevision": "/nyheter.html",
            "wordpress": "/nyheter/",
            "mynewsdesk": "/pressreleases",
            "mynewsdesk_old": f"/se/pressroom/{self.org_slug}/pressrelease",
            "cision": f"/se/{self.org_slug.replace('_', '-')}",
            "viatt": f"/pressrum/{self.org_slug.replace('_', '-')}/r",
            "newsmachine": f"/pressroom/archive/{self.org_slug.replace('_', '-')}",
        }[self.style]

    @property
    def start_url(self) -> str:
        """The address a researcher would give the crawler for this newsroom."""
        if self.style == "mynewsdesk":
            return self.base_url + "/"
        if self.style == "viatt":
            return self.base_url + self.listing_path + f"?publisherId={self.publisher_id}"
        return self.base_url + self.listing_path

    def url(self, path: str) -> str:
        return self.base_url + path

    # ---- content --------------------------------------------------------------------
    def add(self, release: Release) -> None:
        self.releases.append(release)
        if len(self.releases) > 1 and _order(self.releases[-2]) < _order(release):
            self.releases.sort(key=_order, reverse=True)
        self._paths[self.release_path(release).split("?")[0]] = release
        if self.style == "sitevision":
            self._aliases[f"/arkiv/{release.day.year}/{release.slug}.html"] = release

    def release_path(self, r: Release) -> str:
        org = self.org_slug.replace("_", "-")
        if self.style == "sitevision":
            if self.date_style == "url":
                return f"/nyheter/nyhetsarkiv/{r.date}-{r.slug}.html"
            return f"/nyheter/{r.slug}.5.{r.hexid}.html"
        return {
            "wordpress": f"/nyheter/{r.slug}/",
            "mynewsdesk": f"/pressreleases/{r.slug}-{r.ident}",
            "mynewsdesk_old": f"/se/pressroom/{self.org_slug}/pressrelease/view/{r.slug}-{r.ident}",
            "cision": f"/se/{org}/r/{r.slug},c{r.ident}",
            "viatt": f"/pressmeddelande/{r.ident}/{r.slug}?publisherId={self.publisher_id}",
            "newsmachine": f"/pressrelease/view/{r.slug}-{r.ident}",
        }[self.style]

    def release_url(self, r: Release) -> str:
        return self.base_url + self.release_path(r)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.releases) // self.options.page_size))

    # ---- answering --------------------------------------------------------------------
    def answer(self, path: str, query: str, headers: dict[str, str]) -> Answer:
        params = dict(parse_qsl(query, keep_blank_values=True))
        answer = self._route(path, params)
        if answer.status == 200 and not answer.headers.get("ETag"):
            answer.headers["ETag"] = '"' + hashlib.sha1(answer.body).hexdigest()[:16] + '"'
        if answer.status == 200 and _not_modified(headers, answer.headers):
            return Answer(304, b"", answer.content_type, dict(answer.headers), answer.delay)
        answer.delay += self.options.latency
        return answer

    def _route(self, path: str, params: dict[str, str]) -> Answer:
        o = self.options
        if path == "/robots.txt":
            lines = ["User-agent: *", *[f"Disallow: {p}" for p in o.disallow], "Disallow: /sok.html"]
            if self.sitemap:
                lines.append(f"Sitemap: {self.base_url}{self.sitemap_path}")
            return Answer(200, ("\n".join(lines) + "\n").encode(), "text/plain")
        if self.feed and path == self.feed_path:
            return self._rss()
        if self.sitemap and path in self.SITEMAP_PATHS[self.style == "wordpress"]:
            return self._sitemaps()[path]
        if o.faults:
            fault = self._fault(path, params)
            if fault is not None:
                return fault
        listing = self._listing_answer(path, params)
        if listing is not None:
            return listing
        release = self._paths.get(path)
        if release is not None:
            answer = self._release(release)
            with self._lock:
                self._held += 1
                if self._hold_after is not None and self._held > self._hold_after:
                    answer.gate = self._gate
            return answer
        if path in self._aliases:
            r = self._aliases[path]
            return self._release(r, canonical=self.release_url(r))
        if path in ("/", "/index.html") and self.style in ("sitevision", "wordpress"):
            return self._info_page("Startsida", ["Välkommen till kommunens webbplats."], links=self.menu)
        if path == "/news" and self.style == "mynewsdesk":
            return self._html("mynewsdesk_listing.html.j2", page_title="Nyheter", items=[], next_url=None)
        if path in ("/kontakt.html", "/bygga-bo.html", "/kommun-och-politik.html", "/nyheter/prenumerera.html"):
            return self._other_page(path)
        return Answer(404, b"<html><body><h1>Sidan kunde inte hittas</h1></body></html>")

    def _html(self, template: str, *, status: int = 200, encoding: str = "utf-8", **ctx) -> Answer:
        ctx.setdefault("canonical", None)
        html = _env.get_template(template).render(site=self, charset=encoding, **ctx)
        if encoding == "utf-8":
            return Answer(status, html.encode("utf-8"))
        html = re.sub(r'charset="?utf-8"?', f'charset="{encoding}"', html, flags=re.I)
        body = html.encode(encoding, errors="xmlcharrefreplace")
        # windows-1252 pages typically declare the charset only in the page; ISO-8859-1 ones in the header.
        content_type = "text/html" if encoding == "windows-1252" else f"text/html; charset={encoding}"
        return Answer(status, body, content_type)

    def _release(self, r: Release, canonical: str | None = None) -> Answer:
        view = View(r, self)
        others = [View(o, self) for o in self.releases[:4] if o is not r][:3]
        answer = self._html(
            f"{self.style}_release.html.j2",
            r=view,
            page_title=r.title,
            others=others,
            recent=others,
            canonical=canonical or self.release_url(r),
            encoding=r.encoding,
        )
        if r.malformed:
            answer.body = _break_markup(answer.body)
        answer.headers["Last-Modified"] = format_datetime(view.moment.astimezone(UTC), usegmt=True)
        return answer

    def _items(self, page: int) -> list[View]:
        size = self.options.page_size
        return [View(r, self) for r in self.releases[(page - 1) * size : page * size]]

    def _listing_answer(self, path: str, params: dict[str, str]) -> Answer | None:
        style = self.style
        if style == "wordpress":
            m = re.fullmatch(r"/nyheter/(?:page/(\d+)/)?", path)
            if not m:
                return None
            return self._paged_listing(int(m.group(1) or 1))
        if path == self.root_path and style == "mynewsdesk_old":
            return self._paged_listing(1)
        if path != self.listing_path and not (style == "mynewsdesk" and path == "/"):
            return None
        if style == "mynewsdesk":
            return self._cursor_listing(params.get("after"))
        try:
            page = int(params.get("page", "1"))
        except ValueError:
            page = 1
        return self._paged_listing(page)

    def _paged_listing(self, page: int) -> Answer:
        last = self.pages
        endless = self.options.faults
        if page < 1 or (page > last and not endless):
            return Answer(404, b"<html><body><h1>Sidan finns inte</h1></body></html>")
        items = self._items(page) if page <= last else []
        has_next = page < last or endless
        first = max(1, page - 4)
        numbers = list(range(first, min(last, first + 9) + 1)) if page <= last else [page]
        extra = self._fault_links() if (self.options.faults and page == 1) else []
        puffs = self._puff_links() if (self.style == "sitevision" and page == 1) else []
        for item in items:
            item.date_text = item.long
        next_url = None
        if self.style == "viatt" and has_next:
            next_url = self.base_url + self.listing_path + f"?publisherId={self.publisher_id}&page={page + 1}"
        return self._html(
            f"{self.style}_listing.html.j2",
            page_title="Nyheter",
            items=items,
            page=page,
            has_next=has_next,
            page_numbers=numbers,
            extra_links=puffs + extra,
            next_url=next_url,
            recent=items[:3],
        )

    def _cursor_listing(self, after: str | None) -> Answer:
        start = 0
        if after:
            m = re.match(r"(\d+)_(\d+)--", after)
            ident = int(m.group(2)) if m else -1
            start = next((i + 1 for i, r in enumerate(self.releases) if r.ident == ident), len(self.releases))
        chunk = [View(r, self) for r in self.releases[start : start + self.options.page_size]]
        next_url = None
        if start + self.options.page_size < len(self.releases) and chunk:
            last = chunk[-1]
            epoch = int(last.moment.timestamp() * 1000)
            next_url = f"{self.listing_path}?{urlencode({'after': f'{epoch}_{last.ident}--Pressrelease'})}"
        return self._html("mynewsdesk_listing.html.j2", page_title="Pressmeddelanden", items=chunk, next_url=next_url)

    def _puff_links(self) -> list[tuple[str, str]]:
        """A "just now" block on a Sitevision listing: a newsletter link and an archive alias of releases."""
        if not self.releases:
            return []
        newest = self.releases[0]
        tracked = self.release_path(newest) + "?utm_source=nyhetsbrev&utm_medium=epost&utm_campaign=v12#kommentarer"
        links = [(f"{newest.title} ({View(newest, self).long})", tracked)]
        if len(self.releases) > 1:
            older = self.releases[-1]
            links.append(
                (f"Ur arkivet: {older.title} ({View(older, self).long})", f"/arkiv/{older.day.year}/{older.slug}.html")
            )
        return links

    def _info_page(self, title: str, paragraphs: list[str], links: list[tuple[str, str]] | None = None) -> Answer:
        return self._html(
            "sitevision_page.html.j2",
            page_title=title,
            paragraphs=paragraphs,
            links=links or [],
            updated="2024-03-01",
            items=[],
        )

    def _other_page(self, path: str) -> Answer:
        texts = {
            "/kontakt.html": ("Kontakta kommunen", ["Du når kommunens kontaktcenter på telefon och e-post."]),
            "/bygga-bo.html": (
                "Bygga, bo och miljö",
                [
                    "Här finns information om bygglov, detaljplaner, avfall och vatten. "
                    "Kommunen hjälper dig som vill bygga nytt, bygga om eller riva. "
                    "Du kan söka bygglov digitalt och följa ditt ärende i e-tjänsten. "
                    "Handläggningstiden är normalt fyra till tio veckor beroende på ärendets art."
                ]
                * 3,
            ),
            "/kommun-och-politik.html": ("Kommun och politik", ["Så styrs kommunen: fullmäktige, nämnder och bolag."]),
            "/nyheter/prenumerera.html": ("Prenumerera på nyheter", ["Få våra nyheter via e-post."]),
        }
        title, paragraphs = texts[path]
        return self._info_page(title, paragraphs)

    # ---- feeds and sitemaps -----------------------------------------------------------
    def _rss(self) -> Answer:
        items = []
        for r in self.releases[:20]:
            v = View(r, self)
            items.append(
                f"<item><title>{escape(r.title)}</title><link>{escape(self.release_url(r))}</link>"
                f"<guid>{escape(self.release_url(r))}</guid><pubDate>{format_datetime(v.moment)}</pubDate>"
                f"<description>{escape(v.teaser)}</description></item>"
            )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Nyheter från {escape(self.name)}</title><link>{self.base_url}/</link>"
            f"<description>Nyheter</description>{''.join(items)}</channel></rss>"
        )
        return Answer(200, body.encode(), "application/rss+xml; charset=utf-8")

    def _sitemaps(self) -> dict[str, Answer]:
        def urlset(entries: list[tuple[str, str | None]]) -> bytes:
            rows = "".join(
                f"<url><loc>{escape(loc)}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</url>"
                for loc, mod in entries
            )
            return (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
            ).encode()

        def index(locs: list[str]) -> bytes:
            rows = "".join(f"<sitemap><loc>{escape(self.base_url + loc)}</loc></sitemap>" for loc in locs)
            return (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>'
            ).encode()

        news = [(self.release_url(r), r.date) for r in self.releases]
        pages = [
            (self.url(p), "2024-03-01")
            for p in ("/", self.listing_path, "/kontakt.html", "/bygga-bo.html", "/kommun-och-politik.html")
        ]
        pages += [(self.url("/nyheter/prenumerera.html"), "2024-03-01"), (self.url("/intern/personalnytt.html"), None)]
        gz = "application/x-gzip"
        if self.style == "wordpress":
            return {
                "/sitemap_index.xml": Answer(200, index(["/post-sitemap.xml", "/page-sitemap.xml"]), "application/xml"),
                "/post-sitemap.xml": Answer(200, urlset(news), "application/xml"),
                "/page-sitemap.xml": Answer(200, urlset(pages), "application/xml"),
            }
        return {
            "/sitemap1.xml.gz": Answer(
                200, gzip.compress(index(["/sitemap-nyheter.xml.gz", "/sitemap-sidor.xml"]), mtime=0), gz
            ),
            "/sitemap-nyheter.xml.gz": Answer(200, gzip.compress(urlset(news), mtime=0), gz),
            "/sitemap-sidor.xml": Answer(200, urlset(pages), "application/xml"),
        }

    SITEMAP_PATHS: ClassVar[dict[bool, tuple[str, ...]]] = {
        True: ("/sitemap_index.xml", "/post-sitemap.xml", "/page-sitemap.xml"),
        False: ("/sitemap1.xml.gz", "/sitemap-nyheter.xml.gz", "/sitemap-sidor.xml"),
    }

    # ---- faults ---------------------------------------------------------------------
    FAULT_PATHS: ClassVar[dict[str, str]] = {
        "/nyheter/borttagen-nyhet.5.dead0000dead.html": "404",
        "/nyheter/serverfel.5.e500e500e500.html": "500",
        "/nyheter/omdirigering.5.a1a1a1a1a1.html": "loop-a",
        "/nyheter/omdirigering-igen.5.a2a2a2a2a2.html": "loop-b",
        "/nyheter/jattestor-sida.5.b16b16b16b.html": "oversized",
        "/nyheter/langsam-sida.5.51051051051.html": "slow",
        "/download/18.7a1b2c3d/1583239232/Kallelse": "pdf",
        "/nyheter/kalender.html": "calendar",
        "/intern/hemlig-nyhet.5.5ec5ec5ec5.html": "forbidden",
    }

    def _fault_links(self) -> list[tuple[str, str]]:
        day = self.releases[0].day if self.releases else date(2020, 1, 1)
        label = f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"
        names = {
            "404": "Nyheten som togs bort",
            "500": "Nyheten bakom ett serverfel",
            "loop-a": "Nyheten som flyttade i cirkel",
            "oversized": "Den jättestora sidan",
            "slow": "Den långsamma sidan",
            "pdf": "Kallelse till sammanträde",
            "calendar": "Evenemangskalender",
            "forbidden": "Intern nyhet för personalen",
        }
        links = [(f"{names[kind]} ({label})", path) for path, kind in self.FAULT_PATHS.items() if kind in names]
        links.append(("Beslut om fördelning (pdf)", "/dokument/beslut-om-fordelning.pdf"))
        links = [(t, p + ("?month=2024-01" if p.endswith("kalender.html") else "")) for t, p in links]
        return links

    def _fault(self, path: str, params: dict[str, str]) -> Answer | None:
        kind = self.FAULT_PATHS.get(path)
        if path.startswith("/intern/"):
            return Answer(200, b"<html><body><h1>Internt</h1><p>Hemligt.</p></body></html>")
        if path.startswith("/dokument/") and path.endswith(".pdf"):
            return Answer(200, b"%PDF-1.4\n% kommunpress test\n" + b"0" * 2000, "application/pdf")
        if kind is None:
            return None
        if kind == "404":
            return Answer(404, b"<html><body><h1>Sidan kunde inte hittas</h1></body></html>")
        if kind == "500":
            return Answer(500, b"<html><body><h1>Internt serverfel</h1></body></html>")
        if kind in ("loop-a", "loop-b"):
            other = next(p for p, k in self.FAULT_PATHS.items() if k == ("loop-b" if kind == "loop-a" else "loop-a"))
            return Answer(302, b"", headers={"Location": self.url(other)})
        if kind == "oversized":
            filler = b"<p>" + b"Stor tabell med data. " * 40 + b"</p>\n"
            n = self.options.oversized_bytes // len(filler) + 1
            return Answer(200, b"<html><body><h1>Stor sida</h1>" + filler * n + b"</body></html>")
        if kind == "slow":
            return Answer(
                200, b"<html><body><h1>Sent svar</h1><p>Till slut.</p></body></html>", delay=self.options.slow_seconds
            )
        if kind == "pdf":
            return Answer(200, b"%PDF-1.5\n% kallelse\n" + b"1" * 4000, "application/pdf")
        if kind == "calendar":
            month = params.get("month", "2024-01")
            y, m = (int(x) for x in month.split("-")) if re.fullmatch(r"\d{4}-\d{1,2}", month) else (2024, 1)
            nxt = f"{y + (m == 12)}-{m % 12 + 1:02d}"
            prev = f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"
            days = "".join(
                f'<li><a href="/nyheter/kalender.html?day={y}-{m:02d}-{d:02d}">{d}</a></li>' for d in range(1, 29)
            )
            body = (
                f"<html><body><main><h1>Kalender {MONTHS_SV[m - 1]} {y}</h1><ul>{days}</ul>"
                f'<a href="/nyheter/kalender.html?month={prev}">Föregående månad</a> '
                f'<a href="/nyheter/kalender.html?month={nxt}">Nästa månad</a></main></body></html>'
            )
            return Answer(200, body.encode())
        return None


def _order(r: Release) -> tuple[str, str, str]:
    """Newest first, as newsrooms list them."""
    return (r.date, r.time, r.title)


def _not_modified(request_headers: dict[str, str], headers: dict[str, str]) -> bool:
    tag = request_headers.get("if-none-match")
    if tag:
        return tag.strip() == headers.get("ETag")
    since = request_headers.get("if-modified-since")
    modified = headers.get("Last-Modified")
    if since and modified:
        try:
            return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _break_markup(body: bytes) -> bytes:
    """The page as a careless CMS export serves it: unclosed tags, stray markup, a broken byte in the footer."""
    html = body.decode("utf-8", errors="replace")
    html = html.replace("</p>", "").replace("</li>", "").replace("</div>\n</div>", "")
    html = html.replace("<footer", "<div><span><<<>>><footer").replace("</footer>", "\x00</footer")
    out = html.encode("utf-8", errors="replace")
    return out.replace(b"Telefon:", b"Telefon:\xff\xfe", 1)


def wait(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)
