"""The analyser and the page reader never crash or hang, whatever text they are given.

Researchers feed the tool pasted text, broken exports and huge files; a crash
would lose a whole batch, a hang a whole night.
"""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager

import pytest
from conftest import SEEDS_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract import extract_page
from nlp.analyze import analyze
from nlp.pipeline import load

GROUPS = ("amounts", "persons", "organizations", "municipality_mentions", "measures", "quotes")


@contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_record(text: str, record: dict) -> None:
    """Every finding points at real characters of the text and at a real sentence."""
    assert set(GROUPS) <= set(record)
    for group in GROUPS:
        for item in record[group]:
            assert 0 <= item["start"] <= item["end"] <= len(text)
            assert item["sentence"] >= 0
            if group in ("amounts", "municipality_mentions", "measures", "quotes"):
                assert text[item["start"] : item["end"]] == item["text"]
    for amount in record["amounts"]:
        assert isinstance(amount["value_sek"], int) and amount["value_sek"] > 0


@pytest.fixture(scope="module")
def nlp():
    return load()


swedish_ish = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzåäöÅÄÖABCKMSÉé0123456789 ,.;:–-()\"”'\n\t\xa0\u2009/%:")),
    max_size=600,
)
money_words = st.lists(
    st.sampled_from(
        [
            "miljoner",
            "kronor",
            "mkr",
            "Mkr",
            "MSEK",
            "tkr",
            "miljarder",
            "kr",
            "2020–2027",
            "år",
            "per",
            "13,4",
            "12 900 000",
            "en",
            "tre",
            "drygt",
            "upp till",
            "Örebro",
            "Vara",
            "säger",
            "(S)",
            "–",
            "Foto:",
            "kommun",
            "\n\n",
            "2018",
            "i år",
            "nästa år",
            "cirka",
            "1,35",
            "0",
            "00",
            ",",
            ".",
        ]
    ),
    max_size=80,
).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=800), swedish_ish, money_words))
def test_any_text_gives_a_well_formed_record(nlp, text):
    with time_limit(20):
        record = analyze(text, nlp=nlp, published="2019-05-01")
    check_record(text, record)


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\t \xa0 \u2009\n", "\u200b", "."])
def test_empty_and_blank_texts(nlp, text):
    record = analyze(text, nlp=nlp)
    check_record(text, record)
    assert record["amounts"] == [] and record["persons"] == []


def test_a_5_mb_document_is_analysed_in_bounded_time(nlp):
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")))
    text = (seeds + "\n\n") * (5_000_000 // (len(seeds) + 2) + 1)
    assert len(text) >= 5_000_000
    started = time.monotonic()
    with time_limit(240):
        record = analyze(text, nlp=nlp)
    check_record(text, record)
    assert time.monotonic() - started < 240


@settings(max_examples=25, deadline=None)
@given(depth=st.integers(min_value=1, max_value=30_000), tag=st.sampled_from(["div", "span", "table", "ul", "b"]))
def test_deeply_nested_html_does_not_crash_the_page_reader(depth, tag):
    html = f"<html><body>{f'<{tag}>' * depth}<p>Pengar till skolan i Malmö.</p>{f'</{tag}>' * depth}</body></html>"
    with time_limit(20):
        page = extract_page(html)
    assert isinstance(page.text, str)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=2000))
def test_garbage_html_does_not_crash_the_page_reader(html):
    with time_limit(20):
        page = extract_page("<html><body>" + html)
    assert isinstance(page.text, str)
