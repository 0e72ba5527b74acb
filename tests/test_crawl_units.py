"""The crawler's parts a researcher's data depends on: URLs, dates, topics, traps, sources, listings, feeds."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from crawler.dates import date_in_url, find_dates, parse_since, published_in_text
from crawler.feeds import parse_feed, sitemaps_in_robots
from crawler.listing import analyse_listing
from crawler.platforms import PLATFORMS
from crawler.sources import SourcesError, load_sources, municipality_for_url
from crawler.testsite import STYLES, Newsroom, generate_releases
from crawler.topic import TopicError, load_topic, parse_topic
from crawler.traps import trap_reason
from crawler.urls import BadURL, canonicalize


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (
            "HTTPS://WWW.Orebro.SE:443/nyheter/a.5.abc.html?utm_source=nyhetsbrev&utm_medium=epost#kommentarer",
            "https://www.orebro.se/nyheter/a.5.abc.html",
        ),
        ("http://x.se:80/a?fbclid=123&page=2&gclid=9", "http://x.se/a?page=2"),
        (
            "https://via.tt.se/pressmeddelande/1/a?publisherId=7&lang=sv",
            "https://via.tt.se/pressmeddelande/1/a?lang=sv&publisherId=7",
        ),
        ("https://x.se", "https://x.se/"),
    ],
)
def test_tracking_parameters_fragments_and_case_do_not_make_a_new_url(raw, canonical):
    assert canonicalize(raw) == canonical


@pytest.mark.parametrize("bad", ["not a url", "mailto:press@orebro.se", "ftp://x.se/a", "javascript:void(0)", ""])
def test_what_is_not_a_web_address_is_refused(bad):
    with pytest.raises(BadURL):
        canonicalize(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Publicerad 30 september 2020 12:00", date(2020, 9, 30)),  # Växjö
        ("Publicerad 06 december 2024 11:00", date(2024, 12, 6)),  # Västerås
        ("Publicerad: 19 september, 2022", date(2022, 9, 19)),  # Motala
        ("Publicerades 2019-02-14", date(2019, 2, 14)),  # Uddevalla
        ("Publicerat: 2019-11-18", date(2019, 11, 18)),
        ("2022-09-23 16:20:38", date(2022, 9, 23)),  # Kristianstad
        ("10.2.2025 14:24:42 CET | Norrköpings kommun | Pressinbjudan", date(2025, 2, 10)),  # Via TT
        ("Pressmeddelande Publicerad: 2020-09-23 15:45 CEST", date(2020, 9, 23)),  # NewsMachine
        ("Maj 19, 2017", date(2017, 5, 19)),  # Mynewsdesk, Swedish locale
        ("Publicerad 8/14/2019", date(2019, 8, 14)),
    ],
)
def test_swedish_publication_dates(text, expected):
    assert published_in_text(text) == expected


def test_amounts_and_periods_are_not_dates():
    assert find_dates("Kommunen får 2 000 000 kronor 2020 och 12,5 miljoner för 2019-2020.") == []


def test_modified_dates_are_not_publication_dates():
    assert published_in_text("Senast granskad 2023-11-28 av KLALIW") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.uddevalla.se/nyheter/nyhetsarkiv/2018-11-27-uddevalla-ska-bryta-segregationen.html",
            date(2018, 11, 27),
        ),
        ("https://norrkoping.se/nyheter/2024/2024-08-29-kungsangsskolan-och-smedbyskolan-invigda", date(2024, 8, 29)),
        ("https://www.borlange.se/aktuell-manad/2026-01-09-det-har-hande", date(2026, 1, 9)),
        ("https://www.trollhattan.se/pressmeddelanden-2018/langsiktighet/", None),
    ],
)
def test_dates_in_urls(url, expected):
    assert date_in_url(url) == expected


def test_since_is_checked():
    assert parse_since("2018-01-01") == date(2018, 1, 1)
    assert parse_since("2019") == date(2019, 1, 1)
    with pytest.raises(ValueError, match="2018-01-01"):
        parse_since("förra året")


def test_segregation_topic_finds_inflected_and_compound_forms():
    topic = load_topic("segregation")
    assert topic.relevant("Arbetet mot bostadssegregationen fortsätter i Vivalla")
    assert topic.relevant("Insatser i socioekonomiskt eftersatta områden")
    assert topic.relevant("Delmos besökte kommunen")
    assert not topic.relevant("Ny förskola öppnar i Ljungsbro i augusti")


def test_a_topic_file_of_ones_own(tmp_path: Path):
    path = tmp_path / "trygghet.txt"
    path.write_text("# mitt ämne\ntrygghet*\nkamerabevakning\n", encoding="utf-8")
    topic = load_topic(str(path))
    assert topic.name == "trygghet" and topic.matches("Fler trygghetsvandringar och kamerabevakningen") == [
        "trygghet*",
        "kamerabevakning",
    ]
    with pytest.raises(TopicError, match="unknown topic"):
        load_topic("ingen-sadan")
    with pytest.raises(TopicError, match="no terms"):
        parse_topic("tom", "# bara kommentarer\n")


@pytest.mark.parametrize(
    "url",
    [
        "https://x.se/nyheter/kalender.html?month=2031-01",
        "https://x.se/evenemang/kalender/2031/4/",
        "https://x.se/nyheter.html?sort=asc",
        "https://x.se/" + "a/b/" * 8,
    ],
)
def test_crawl_traps_are_recognised(url):
    assert trap_reason(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://malmo.se/Nyheter.html?date=20190531&origin=3.427bf",
        "https://www.vasteras.se/nyheter.html?start=20220601-00000000-AM&end=20220630-235959999-PM",
        "https://www.mynewsdesk.com/se/malmo/pressreleases?after=1478509244726_1635313--Pressrelease",
    ],
)
def test_ordinary_listings_are_not_traps(url):
    assert trap_reason(url) is None


def test_bundled_sources_cover_the_grant_municipalities():
    sources = load_sources()
    assert len(sources) >= 100
    assert {s.kind for s in sources} >= {"listing", "sitemap", "mynewsdesk", "cision", "viatt", "newsmachine"}
    assert {s.code for s in sources} >= {"0180", "1280", "1880", "0581", "0484"}
    assert not any("../shared" in s.url for s in sources)
    assert municipality_for_url("https://www.mynewsdesk.com/se/malmo/pressreleases", sources) == "1280"
    assert municipality_for_url("https://www.vaxjo.se/nyheter/x.html", sources) == "0780"


def test_user_sources_extend_and_bad_ones_are_named(tmp_path: Path):
    mine = tmp_path / "mine.csv"
    mine.write_text("code,kind,url\n2584,listing,https://www.kiruna.se/nyheter.html\n", encoding="utf-8")
    assert any(s.code == "2584" for s in load_sources(mine))
    bad = tmp_path / "bad.csv"
    bad.write_text("code,kind,url\n2584,rss,https://www.kiruna.se/\n", encoding="utf-8")
    with pytest.raises(SourcesError, match=r"bad.csv, row 2: kind 'rss'"):
        load_sources(bad)
    with pytest.raises(SourcesError, match="does not exist"):
        load_sources(tmp_path / "missing.csv")


@pytest.fixture(scope="module")
def offline_sites():
    """Every style's pages, answered without a server (the sites' base URL is made up)."""
    releases = [r for i, style in enumerate(STYLES) for r in generate_releases(23, style=style, seed=i)]
    sim = Newsroom(releases, page_size=10)
    for site in sim.sites.values():
        site.base_url = "http://sim.test"
    return sim


@pytest.mark.parametrize("style", STYLES)
def test_listing_pages_give_their_releases_and_the_next_page(offline_sites, style):
    site = offline_sites.site(style=style)
    url = site.start_url
    path, _, query = url.removeprefix(site.base_url).partition("?")
    html = site.answer(path, query, {}).body.decode()
    platform = PLATFORMS.get(style.split("_")[0], PLATFORMS["sitevision"])
    listing = analyse_listing(html, url, platform)
    expected = {canonicalize(site.release_url(r)) for r in site.releases[:10]}
    found = {link.url for link in listing.releases}
    assert expected <= found
    # Sitevision listings also link an archive copy of an old release and a subscription page;
    # the crawler fetches them and the pipeline tells them apart.
    oldest = site.releases[-1]
    assert found - expected <= {
        f"{site.base_url}/arkiv/{oldest.day.year}/{oldest.slug}.html",
        f"{site.base_url}/nyheter/prenumerera.html",
    }
    assert len(listing.next_pages) >= 1
    if style in ("sitevision", "mynewsdesk_old", "cision", "viatt"):  # these listings show dates
        first = next(link for link in listing.releases if link.url == canonicalize(site.release_url(site.releases[0])))
        assert first.date == site.releases[0].day


def test_feeds_and_gzipped_sitemap_indexes_are_read():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title>
    <link>https://x.se/a.html?utm_source=rss</link><pubDate>Mon, 02 Mar 2020 23:30:00 +0000</pubDate>
    </item></channel></rss>"""
    feed = parse_feed(rss, "https://x.se/feed")
    assert [(e.url, e.date) for e in feed.entries] == [("https://x.se/a.html", date(2020, 3, 3))]  # Swedish time
    index = gzip.compress(
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://x.se/s1.xml</loc></sitemap></sitemapindex>"
    )
    assert parse_feed(index, "https://x.se/sitemap1.xml.gz").kind == "sitemapindex"
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><link rel="next" href="/feed?page=2"/>
    <entry><title>B</title><link href="https://x.se/b"/><published>2021-05-01T10:00:00Z</published></entry></feed>"""
    parsed = parse_feed(atom, "https://x.se/feed")
    assert parsed.entries[0].date == date(2021, 5, 1) and parsed.next_page == "https://x.se/feed?page=2"
    robots = b"User-agent: *\nDisallow: /intern/\nSitemap: https://x.se/sitemap1.xml.gz\n"
    assert sitemaps_in_robots(robots, "https://x.se/robots.txt") == ["https://x.se/sitemap1.xml.gz"]


def test_scrapy_project_lists_its_spiders():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert set(result.stdout.split()) == {
        "auto",
        "listing",
        "mynewsdesk",
        "cision",
        "viatt",
        "newsmachine",
        "feed",
        "sitemap",
        "release",
    }
