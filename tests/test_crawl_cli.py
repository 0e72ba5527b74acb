"""`kommunpress crawl` from a researcher's side: clear one-line errors, single pages, the Scrapy entry point."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT

from crawler.testsite import BOILERPLATE_PHRASES, Newsroom, Release, SiteOptions, load_sample

ENV = {
    "KOMMUNPRESS_DELAY": "0",
    "KOMMUNPRESS_CONCURRENCY": "4",
    "KOMMUNPRESS_TIMEOUT": "3",
    "KOMMUNPRESS_CONTACT": "forskare@universitet.example",
    "KOMMUNPRESS_EXTRACT_PROCESSES": "0",
}


@pytest.fixture
def crawl_env(monkeypatch):
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("KOMMUNPRESS_SOURCES", raising=False)


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("tip:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_site_is_one_line_and_non_zero(cli, crawl_env, tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/nyheter.html"
    line = one_line_error(cli("crawl", url, "--kind", "listing"))
    assert "cannot reach" in line and url in line and "connection refused" in line
    assert sqlite3.connect(tmp_path / "kommunpress.db").execute("SELECT count(*) FROM documents").fetchone() == (0,)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not a url"], "not a web address"),
        (["ftp://example.org/nyheter"], "not a web address"),
        ([], "give a URL to crawl"),
        (["https://example.org/", "--since", "förra året"], "--since wants a date"),
        (["https://example.org/", "--topic", "ingen-sadan"], "unknown topic"),
        (["https://example.org/", "-m", "Atlantis"], "unknown municipality"),
        (["-m", "Kiruna"], "no known newsrooms for Kiruna"),
        (["https://example.org/", "--resume"], "give no URLs with it"),
        (["--resume"], "nothing to resume"),
    ],
)
def test_bad_input_is_one_line_and_starts_no_crawl(cli, crawl_env, args, message):
    line = one_line_error(cli("crawl", *args))
    assert message in line


def test_not_a_database_is_left_alone(cli, crawl_env, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("anteckningar\n", encoding="utf-8")
    line = one_line_error(cli("crawl", "https://example.org/", "--db", notes))
    assert "not a SQLite database" in line
    assert notes.read_text(encoding="utf-8") == "anteckningar\n"


def test_known_newsrooms_are_listed_without_crawling(cli, crawl_env):
    result = cli("crawl", "--list-sources", "-m", "Malmö")
    assert result.exit_code == 0
    assert "mynewsdesk.com/se/malmo" in result.stdout.replace("\n", "")
    assert "Örebro" not in result.stdout


RELEASES = [
    Release(
        "Kiruna får bidrag till mötesplatser",
        "2023-05-04",
        "Kiruna kommun får 2 miljoner kronor till mötesplatser i centrum.\n\nPengarna gäller i tre år.",
        municipality="Kiruna",
    ),
    Release(
        "Kiruna bygger ny skola",
        "2023-06-01",
        "En ny skola för 600 elever byggs i nya stadskärnan och står klar 2026.",
        municipality="Kiruna",
    ),
]


@pytest.fixture(scope="module")
def newsroom():
    with Newsroom(RELEASES, options={"sitevision": SiteOptions(sitemap=False, page_size=1)}) as sim:
        yield sim


@pytest.fixture
def kiruna(newsroom):
    return newsroom.site()


def test_single_release_pages_and_a_users_own_sources(cli, crawl_env, newsroom, kiruna, tmp_path):
    start = len(newsroom.hits())
    sources = tmp_path / "mina.csv"
    urls = [kiruna.release_url(r) for r in RELEASES]
    sources.write_text("code,kind,url\n" + "".join(f"2584,release,{u}\n" for u in urls), encoding="utf-8")
    result = cli("crawl", "--sources", sources, "-m", "Kiruna", "--log", tmp_path / "crawl.log")
    assert result.exit_code == 0, result.output
    assert "2 new releases, 0 updated, 0 unchanged" in result.stdout
    assert "crawl run 1 ended: finished" in (tmp_path / "crawl.log").read_text(encoding="utf-8")
    rows = sqlite3.connect(tmp_path / "kommunpress.db").execute(
        "SELECT title, published, municipality_code FROM documents ORDER BY published"
    )
    assert rows.fetchall() == [(r.title, r.date, "2584") for r in RELEASES]
    assert not [h for h in newsroom.hits()[start:] if h.path.startswith("/nyheter.html")]  # only the pages named


def test_scrapy_crawl_works_from_the_repository(kiruna, tmp_path):
    db = tmp_path / "scrapy.db"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "listing",
            "-a",
            f"url={kiruna.start_url}",
            "-s",
            f"KOMMUNPRESS_DB={db}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            "-s",
            "KOMMUNPRESS_EXTRACT_PROCESSES=0",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    titles = {r[0] for r in sqlite3.connect(db).execute("SELECT title FROM documents")}
    assert titles == {r.title for r in RELEASES}


def test_auto_from_a_front_page_finds_the_news_listing(cli, crawl_env, newsroom, kiruna, tmp_path):
    """No feed, no sitemap: auto tries robots.txt and the usual sitemap names, then reads the site."""
    start = len(newsroom.hits())
    result = cli("crawl", kiruna.url("/"), "-m", "Kiruna")
    assert result.exit_code == 0, result.output
    titles = {r[0] for r in sqlite3.connect(tmp_path / "kommunpress.db").execute("SELECT title FROM documents")}
    assert titles == {r.title for r in RELEASES}
    asked = {h.path for h in newsroom.hits()[start:]}
    assert {"/robots.txt", "/sitemap.xml", "/nyheter.html", "/nyheter.html?page=2"} <= asked


def test_the_bundled_sample_served_and_crawled_with_auto(cli, crawl_env, tmp_path):
    """The demo's path: corpus/sample's releases served in their newsrooms' styles, crawled with auto."""
    releases = load_sample(ROOT / "corpus" / "sample")
    with Newsroom(releases, page_size=2) as sim:
        urls = [site.start_url for site in sim.sites.values()]
        result = cli("crawl", *urls, "--topic", "segregation")
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(tmp_path / "kommunpress.db")
    stored = conn.execute("SELECT title, published, relevant, text FROM documents").fetchall()
    assert len(stored) == len(releases)
    assert {(t, p) for t, p, _r, _x in stored} == {(r.title, r.date) for r in releases}
    on_topic = {r.title for r in releases if r.extra.get("topic") == "segregation"}
    assert {t for t, _p, relevant, _x in stored if relevant} == on_topic
    assert not [t for t, _p, _r, text in stored if any(p in text for p in BOILERPLATE_PHRASES)]
