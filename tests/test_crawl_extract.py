"""Main text without furniture, measured on a gold set and on every style the simulator serves."""

from __future__ import annotations

import pytest
from conftest import DATA

from crawler.evaluation import load_gold, score
from crawler.extract import extract_page
from crawler.testsite import BOILERPLATE_PHRASES, DATE_STYLES, STYLES, Newsroom, Release, SiteOptions

GOLD = load_gold(DATA / "crawl_gold")


def test_gold_set_quality(capsys):
    """Scored like trafilatura's evaluation; run benchmarks/crawl_extraction.py for the comparison."""
    scores = score(GOLD)
    with capsys.disabled():
        print(f"\nextraction on {scores.cases} gold pages: {scores.summary()}")
    assert scores.recall >= 0.98, scores.misses
    assert scores.precision >= 0.95, scores.misses
    assert scores.titles == scores.cases and scores.dates == scores.cases
    assert scores.contacts == scores.contact_cases


RELEASE = Release(
    title="Miljoner till läxhjälp i Vivalla",
    date="2021-03-09",
    lead="Vivalla får läxhjälp på biblioteket fyra dagar i veckan.",
    body=(
        "Socialnämnden avsätter 3,5 miljoner kronor för läxhjälp och språkcaféer i Vivalla under 2021. "
        "Pengarna kommer från statsbidraget för att minska segregationen.\n\n"
        "– Det här gör skillnad för eleverna, säger Anna Lind (S), kommunalråd.\n\n"
        "Arbetet följs upp av kommunens utvärderare i december."
    ),
    contact="Anna Lind, kommunalråd, 019-21 10 00",
    attachment="Beslut om medel",
)


def _page(style: str, date_style: str = "vaxjo", **changes) -> tuple[str, str]:
    release = Release(**{**RELEASE.__dict__, "style": style, "extra": {}, "slug": None, **changes})
    sim = Newsroom([release], options={style: SiteOptions(date_style=date_style)})
    site = sim.site()
    site.base_url = "http://sim.test"
    path, _, query = site.release_path(release).partition("?")
    answer = site.answer(path, query, {})
    charset = "utf-8" if release.encoding == "utf-8" else release.encoding
    return site.release_url(release), answer.body.decode(charset, errors="replace")


@pytest.mark.parametrize("style", STYLES)
def test_every_style_gives_exactly_the_release(style):
    url, html = _page(style)
    page = extract_page(html, url)
    assert page.text == RELEASE.expected_text()
    assert page.title == RELEASE.title
    assert not [p for p in BOILERPLATE_PHRASES if p in page.text]
    assert "019-21 10 00" in (page.contact or "") and "019-21 10 00" not in page.text
    assert page.language == "sv"
    if style != "mynewsdesk_old":  # its release pages carry no date; the listing gives it
        assert page.published == RELEASE.date


@pytest.mark.parametrize("date_style", [d for d in DATE_STYLES if d != "none"])
def test_every_municipal_date_format_is_read(date_style):
    url, html = _page("sitevision", date_style)
    page = extract_page(html, url)
    assert page.published == RELEASE.date, page.date_source
    assert page.text == RELEASE.expected_text()


def test_a_page_without_a_date_takes_the_listings():
    url, html = _page("sitevision", "none")
    assert extract_page(html, url).published is None
    assert extract_page(html, url, date_hint="2021-03-09").published == "2021-03-09"


@pytest.mark.parametrize("encoding", ["iso-8859-1", "windows-1252"])
def test_old_encodings_decode_to_the_same_text(encoding):
    url, html = _page("sitevision", encoding=encoding)
    assert extract_page(html, url).text == RELEASE.expected_text()


def test_broken_markup_still_gives_the_release():
    url, html = _page("sitevision", malformed=True)
    page = extract_page(html, url)
    assert page.text == RELEASE.expected_text()
    assert page.published == RELEASE.date


def test_attached_files_are_listed_not_read():
    url, html = _page("sitevision")
    files = extract_page(html, url).files
    assert [label for _url, label in files] == ["Beslut om medel"]
    assert files[0][0].endswith(".pdf")


def test_extraction_is_deterministic_across_calls():
    url, html = _page("mynewsdesk")
    first = extract_page(html, url)
    for _ in range(3):
        assert extract_page(html, url).text == first.text  # no cross-document deduplication state
