"""kp_organizations: named organisations once each, with a canonical name and aliases.

Texts written for these tests: agencies and national bodies from the gazetteer (with their
aliases and genitives), organisations found by pattern (universities, companies, housing
companies, associations, clubs, county boards, regions), and what must not count
(municipalities, parties, ordinary words that look like names).
"""

from __future__ import annotations

import pytest

from nlp.pipeline import load
from nlp.record import to_record


@pytest.fixture(scope="module")
def orgs():
    """text -> the record's organisations, as {name: aliases}."""
    nlp = load()

    def run(text: str) -> dict[str, list[str]]:
        record = to_record(nlp(text))
        return {o["name"]: o.get("aliases") or [] for o in record["organizations"]}

    return run


def names_and_aliases(found: dict[str, list[str]]) -> set[str]:
    return {n.casefold() for name, aliases in found.items() for n in [name, *aliases]}


def test_one_agency_under_all_its_names_is_one_organisation(orgs):
    text = (
        "Delmos har fått ett nytt uppdrag. Delegationen mot segregation ska följa upp arbetet, "
        "och Delegation mot segregations rapport kommer i vår."
    )
    found = orgs(text)
    assert list(found) == ["Delegationen mot segregation"]
    assert "Delmos" in found["Delegationen mot segregation"]


def test_acronym_and_full_name_of_a_listed_agency(orgs):
    found = orgs("Enligt SCB:s siffror ökar sysselsättningen. Statistiska centralbyrån publicerar mer i maj.")
    assert found == {"Statistiska centralbyrån": ["SCB"]}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Beslutet fattades av regeringen i går.", "Regeringen"),
        ("Regeringens satsning välkomnas.", "Regeringen"),
        ("Pengarna betalas ut av Tillväxtverket.", "Tillväxtverket"),
        ("Arbetsförmedlingens lokalkontor stänger.", "Arbetsförmedlingen"),
        ("I samarbete med polisen och Försäkringskassan.", "Polismyndigheten"),
        ("Boverket och Skolverket har granskat ansökan.", "Boverket"),
        ("Rapporten från Regeringskansliet kom i juni.", "Regeringskansliet"),
        ("SKR har tagit fram en vägledning.", "Sveriges Kommuner och Regioner"),
        ("Sveriges Allmännytta (tidigare SABO) samlar bostadsbolagen.", "Sveriges Allmännytta"),
        ("Brå:s statistik visar en minskning.", "Brottsförebyggande rådet"),
    ],
)
def test_gazetteer_names_aliases_and_genitives(orgs, text, name):
    assert name in orgs(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Forskare vid Karlstads universitet följer projektet.", "Karlstads universitet"),
        ("Studenter från Högskolan i Skövde deltar.", "Högskolan i Skövde"),
        ("Högskolan Väst och Luleå tekniska universitet samarbetar.", "Luleå tekniska universitet"),
        ("Utvärderingen görs av Mälardalens högskolas forskare.", "Mälardalens högskola"),
        ("Bygget utförs av Byggmästarna i Norr AB.", "Byggmästarna i Norr AB"),
        ("Ett avtal med Gävle Energi AB tecknades.", "Gävle Energi AB"),
        ("Fastigheterna ägs av Nordvik Fastigheter sedan i fjol.", "Nordvik Fastigheter"),
        ("Hyresgästerna i Sandvikenhus får nya balkonger.", "Sandvikenhus"),
        ("Stadens bolag Norrtäljebostäder bygger 200 lägenheter.", "Norrtäljebostäder"),
        ("Vattnet levereras av Gästrike Vatten.", "Gästrike Vatten"),
        ("Stiftelsen Solbacken delar ut stipendier.", "Stiftelsen Solbacken"),
        ("Träningen ordnas av Alby IF och IFK Norrköping.", "Alby IF"),
        ("Träningen ordnas av Alby IF och IFK Norrköping.", "IFK Norrköping"),
        ("Frågan drivs av Flemingsbergs företagarförening.", "Flemingsbergs företagarförening"),
        ("Rapporten kommer från Sjöfartsverket.", "Sjöfartsverket"),
        ("Region Västerbotten och Region Örebro län står för vården.", "Region Västerbotten"),
        ("Region Västerbotten och Region Örebro län står för vården.", "Region Örebro län"),
    ],
)
def test_organisations_found_by_pattern(orgs, text, name):
    assert name.casefold() in names_and_aliases(orgs(text))


def test_association_named_after_a_common_noun_head(orgs):
    found = orgs("Kvällarna bemannas av föreningen Nattvandrarna i Tierp.")
    assert found == {"Nattvandrarna i Tierp": ["Föreningen Nattvandrarna i Tierp"]}


def test_acronym_in_parentheses_becomes_an_alias_and_later_mentions_join(orgs):
    text = "Projektet drivs av Föreningen Unga Ledare (FUL). FUL har 300 medlemmar."
    found = orgs(text)
    assert len(found) == 1
    assert "ful" in names_and_aliases(found)


