"""kp_money: which numbers are sums of money, and what they are worth in whole kronor."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.money_mentions import find_money
from nlp.numbers import parse_digit_number, parse_word_number
from nlp.pipeline import load


def sums(text: str) -> list[tuple[str, int]]:
    return [(text[m.start : m.end], m.value_sek) for m in find_money(text)]


@pytest.mark.parametrize(
    ("sentence", "written", "value"),
    [
        ("Nämnden fick 13,4 miljoner kronor i tillskott.", "13,4 miljoner kronor", 13_400_000),
        ("Totalt rör det sig om 12 900 000 kronor.", "12 900 000 kronor", 12_900_000),
        ("Totalt rör det sig om 12\u00a0900\u00a0000 kronor.", "12\u00a0900\u00a0000 kronor", 12_900_000),
        ("Totalt rör det sig om 12\u2009900\u2009000 kr.", "12\u2009900\u2009000 kr", 12_900_000),
        ("Ramen höjs till 1,35 miljarder nästa år.", "1,35 miljarder", 1_350_000_000),
        ("Staten lägger en miljard kronor på reformen.", "en miljard kronor", 1_000_000_000),
        ("Föreningen söker tre miljoner kronor.", "tre miljoner kronor", 3_000_000),
        ("Projektet kostar en halv miljon.", "en halv miljon", 500_000),
        ("Det blev en och en halv miljon kronor till läxhjälp.", "en och en halv miljon kronor", 1_500_000),
        ("Tjugofem miljoner kronor går till skolan.", "Tjugofem miljoner kronor", 25_000_000),
        ("Budgeten är 6,9 mkr för hela året.", "6,9 mkr", 6_900_000),
        ("Budgeten är 6,9 Mkr för hela året.", "6,9 Mkr", 6_900_000),
        ("Ansökan gäller 69 MSEK över tre år.", "69 MSEK", 69_000_000),
        ("Varje förening får 500 tkr.", "500 tkr", 500_000),
        ("Kommunen satsar 2,5 mnkr på belysning.", "2,5 mnkr", 2_500_000),
        ("Priset är 50 000:- per deltagare.", "50 000:-", 50_000),
        ("Hyran sänks med 1.500.000 kr.", "1.500.000 kr", 1_500_000),
        ("Investeringen ligger på 4,2 milj. kr i år.", "4,2 milj. kr", 4_200_000),
        ("Stödet uppgår till 300 tusen kronor.", "300 tusen kronor", 300_000),
        ("Regeringen anslår 2 mdkr till reformen.", "2 mdkr", 2_000_000_000),
        ("Kommunen får drygt 26 miljoner i statsbidrag.", "26 miljoner", 26_000_000),
        ("Staden kan få 69 miljoner kronor om året.", "69 miljoner kronor", 69_000_000),
        ("Här används 13 miljoner skattekronor till nya lokaler.", "13 miljoner", 13_000_000),
        ("Lönen är 110 kronor i timmen.", "110 kronor", 110),
    ],
)
def test_every_written_form_of_a_sum_is_found_and_normalised(sentence, written, value):
    assert sums(sentence) == [(written, value)]


@pytest.mark.parametrize(
    "sentence",
    [
        "I kommunen bor 34 200 invånare, varav 2 100 i Ronna.",
        "Sverige har drygt 10 miljoner invånare och 2 miljoner fritidshus.",
        "Stödet gäller 32 kommuner och 20 personer deltog i mötet.",
        "Ring 070-665 28 22 eller 08-406 55 00 för mer information.",
        "Postadress: Box 474, 101 29 Stockholm. Org.nr 212000-0340.",
        "Satsningen startade 2018 och pågår till 2027, alltså under 2020-talet.",
        "Mötet hålls den 12 mars 2019 kl. 13.00 i sal 4.",
        "Arbetslösheten minskade med 13 procent, eller 4,5 %.",
        "Det handlar om ett miljonbelopp i en historisk miljardsatsning.",
        "Fonden förvaltar 5 miljoner euro och 3 miljoner dollar.",
        "Över 1 400 barn och 500 tusen besökare kom till festivalen.",
    ],
)
def test_numbers_that_are_not_money_are_never_sums(sentence):
    assert sums(sentence) == []


def test_a_bare_scale_word_counts_only_in_money_context():
    assert sums("Kommunen får 13 miljoner i statsbidrag. 13 miljoner är mycket pengar.") == [
        ("13 miljoner", 13_000_000),
        ("13 miljoner", 13_000_000),
    ]
    assert sums("Filmen har setts 13 miljoner gånger.") == []
    assert sums("Filmen har setts 13 miljoner.") == []  # no money talk in the text at all


def test_rows_under_a_heading_that_names_the_unit_are_sums():
    text = "Fördelning 2020 per stadsdel, mkr:\nNorr 18,5\n• Söder: 12\n\nPris 100 kr\nTid 18\nRing 08-123 45 67"
    assert sums(text) == [("18,5", 18_500_000), ("12", 12_000_000), ("100 kr", 100)]


def test_a_range_gives_both_ends_with_their_qualifiers():
    found = find_money("Bidraget blir mellan 5 och 10 miljoner kronor. Kostnaden är 3–4 miljoner kronor.")
    assert [(m.value_sek, m.qualifier) for m in found] == [
        (5_000_000, "at_least"),
        (10_000_000, "at_most"),
        (3_000_000, None),
        (4_000_000, None),
    ]


def test_a_year_before_a_list_dash_is_not_the_start_of_a_range():
    assert sums("Totalt 2020–2023\n- 450 miljoner kronor till bostäder") == [("450 miljoner kronor", 450_000_000)]


def test_a_sum_wrapped_over_two_lines_is_one_sum():
    assert sums("Örebro kan söka 13,4 miljoner\nkronor för 2018.") == [("13,4 miljoner\nkronor", 13_400_000)]


@pytest.mark.parametrize(
    ("written", "scaled", "value"),
    [("12 900 000", False, 12_900_000), ("13,4", True, 13.4), ("1.5", True, 1.5), ("1.500", False, 1500)],
)
def test_digit_numbers(written, scaled, value):
    assert parse_digit_number(written, scaled=scaled) == value


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("tre", 3),
        ("tjugofem", 25),
        ("tvåhundrafemtio", 250),
        ("hundra", 100),
        ("en halv", 0.5),
        ("två och en halv", 2.5),
    ],
)
def test_word_numbers(written, value):
    assert parse_word_number(written) == value


def test_the_pipeline_writes_money_spans_with_the_sum_as_written():
    doc = load()("Kommunen har beviljats 4,5 miljoner kronor. Ring 08-123 45 67.")
    assert [(s.text, s.label_, s._.kp["value_sek"]) for s in doc.spans["money"]] == [
        ("4,5 miljoner kronor", "MONEY", 4_500_000)
    ]


@pytest.mark.slow
def test_sums_and_their_attributes_survive_two_processes():
    from conftest import SEEDS_DIR

    from nlp.analyze import Input, analyze_many

    items = [Input(p.read_text(encoding="utf-8"), id=p.stem) for p in sorted(SEEDS_DIR.glob("*.txt"))]
    one = [(item.id, record["amounts"], record["published"]) for item, record in analyze_many(items)]
    two = [(item.id, record["amounts"], record["published"]) for item, record in analyze_many(items, n_process=2)]
    assert one == two
    assert sum(len(amounts) for _, amounts, _ in one) >= 17


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.:-–/\n\u00a0krnomiljadsetusäåö")), max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_well_formed_sums(text):
    for m in find_money(text):
        assert 0 <= m.start < m.end <= len(text)
        assert m.value_sek > 0
