"""`kommunpress crawl` against simulated newsrooms of every kind, asserted on the resulting corpus.

One crawl of two municipalities' known newsrooms (a sources file of the user's own):
Sitevision with faults, WordPress by its feed, Mynewsdesk new and old, Cision, Via TT,
NewsMachine, a gzip sitemap index and `auto`. Then a second crawl after two new
releases, a --since crawl and a --max-pages crawl finished with --resume. Nothing
leaves 127.0.0.1; the server's own request log shows what the crawler asked for.
"""

from __future__ import annotations

import gzip
import re
import sqlite3
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from typer.testing import CliRunner

from crawler.testsite import BOILERPLATE_PHRASES, Newsroom, Release, SiteOptions, generate_releases
from crawler.urls import canonicalize
from kommunpress.cli import app

CRAWL_ENV = {
    "KOMMUNPRESS_DELAY": "0",  # politeness off: these are our own sites on 127.0.0.1
    "KOMMUNPRESS_CONCURRENCY": "8",
    "KOMMUNPRESS_TIMEOUT": "1",
    "KOMMUNPRESS_MAX_PAGE_BYTES": "1000000",
    "KOMMUNPRESS_CONTACT": "forskare@universitet.example",
    "KOMMUNPRESS_BUSY_TIMEOUT": "10",
    "KOMMUNPRESS_SOURCES": None,
}

SEGREGATION = Release(
    title="Lund får 12 miljoner mot segregation",
    date="2019-06-26",
    lead="Lund kan söka 12 miljoner kronor i statsbidrag för att minska segregationen.",
    body=(
        "Pengarna ska gå till tidiga insatser för barn och unga i Norra Fäladen och Linero.\n\n"
        "– Vi ska använda dem där de gör mest nytta, säger Philip Sandberg (L), kommunstyrelsens ordförande."
    ),
    municipality="Lund",
    style="sitevision",
    also_on=("mynewsdesk",),
    contact="Eva Ek, presschef, 046-35 50 00",
    attachment="Ansökan om statsbidrag",
)
SPECIAL = [
    SEGREGATION,
    Release(
        "Äldre sida i ISO-8859-1 om fritidsgården",
        "2019-05-06",
        "Fritidsgården i Klostergården får 900 000 kronor. Gården håller öppet längre på fredagar.",
        municipality="Lund",
        encoding="iso-8859-1",
    ),
    Release(
        "Sida i windows-1252 – med tankstreck och ”citattecken”",
        "2019-05-07",
        "Kommunen satsar – trots allt – på läxhjälp. ”Det behövs”, säger rektorn.",
        municipality="Lund",
        encoding="windows-1252",
    ),
    Release(
        "Trasig HTML men läsbar nyhet om skolan",
        "2019-05-08",
        "Sidan har trasig kod men texten ska ändå läsas.\n\nDet gäller särskilt äldre sidor i arkivet.",
        municipality="Lund",
        malformed=True,
        contact="Per Holm, rektor, 046-35 51 00",
    ),
]


def _batch(n: int, municipality: str, style: str, seed: int, start: str) -> list[Release]:
    tag = f"{municipality} {style}"
    return [
        replace(r, title=f"{r.title} – {tag}", slug=None)
        for r in generate_releases(n, municipality=municipality, style=style, seed=seed, start=start, paragraphs=2)
    ]


RELEASES = [
    *SPECIAL,
    *_batch(12, "Lund", "sitevision", 1, "2018-03-01"),
    *_batch(6, "Lund", "wordpress", 2, "2019-01-10"),
    *_batch(7, "Lund", "mynewsdesk", 3, "2020-02-01"),
    *_batch(6, "Lund", "mynewsdesk_old", 4, "2016-05-01"),
    *_batch(6, "Lund", "cision", 5, "2021-01-04"),
    *_batch(6, "Lund", "viatt", 6, "2024-10-01"),
    *_batch(6, "Lund", "newsmachine", 7, "2020-09-01"),
    *_batch(6, "Umeå", "sitevision", 8, "2022-04-01"),
    *_batch(6, "Umeå", "wordpress", 9, "2023-03-01"),
]
CODES = {"Lund": "1281", "Umeå": "2480"}