def test_company_form_of_a_listed_company_is_an_alias(orgs):
    found = orgs("Avtalet skrevs med Telgebostäder AB i mars.")
    assert found == {"Telgebostäder": ["Telgebostäder AB"]}


def test_county_board_in_every_spelling_and_a_later_bare_mention(orgs):
    text = "Länsstyrelsen i Jönköpings län fördelar pengarna. Enligt länsstyrelsen räcker de till tio projekt."
    found = orgs(text)
    assert list(found) == ["Länsstyrelsen i Jönköpings län"]
    assert "Länsstyrelsen Jönköping" in found["Länsstyrelsen i Jönköpings län"]


def test_bare_county_board_alone(orgs):
    assert list(orgs("Ansökan skickas till länsstyrelsen senast i maj.")) == ["Länsstyrelsen"]


@pytest.mark.parametrize(
    "text",
    [
        "Örebro kommun och Helsingborgs stad söker medel. Malmö stad deltar också.",
        "Region Gotland har ansökt om stöd.",
        "Socialdemokraterna och Moderaterna är överens i kommunstyrelsen.",
        "Kommunstyrelsen beslutade i går. Socialförvaltningen och kommunfullmäktige följer upp.",
        "Framtiden ser ljus ut för området. Nätverket möts varje månad.",
        "Hyresbostäder i området rustas. Läxhjälpen ska finnas på alla skolor.",
        "Jakobsgårdarna och Solhem är två bostadsområden.",
        "Enligt planen ska fler bostäder byggas.",
    ],
)
def test_no_false_organisations(orgs, text):
    assert orgs(text) == {}


def test_ordinary_word_names_are_not_organisations_before_a_name(orgs):
    found = orgs("Upprustningen görs av bostadsbolaget Familjebostäder tillsammans med Bostadsbolaget.")
    assert set(found) == {"Familjebostäder", "Göteborgs Stads Bostadsaktiebolag"} or set(found) == {
        "Familjebostäder",
        "Bostadsbolaget",
    }


def test_each_organisation_listed_once_at_its_first_mention(orgs):
    nlp = load()
    text = "Tillväxtverket beviljar medel. Senare betalar Tillväxtverket ut dem.\nFörsäkringskassan deltar."
    record = to_record(nlp(text))
    assert [o["name"] for o in record["organizations"]] == ["Tillväxtverket", "Försäkringskassan"]
    first = record["organizations"][0]
    assert text[first["start"] : first["end"]] == "Tillväxtverket"
    assert first["start"] == 0


def test_an_alias_given_late_belongs_to_the_organisation_from_its_first_mention(orgs):
    text = "Föreningen Framtidsbyggarna startade 2015. I dag har Föreningen Framtidsbyggarna (FFB) 40 medlemmar."
    found = orgs(text)
    assert len(found) == 1
    assert "ffb" in names_and_aliases(found)


def test_a_name_that_starts_a_sentence_with_an_ordinary_word(orgs):
    found = orgs("Högskolan i Jönköping tar fram en lägesbild. Kommunens idrottsförening startar i höst.")
    assert list(found) == ["Högskolan i Jönköping"]


def test_names_inside_addresses_are_not_mentions(orgs):
    text = "Mejla sara.rosen@regeringskansliet.se eller läs mer på Delmos.se och www.tillvaxtverket.se."
    assert orgs(text) == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Piteå Hem rustar upp 200 lägenheter.", "Piteå Hem"),
        ("Avtalet med Kiruna Hus skrevs i maj.", "Kiruna Hus"),
        ("Hyresgästerna hos Eskilstuna Kommunfastigheter får ny gård.", "Eskilstuna Kommunfastighet"),
        ("Lyckselebostäder och Boden Hem bygger nytt.", "Boden Hem"),
    ],
)
def test_a_housing_company_named_after_its_municipality(orgs, text, name):
    assert name in orgs(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jobben finns vid batterifabriken Northvolt i Skellefteå.", "Northvolt"),
        ("Kommunen har avtal med bolaget Nordic Grid AB om praktik.", "Nordic Grid AB"),
        ("Energibolaget Skellefteå Kraft erbjuder sommarjobb.", "Skellefteå Kraft"),
        ("Huset ägs av fastighetsbolaget Hemsö.", "Hemsö"),
    ],
)
def test_a_company_named_after_a_word_that_says_it_is_one(orgs, text, name):
    assert name in orgs(text)


def test_two_companies_in_a_list_stay_two(orgs):
    found = orgs("Med i projektet är Piteå Hem och Skövde Bostäder AB.")
    assert {"Piteå Hem", "Skövde Bostäder AB"} <= set(found)


@pytest.mark.parametrize("text", ["Välkommen till Mitt Hem i Borås.", "Det nya bolaget Anna startade i våras."])
def test_ordinary_phrases_after_company_words_are_no_companies(orgs, text):
    assert not {"Mitt Hem", "Anna"} & set(orgs(text))
