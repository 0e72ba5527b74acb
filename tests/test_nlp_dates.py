"""kp_dates: the publication date a text states, and its year and period expressions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.cues import load_patterns
from nlp.pipeline import load
from nlp.timex import _YEAR_ANCHOR, find_dates, find_years, publication_date


@pytest.fixture(scope="module")
def nlp():
    return load()


def published(text: str) -> str | None:
    found = publication_date(text)
    return found.date.isoformat() if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22 oktober 2018\n\nStatliga miljoner till kommunen", "2018-10-22"),
        ("Nyheter\nPublicerad 8/14/2019\nAnnons", "2019-08-14"),
        ("Rubrik\n\nText om bidraget.\n\n2018-10-26T09:25:56+00:00 oktober 25th, 2018|", "2018-10-26"),
        ("tis 26 jun 2018\nKommunen får pengar", "2018-06-26"),
        ("Aktuellt\nPublicerad: 19 september, 2022\nTitel", "2022-09-19"),
        ("10.2.2025 14:24:42 CET | Norrköpings kommun | Pressinbjudan", "2025-02-10"),
        ("Nyhet\nPublicerades 2019-02-14\nTitel", "2019-02-14"),
        ("Publicerad 30 september 2020 12:00\nTitel", "2020-09-30"),
        ("Pressmeddelande Publicerad: 2020-09-23 15:45 CEST", "2020-09-23"),
        ("Pressmeddelanden   •   Okt 19, 2018 09:30 CEST\n\nTitel", "2018-10-19"),
        ("Postat 14 augusti 2019 av Kristina Lund\n\nText.", "2019-08-14"),
        ("Titel\n\nVänersborg 2021-05-04. Kommunen har i dag fått besked.", "2021-05-04"),
        ("GP.se  |  Göteborg  |  12 mars 2019\n\nKritik mot hur miljonerna används", "2019-03-12"),
        ("Titel\n\nText om bidraget.\n\nSkövde, 20 mars 2019", "2019-03-20"),
        ("Titel\n\nFullmäktige har i dag, den 14 november 2022, antagit budgeten.", "2022-11-14"),
        ("Titel\n\nRegeringen har i dag, tisdagen den 26 juni 2018, beslutat om bidraget.", "2018-06-26"),
    ],
)
def test_publication_date_in_every_format_newsrooms_print(text, expected):
    assert published(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Titel\n\nMötet hålls den 12 mars 2019 i stadshuset.",
        "Titel\n\nSista ansökningsdag är 2019-04-30.",
        "Titel\n\nText.\n\nSenast granskad 2023-11-28 av KLALIW",
        "Titel\n\nTid: 15 mars 2019 kl. 10.00\nPlats: Stadshuset",
        "Titel\n\nSenast uppdaterad 14 september.",
        "Den 1 januari 2018 inrättade regeringen en ny myndighet.",
    ],
)
def test_dates_in_running_text_or_of_other_events_are_not_the_publication_date(text):
    assert published(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Publicerad 2019.03.05\nText", "2019-03-05"), ("Publicerad 05-03-2019\nText", "2019-03-05")],
)
def test_other_formats_after_a_publication_cue_go_to_dateparser(text, expected):
    assert published(text) == expected


def test_a_publication_cue_beats_an_earlier_date_line():
    assert published("Inbjudan\n2019-05-02\n\nPublicerad 2019-04-11\nText.") == "2019-04-11"


def test_slash_dates_follow_the_order_the_page_itself_shows():
    assert published("Publicerad 3/4/2019\nText. Uppdaterad 3/14/2019") == "2019-03-04"
    assert published("Publicerad 3/4/2019\nText. Uppdaterad 13/4/2019") == "2019-04-03"
    assert published("Publicerad 3/4/2019\nText.") == "2019-04-03"  # Swedish day/month when nothing tells


def test_impossible_dates_are_ignored():
    assert find_dates("Publicerad 2019-02-31 och 31.13.2019") == []


def test_the_component_prefers_the_stated_date_then_the_page_hint(nlp):
    stated = nlp.make_doc("Publicerad 2019-02-14\n\nKommunen får pengar.")
    stated._.published_hint = "2020-01-01"
    assert nlp(stated)._.published == "2019-02-14"
    hinted = nlp.make_doc("Kommunen får pengar den 12 mars 2019.")
    hinted._.published_hint = "2020-01-01T08:00:00"
    assert nlp(hinted)._.published == "2020-01-01"
    assert nlp("Kommunen får pengar.")._.published is None


def test_the_component_writes_dates_and_years_for_later_components(nlp):
    doc = nlp("Publicerad 2021-03-10\n\nI år och mellan 2022 och 2024 satsas pengar, sedan den 1 maj 2021.")
    dates = {s.text: s._.kp for s in doc.spans["dates"]}
    assert dates["2021-03-10"]["published"] is True
    assert dates["1 maj 2021"] == {
        "date": "2021-05-01",
        "year_start": 2021,
        "year_end": 2021,
        "kind": "date",
        "published": False,
    }
    years = [(s.text, s._.kp["year_start"], s._.kp["year_end"]) for s in doc.spans["years"]]
    assert years == [("I år", 2021, 2021), ("mellan 2022 och 2024", 2022, 2024), ("1 maj 2021", 2021, 2021)]


PUB = date(2019, 5, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("för 2021", (2021, 2021, "year")),
        ("under perioden 2018–2020", (2018, 2020, "range")),
        ("åren 2018-2020", (2018, 2020, "range")),
        ("2020 till 2027", (2020, 2027, "range")),
        ("läsåret 2018/19", (2018, 2019, "range")),
        ("från och med 2021 till och med 2023", (2021, 2023, "range")),
        ("fram till 2027", (None, 2027, "until")),
        ("till och med år 2027", (None, 2027, "until")),
        ("t.o.m. 2027", (None, 2027, "until")),
        ("från och med 2020", (2020, None, "from")),
        ("sedan 2015", (2015, None, "from")),
        ("i år", (2019, 2019, "relative")),
        ("under hösten", (2019, 2019, "relative")),
        ("nästa år", (2020, 2020, "relative")),
        ("i fjol", (2018, 2018, "relative")),
        ("förra året", (2018, 2018, "relative")),
        ("de kommande tre åren", (2019, 2021, "coming")),
        ("de senaste två åren", (2018, 2019, "past")),
    ],
)
def test_year_expressions(text, expected):
    (found,) = find_years(f"Stödet gäller {text} enligt beslutet.", PUB)
    assert (found.year_start, found.year_end, found.kind) == expected


def test_relative_years_stay_unknown_without_a_publication_date():
    assert [(y.year_start, y.year_end) for y in find_years("I år och nästa år.")] == [(None, None), (None, None)]


def test_thereafter_counts_from_the_year_before_it():
    found = find_years("För 2020 avsätts medel. Året därpå utvärderas det, och därefter varje år.")
    assert [(y.kind, y.year_start, y.year_end) for y in found] == [
        ("year", 2020, 2020),
        ("after", 2021, 2021),
        ("after", 2022, None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Kommunen har 2018 invånare i området.",
        "Det kostar 2019 kronor per plats.",
        "Under 2020-talet ska allt vara klart.",
        "Järnvägen kom 1862.",
        "Ring 08-2019 20 00.",
        "Det handlar om 4,2019 procent.",
        "Det går bra, säger hon om vårt samarbete.",
    ],
)
def test_numbers_that_are_not_years(text):
    assert find_years(text, PUB) == []


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.:-–/|T+\nPublicerad jumaoktibr")), max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_valid_dates_and_years(text):
    for d in find_dates(text):
        assert 0 <= d.start < d.end <= len(text) and 1990 <= d.date.year <= 2100
    for y in find_years(text, PUB):
        assert 0 <= y.start < y.end <= len(text)
        assert y.year_start is None or y.year_end is None or y.year_start <= y.year_end


def test_every_year_word_of_the_lexicon_is_found_by_the_fast_scan():
    """find_years only looks near _YEAR_ANCHOR: a phrase added to the lexicon must hold an anchor."""
    lexicon = load_patterns("dates_lexicon.json")
    phrases = [p for words in lexicon["relative_years"].values() for p in words]
    phrases += [f"de {w} tre åren" for w in lexicon["coming_years"] + lexicon["past_years"]]
    phrases += [p for words in lexicon["after_previous"].values() for p in words]
    assert [p for p in phrases if not _YEAR_ANCHOR.search(p)] == []