def crawl(*args: str | Path):
    return CliRunner().invoke(app, ["crawl", *map(str, args)], env=CRAWL_ENV, catch_exceptions=False)


def documents(db: Path) -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {r["url"]: dict(r) for r in conn.execute("SELECT * FROM documents")}
    conn.close()
    return rows


def query(db: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def expected_urls(sim: Newsroom, releases: list[Release]) -> dict[str, Release]:
    """Where each release must end up: its URL on every site it is published on."""
    out = {}
    for r in releases:
        for style in (r.style, *r.also_on):
            out[canonicalize(sim.site(r.municipality, style).release_url(r))] = r
    return out


@pytest.fixture(scope="module")
def sim():
    options = {
        "Lund/sitevision": SiteOptions(faults=True, page_size=5, date_style="vaxjo", sitemap=False),
        "Lund/mynewsdesk": SiteOptions(page_size=5),
        "Lund/mynewsdesk_old": SiteOptions(page_size=4),
        "Lund/cision": SiteOptions(page_size=4),
        "Lund/viatt": SiteOptions(page_size=4),
        "Lund/newsmachine": SiteOptions(page_size=4),
        "Umeå/sitevision": SiteOptions(date_style="uddevalla", page_size=4),
        "Umeå/wordpress": SiteOptions(page_size=4),
    }
    with Newsroom(RELEASES, options=options) as newsroom:
        yield newsroom


@pytest.fixture(scope="module")
def sources_file(sim, tmp_path_factory) -> Path:
    rows = [
        ("1281", "listing", sim.site("Lund", "sitevision").start_url),
        ("1281", "feed", sim.site("Lund", "wordpress").url("/feed/")),
        ("1281", "mynewsdesk", sim.site("Lund", "mynewsdesk").start_url),
        ("1281", "mynewsdesk", sim.site("Lund", "mynewsdesk_old").start_url),
        ("1281", "cision", sim.site("Lund", "cision").start_url),
        ("1281", "viatt", sim.site("Lund", "viatt").start_url),
        ("1281", "newsmachine", sim.site("Lund", "newsmachine").start_url),
        ("2480", "sitemap", sim.site("Umeå", "sitevision").url("/sitemap1.xml.gz")),
        ("2480", "auto", sim.site("Umeå", "wordpress").start_url),
    ]
    path = tmp_path_factory.mktemp("sources") / "mina-kallor.csv"
    path.write_text("code,kind,url\n" + "".join(f"{c},{k},{u}\n" for c, k, u in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def first(sim, sources_file, tmp_path_factory):
    """The first crawl, and a snapshot of what it left (later crawls change the corpus)."""
    db = tmp_path_factory.mktemp("first") / "corpus.db"
    start = len(sim.hits())
    result = crawl("--sources", sources_file, "-m", "Lund", "-m", "Umeå", "--topic", "segregation", "--db", db)
    return {
        "db": db,
        "result": result,
        "docs": documents(db),
        "hits": sim.hits()[start:],
        "links": {r[0]: r for r in query(db, "SELECT url, content_type, found_on, document_id FROM links")},
    }


def test_the_crawl_runs_and_sums_up(first):
    result = first["result"]
    assert result.exit_code == 0, result.output
    assert "Crawl finished" in result.stdout
    assert "Traceback" not in result.output
    for fault in ("HTTP 404", "HTTP 500", "redirect loop", "timeout", "page too large", "forbidden by robots.txt"):
        assert fault in result.stdout, fault


def test_exactly_the_releases_with_titles_and_dates(sim, first):
    want = expected_urls(sim, RELEASES)
    got = first["docs"]
    assert set(got) == set(want)
    for url, r in want.items():
        assert got[url]["title"] == r.title, url
        assert got[url]["published"] == r.date, url  # Mynewsdesk's old layout: from the listing


def test_main_text_is_the_release_and_nothing_else(sim, first):
    want = expected_urls(sim, RELEASES)
    for url, doc in first["docs"].items():
        assert doc["text"] == want[url].expected_text(), url
        kept = [p for p in BOILERPLATE_PHRASES if p in doc["text"]]
        assert not kept, (url, kept)


def test_contact_blocks_are_kept_apart(sim, first):
    docs = first["docs"]
    for url, r in expected_urls(sim, RELEASES).items():
        if r.contact:
            phone = r.contact.split(", ")[-1]
            assert phone in (docs[url]["contact"] or ""), url
            assert phone not in docs[url]["text"]


def test_each_document_records_how_it_was_fetched(sim, first):
    for url, doc in first["docs"].items():
        municipality = next(r.municipality for u, r in expected_urls(sim, RELEASES).items() if u == url)
        assert doc["municipality_code"] == CODES[municipality]
        assert doc["http_status"] == 200 and doc["etag"] and doc["fetched_at"]
        assert doc["language"] == "sv"
        assert doc["canonical_url"] == url
        html = gzip.decompress(doc["html"]).decode("utf-8")
        assert doc["title"].split(" – ")[0] in html
        assert doc["source"]


def test_one_release_under_several_urls_is_one_document(sim, first):
    docs = first["docs"]
    assert not [u for u in docs if "utm_" in u or "#" in u or "/arkiv/" in u]
    alias_rows = query(first["db"], "SELECT url, kind FROM crawl_pages WHERE url LIKE '%/arkiv/%'")
    assert alias_rows and all(kind == "duplicate" for _u, kind in alias_rows)
    # The same release on the municipal site and on Mynewsdesk: two pages, one canonical document.
    copies = [d for d in docs.values() if d["title"] == SEGREGATION.title]
    assert len(copies) == 2
    assert sorted(d["duplicate_of"] is None for d in copies) == [False, True]
    canonical = query(first["db"], "SELECT count(*) FROM canonical_documents")[0][0]
    assert canonical == len(RELEASES)


def test_old_encodings_and_broken_markup_are_read(sim, first):
    docs = first["docs"]
    for r in SPECIAL[1:]:
        url = canonicalize(sim.site("Lund", "sitevision").release_url(r))
        assert docs[url]["text"] == r.expected_text()


def test_topic_marks_relevant_releases_and_stores_all(sim, first):
    docs = first["docs"]
    site = sim.site("Lund", "sitevision")
    assert docs[canonicalize(site.release_url(SEGREGATION))]["relevant"] == 1
    assert {d["relevant"] for d in docs.values()} == {0, 1}


def test_files_are_recorded_as_links_not_parsed(sim, first):
    links = first["links"]
    site = sim.site("Lund", "sitevision")
    kallelse = links[site.url("/download/18.7a1b2c3d/1583239232/Kallelse")]
    assert kallelse[1] == "application/pdf"  # served without an extension: known by its headers
    attachment = next(row for url, row in links.items() if url.endswith(f"/{SEGREGATION.slug}.pdf"))
    assert attachment[2] == canonicalize(site.release_url(SEGREGATION)) and attachment[3] is not None
    assert site.url("/dokument/beslut-om-fordelning.pdf") in links
    assert not [h for h in first["hits"] if h.path.endswith(".pdf")]  # a .pdf link is never downloaded


def test_robots_txt_is_obeyed_and_asked_for(first):
    hits = first["hits"]
    assert not [h for h in hits if h.path.startswith("/intern/")]
    assert len({h.site for h in hits if h.path == "/robots.txt"}) == 9
    assert all("kommunpress" in h.user_agent and "forskare@universitet.example" in h.user_agent for h in hits)


def test_traps_are_not_followed(sim, first):
    site = sim.site("Lund", "sitevision")
    hits = [h for h in first["hits"] if h.site == site.key]
    assert not [h for h in hits if "kalender" in h.path]
    pages = [
        int(dict(parse_qsl(urlsplit(h.path).query)).get("page", 1)) for h in hits if h.path.startswith("/nyheter.html")
    ]
    assert max(pages) <= site.pages + 1  # one empty page of the endless listing, no more


def test_sitemap_and_auto_tell_releases_from_other_pages(sim, first):
    umea = sim.site("Umeå", "sitevision")
    kinds = dict(query(first["db"], "SELECT url, kind FROM crawl_pages WHERE url LIKE ?", umea.base_url + "%"))
    assert kinds.get(umea.url("/nyheter/prenumerera.html")) == "other"
    assert umea.url("/kontakt.html") not in kinds  # outside the news section: not even fetched


@pytest.fixture(scope="module")
def second(sim, sources_file, first):
    """Two new releases appear; the same crawl again."""
    new = [
        Release(
            "Ny mötesplats öppnar i Linero",
            "2025-01-15",
            "Mötesplatsen i Linero öppnar i mars och drivs tillsammans med föreningarna i området.",
            municipality="Lund",
        ),
        Release(
            "Nytt pressmeddelande om feriejobb",
            "2025-01-16",
            "Lund erbjuder 400 feriejobb i sommar för ungdomar mellan 16 och 18 år.",
            municipality="Lund",
            style="mynewsdesk",
        ),
    ]
    for r in new:
        sim.add(r)
    start = len(sim.hits())
    result = crawl("--sources", sources_file, "-m", "Lund", "-m", "Umeå", "--topic", "segregation", "--db", first["db"])
    return {"new": new, "result": result, "docs": documents(first["db"]), "hits": sim.hits()[start:]}


def test_a_second_crawl_adds_only_what_is_new(sim, first, second):
    assert second["result"].exit_code == 0, second["result"].output
    added = set(second["docs"]) - set(first["docs"])
    assert added == set(expected_urls(sim, second["new"]))
    for url in first["docs"]:
        assert second["docs"][url]["text"] == first["docs"][url]["text"]
    assert "2 new releases, 0 updated" in second["result"].stdout


def test_a_second_crawl_downloads_no_release_body_again(sim, first, second):
    stored_paths = {urlsplit(u).path for u in first["docs"]}
    again = [
        h for h in second["hits"] if urlsplit(h.path).path in stored_paths and h.status == 200 and h.method == "GET"
    ]
    assert again == []


@pytest.fixture(scope="module")
def since_crawl(sim, tmp_path_factory, second):
    site = sim.site("Lund", "sitevision")
    db = tmp_path_factory.mktemp("since") / "corpus.db"
    start = len(sim.hits())
    result = crawl(site.start_url, "--kind", "listing", "-m", "Lund", "--since", "2018-04-01", "--db", db)
    return {"result": result, "docs": documents(db), "hits": sim.hits()[start:], "site": site, "db": db}


def test_since_keeps_later_releases_and_stops_paging(since_crawl):
    site = since_crawl["site"]
    assert since_crawl["result"].exit_code == 0, since_crawl["result"].output
    want = {canonicalize(site.release_url(r)) for r in site.releases if r.date >= "2018-04-01"}
    assert set(since_crawl["docs"]) == want
    pages = {
        int(dict(parse_qsl(urlsplit(h.path).query)).get("page", 1))
        for h in since_crawl["hits"]
        if h.site == site.key and h.path.startswith("/nyheter.html")
    }
    assert max(pages) < site.pages  # the oldest listing pages were not asked for


def test_refresh_asks_again_with_conditional_requests(sim, since_crawl, tmp_path):
    site = since_crawl["site"]
    db = since_crawl["db"]
    before = documents(db)
    start = len(sim.hits())
    result = crawl(site.start_url, "--kind", "listing", "-m", "Lund", "--since", "2018-04-01", "--refresh", "--db", db)
    assert result.exit_code == 0, result.output
    asked = [h for h in sim.hits()[start:] if urlsplit(h.path).path in {urlsplit(u).path for u in before}]
    assert asked and all(h.conditional and h.status == 304 for h in asked)  # asked again, nothing downloaded
    assert documents(db).keys() == before.keys()
    assert f"{len(before)} unchanged" in result.stdout


def test_max_pages_then_resume_finishes_the_crawl(sim, tmp_path):
    site = sim.site("Lund", "cision")
    db = tmp_path / "corpus.db"
    partial = crawl(site.start_url, "--kind", "cision", "-m", "Lund", "--max-pages", "3", "--db", db)
    assert partial.exit_code == 0, partial.output
    assert "--resume" in partial.stdout
    assert 0 < len(documents(db)) < len(site.releases)
    finished = crawl("--resume", "--db", db)
    assert finished.exit_code == 0, finished.output
    assert "Crawl finished" in finished.stdout
    assert set(documents(db)) == {canonicalize(site.release_url(r)) for r in site.releases}
    assert re.search(r"nothing to resume", crawl("--resume", "--db", db).stderr)
