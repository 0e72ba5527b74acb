"""kp_money: the period, per-year flag, recipient, qualifier, status and tentativeness of each sum.

The municipalities are set up by the test (the spans and main municipality kp_municipalities
writes), so these tests pin down kp_money's own rules whatever the place finder decides.
"""

from __future__ import annotations

import re

import pytest

from nlp.pipeline import load

LUND, SKOVDE, VARBERG, ORSA = "1281", "1496", "1383", "2034"
PLACES = {"Lund": LUND, "Skövde": SKOVDE, "Varberg": VARBERG, "Orsa": ORSA}


@pytest.fixture(scope="module")
def nlp():
    return load()


@pytest.fixture(scope="module")
def money(nlp):
    def run(text: str, *, main: str | None = None, published: str | None = None) -> list[dict]:
        doc = nlp.make_doc(text)
        doc._.published_hint = published
        for name in ("kp_sentences", "lemmatizer", "kp_dates"):
            doc = nlp.get_pipe(name)(doc)
        places = []
        for name, code in PLACES.items():
            for m in re.finditer(rf"\b{name}s?\b", text):
                span = doc.char_span(m.start(), m.end(), label="PLACE")
                span._.kp = {"code": code}
                places.append(span)
        doc.spans["municipalities"] = places
        doc._.municipality = main
        doc = nlp.get_pipe("kp_money")(doc)
        return [{"text": s.text, **s._.kp} for s in doc.spans["money"]]

    return run


def pick(found: dict, keys: str) -> dict:
    return {k: found[k] for k in keys.split()}


# --- per year ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "per_year"),
    [
        ("Lund får 4 miljoner kronor per år till fältarbete.", True),
        ("Bidraget är 900 000 kronor årligen.", True),
        ("Föreningen får 20 000 kr/år.", True),
        ("Varje år betalas 2 miljoner kronor ut.", True),
        ("Staden kan få 30 miljoner kronor om året.", True),
        ("Lund får totalt 4 miljoner kronor för hela perioden.", False),
        ("Medianinkomsten var 198 000 kronor per år, jämfört med 389 000 kronor i hela landet.", True),
    ],
)
def test_per_year(money, text, per_year):
    assert money(text)[-1]["per_year"] is per_year


def test_per_year_stays_with_its_own_clause(money):
    found = money("Skövde får 3 miljoner kronor för 2020 och 5 miljoner kronor årligen därefter.")
    assert [f["per_year"] for f in found] == [False, True]


# --- period ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "period"),
    [
        ("Lund kan söka 3,2 miljoner kronor för 2021.", None, (2021, 2021)),
        ("Under 2019–2021 får Skövde 12 miljoner kronor.", None, (2019, 2021)),
        ("Varberg får 2 miljoner kronor per år mellan 2020 och 2023.", None, (2020, 2023)),
        ("Från 2022 till 2025 satsas 40 miljoner kronor på skolan.", None, (2022, 2025)),
        ("Orsa kan få upp till 1 miljon kronor om året fram till 2030.", None, (None, 2030)),
        ("Från och med 2024 får föreningen 300 000 kronor per år.", None, (2024, None)),
        ("I år får Lund 7 miljoner kronor.", "2021-04-02", (2021, 2021)),
        ("Nästa år räknar Skövde med 9 miljoner kronor.", "2021-04-02", (2022, 2022)),
        ("I fjol fick Varberg 4 miljoner kronor.", "2021-04-02", (2020, 2020)),
        ("Förra året fick Varberg 4 miljoner kronor.", "2021-04-02", (2020, 2020)),
        ("Under de kommande två åren satsas 8 miljoner kronor.", "2021-04-02", (2021, 2022)),
        ("Under de senaste tre åren har Lund fått 18 miljoner kronor.", "2021-04-02", (2019, 2021)),
        ("I år får Lund 7 miljoner kronor.", None, (None, None)),  # no publication date: unknown
    ],
)
def test_period(money, text, published, period):
    found = money(text, published=published)[-1]
    assert (found["year_start"], found["year_end"]) == period


def test_dateline_years_and_relative_years_resolve_against_the_stated_publication_date(money):
    found = money("Publicerad 3 mars 2022\n\nI år får Lund 7 miljoner kronor och nästa år 8 miljoner kronor.")
    assert [(f["year_start"], f["year_end"]) for f in found] == [(2022, 2022), (2023, 2023)]


def test_therafter_follows_the_year_before_it(money):
    found = money("Skövde får 3 miljoner kronor 2020 och därefter 5 miljoner kronor per år till och med 2027.")
    assert [(f["year_start"], f["year_end"]) for f in found] == [(2020, 2020), (2021, 2027)]


def test_a_year_in_an_earlier_clause_applies_but_not_one_after_men(money):
    found = money(
        "Stödet betalas ut till och med 2029, och Orsa kan få högst 2 miljoner kronor per år. "
        "Som första utbetalning får Orsa 500 000 kronor men beloppet kan växa fram till 2029."
    )
    assert [(f["year_start"], f["year_end"]) for f in found] == [(None, 2029), (None, None)]


def test_a_year_of_the_sentence_before_sets_the_scene(money):
    found = money("Budgeten för 2023 presenterades i dag. Den omfattar 4,1 miljarder kronor.", main=LUND)
    assert (found[0]["year_start"], found[0]["year_end"]) == (2023, 2023)


def test_a_follow_up_keeps_talking_about_the_year_of_its_grant(money):
    found = money(
        "Förra året fick Lund 20 miljoner kronor i statsbidrag.\n\n"
        "Fritidsgårdarna fick 4 miljoner kronor till längre öppettider.\n\n"
        "Ytterligare 2 miljoner kronor användes till sommarjobb.",
        main=LUND,
        published="2022-02-10",
    )
    assert [(f["year_start"], f["year_end"]) for f in found] == [(2021, 2021)] * 3


def test_a_headline_takes_the_period_its_body_gives(money):
    found = money("Skövde beviljas 6 miljoner kronor\n\nSkövde har beviljats 6 miljoner kronor per år för 2020–2022.")
    assert [(f["year_start"], f["per_year"], f["status"]) for f in found] == [(2020, True, "granted")] * 2


def test_a_stated_period_that_cannot_be_resolved_is_unknown_not_borrowed(money):
    found = money("Lund får 4 miljoner kronor för 2019. Nästa år väntas Lund få 6 miljoner kronor.")
    assert [(f["year_start"], f["year_end"]) for f in found] == [(2019, 2019), (None, None)]


# --- recipient ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "main", "recipient"),
    [
        ("Lund kan söka 3 miljoner kronor.", None, LUND),
        ("För Skövdes del handlar det om 4 miljoner kronor.", None, SKOVDE),
        ("Bidraget blir 4 miljoner kronor för Varbergs del.", None, VARBERG),
        ("Totalt kan kommunerna söka 300 miljoner kronor.", LUND, "national"),
        ("Vi har fått 800 000 kronor till en kartläggning.", ORSA, ORSA),
        ("Kommunen lägger 2 miljoner kronor av egna pengar på belysning.", VARBERG, VARBERG),
        ("Regeringen avsätter 2,5 miljarder kronor per år till reformen.", SKOVDE, "national"),
        ("Skolan får 1 miljon kronor till läxhjälp.", SKOVDE, SKOVDE),
        ("Skolan får 1 miljon kronor till läxhjälp.", None, "national"),
        ("Varje förening kan få upp till 40 000 kronor.", ORSA, None),
        ("Av bidraget går 300 000 kronor till idrottsföreningar och studieförbund.", ORSA, None),
    ],
)
def test_recipient(money, text, main, recipient):
    assert money(text, main=main)[-1]["recipient"] == recipient


def test_each_municipality_goes_to_the_sum_nearest_to_it(money):
    found = money("Den största summan, 12 miljoner kronor, går till Lund och den minsta, 1 miljon kronor, till Orsa.")
    assert [f["recipient"] for f in found] == [LUND, ORSA]


def test_a_list_under_a_heading_names_its_recipients(money):
    found = money("Så mycket kan kommunerna söka för 2022:\nLund: 3 miljoner kronor\nSkövde: 2,5 miljoner kronor")
    assert [pick(f, "recipient status year_start") for f in found] == [
        {"recipient": LUND, "status": "eligible", "year_start": 2022},
        {"recipient": SKOVDE, "status": "eligible", "year_start": 2022},
    ]


def test_a_list_set_off_by_a_blank_line_keeps_its_heading(money):
    found = money("I länet kan två kommuner söka totalt 5 miljoner kronor för 2018:\n\n• Lund 3 mnkr\n• Orsa 2 mnkr")
    assert [pick(f, "recipient status year_start") for f in found[1:]] == [
        {"recipient": LUND, "status": "eligible", "year_start": 2018},
        {"recipient": ORSA, "status": "eligible", "year_start": 2018},
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Så mycket får kommunerna 2021: Lund: 3 miljoner kronor Skövde: 2,5 miljoner kronor Orsa: 1 miljon kronor",
        "Fördelning 2021, kommunerna får: Lund 3 miljoner kronor Skövde 2,5 miljoner kronor Orsa 1 miljon kronor",
        "Kommunerna får för 2021: Lund – 3 miljoner kronor, Skövde – 2,5 miljoner kronor, Orsa – 1 miljon kronor.",
    ],
)
def test_a_list_run_in_on_one_line_gives_each_sum_the_name_before_it(money, text):
    found = money(text)
    assert [pick(f, "recipient status year_start") for f in found] == [
        {"recipient": code, "status": "granted", "year_start": 2021} for code in (LUND, SKOVDE, ORSA)
    ]


def test_a_name_after_a_sum_is_still_its_recipient_when_it_labels_nothing(money):
    found = money("Pengarna, 3 miljoner kronor, går till Lund.")
    assert found[0]["recipient"] == LUND


def test_a_budget_without_a_named_owner_is_the_releasing_municipality(money):
    found = money("Budget 2022\n\nTotalt omsluter budgeten 7,4 miljarder kronor.", main=SKOVDE)
    assert pick(found[0], "recipient status") == {"recipient": SKOVDE, "status": "allocated"}


def test_a_part_of_a_sum_belongs_to_the_same_owner_and_decision(money):
    found = money(
        "Fullmäktige har antagit budgeten: 900 miljoner kronor för 2024. "
        "Av den totala summan går 120 miljoner kronor till skolgårdar.",
        main=LUND,
    )
    assert pick(found[1], "recipient status year_start year_end") == {
        "recipient": LUND,
        "status": "allocated",
        "year_start": 2024,
        "year_end": 2024,
    }


@pytest.mark.parametrize(
    "spent",
    [
        "Av pengarna gick 1 miljon kronor till feriejobb.",
        "Av bidraget har 1 miljon kronor gått till läxhjälp.",
        "Av dem användes 1 miljon kronor till fältassistenter.",
    ],
)
def test_a_share_reported_as_spent_keeps_owner_and_period_but_is_no_grant(money, spent):
    found = money(f"Lund fick 3 miljoner kronor för 2020. {spent}", main=LUND)
    assert pick(found[1], "recipient status year_start year_end") == {
        "recipient": LUND,
        "status": None,
        "year_start": 2020,
        "year_end": 2020,
    }


def test_a_share_that_goes_to_a_municipality_is_handed_over_not_spent(money):
    found = money("Totalt har 40 miljoner kronor beviljats. Den största summan, 12 miljoner kronor, gick till Lund.")
    assert pick(found[1], "recipient status") == {"recipient": LUND, "status": "granted"}


@pytest.mark.parametrize(
    "text",
    [
        "Av bidraget avsätter kommunen 300 000 kronor till en pott för idrottsföreningar.",
        "Kommunen avsätter 300 000 kronor av bidraget till en föreningspott.",
        "Staden lägger 300 000 kronor till stöd för ideella organisationer.",
    ],
)
def test_a_sum_passed_on_to_associations_has_no_municipal_recipient(money, text):
    found = money("Lund fick 3 miljoner kronor för 2020. " + text, main=LUND)
    assert pick(found[1], "recipient status year_start") == {
        "recipient": None,
        "status": "allocated",
        "year_start": 2020,
    }


@pytest.mark.parametrize(
    "text",
    [
        "Utöver statsbidraget avsätter kommunen själv 2 miljoner kronor till arbetet.",
        "Kommunen har också avsatt 2 miljoner kronor av egna medel till sommarjobb.",
        "Dessutom satsar staden 2 miljoner kronor i egna pengar på belysning.",
    ],
)
def test_the_municipalitys_own_money_is_its_own_and_not_the_grants_year(money, text):
    found = money("Skövde har beviljats 5 miljoner kronor för 2021. " + text, main=SKOVDE)
    assert pick(found[1], "recipient status year_start year_end") == {
        "recipient": SKOVDE,
        "status": "allocated",
        "year_start": None,
        "year_end": None,
    }


# --- qualifier ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Lund får cirka 3 miljoner kronor.", "approx"),
        ("Lund får ca 3 miljoner kronor.", "approx"),
        ("Lund får drygt 3 miljoner kronor.", "approx"),
        ("Lund får knappt 3 miljoner kronor.", "approx"),
        ("Lund får närmare 3 miljoner kronor.", "approx"),
        ("Lund kan få upp till 3 miljoner kronor.", "at_most"),
        ("Lund kan få högst 3 miljoner kronor.", "at_most"),
        ("Som mest kan Lund få 3 miljoner kronor.", "at_most"),
        ("Lund får minst 3 miljoner kronor.", "at_least"),
        ("Lund får mer än 3 miljoner kronor.", "at_least"),
        ("Lund får 3 miljoner kronor under 2022.", "exact"),
    ],
)
def test_qualifier(money, text, qualifier):
    assert money(text)[-1]["qualifier"] == qualifier


# --- status ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Skövde kan söka 3 miljoner kronor.", "eligible"),
        ("Skövde får möjlighet att ansöka om 3 miljoner kronor.", "eligible"),
        ("För 2020 kan Skövdes kommun söka 3 miljoner kronor.", "eligible"),
        ("Utlysningen omfattar 3 miljoner kronor.", "eligible"),
        ("Skövde har beviljats 3 miljoner kronor.", "granted"),
        ("Skövde fick 3 miljoner kronor i fjol.", "granted"),
        ("Under 2021 betalades 3 miljoner kronor ut till Skövde.", "granted"),
        ("Delmos har beviljat Skövdes ansökan om 3 miljoner kronor.", "granted"),
        ("Regeringen avsätter 300 miljoner kronor till reformen.", "allocated"),
        ("I budgeten satsas 3 miljoner kronor på läxhjälp.", "allocated"),
        ("Snöröjningsbudgeten är 3 miljoner kronor.", "allocated"),
        ("Dessutom skjuter kommunen till 3 miljoner kronor.", "allocated"),
        ("Skövde har ansökt om 3 miljoner kronor.", None),
        ("Skövde söker 3 miljoner kronor för 2023.", None),
        ("Kommunen har lämnat in en ansökan på 3 miljoner kronor.", None),
        ("Under 2021 tog Skövde kommun emot 3 miljoner kronor.", "granted"),
        ("Skövde vill förbättra skolan med 3 miljoner kronor.", None),
    ],
)
def test_status(money, text, status):
    assert money(text)[-1]["status"] == status


def test_status_stays_in_the_clause_that_says_it(money):
    found = money("Stödet betalas ut till och med 2027, och som mest kan Orsa få 2 miljoner kronor om året.")
    assert found[0]["status"] == "eligible"


def test_a_sentence_that_only_restates_an_offer_keeps_its_status(money):
    found = money("Fem kommuner får möjlighet att söka bidraget. Sammanlagt handlar det om 40 miljoner kronor.")
    assert found[0]["status"] == "eligible"


# --- tentative ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tentative"),
    [
        ("Beloppet är preliminärt 3 miljoner kronor.", True),
        ("För 2023 beräknas Lund få 3 miljoner kronor.", True),
        ("Eventuellt tillkommer 3 miljoner kronor.", True),
        ("Ramen kan komma att ändras, men i dag rör det sig om 3 miljoner kronor.", True),
        ("Regeringen föreslår att 3 miljarder kronor avsätts.", True),
        ("Lund räknar med att få 3 miljoner kronor nästa år.", True),
        ("Om bidraget uteblir förlorar Lund 3 miljoner kronor.", True),
        ("Lund har ansökt om 3 miljoner kronor.", True),
        ("Lund söker 3 miljoner kronor ur statsbidraget.", True),
        ("Kommunen vill ha 3 miljoner kronor till fältarbete.", True),
        ("Ansökan på 3 miljoner kronor lämnades in i mars.", True),
        ("Kommuner som söker kan få upp till 3 miljoner kronor.", False),
        ("Lund har beviljats 3 miljoner kronor.", False),
        ("Delmos har beviljat Lunds ansökan om 3 miljoner kronor.", False),
        ("Lund får 3 miljoner kronor nu men det kan bli mer senare.", False),
    ],
)
def test_tentative(money, text, tentative):
    assert money(text)[-1]["tentative"] is tentative


def test_figures_called_preliminary_in_the_next_sentence_are_tentative(money):
    found = money("Lund får 3 miljoner kronor och Skövde 2 miljoner kronor. Beloppen är preliminära.")
    assert [f["tentative"] for f in found] == [True, True]


def test_a_remark_after_a_list_makes_the_whole_list_tentative(money):
    found = money(
        "Fördelningen per kommun:\nLund: 3 miljoner kronor\nSkövde: 2 miljoner kronor\n\n"
        "Siffrorna är preliminära tills riksdagen har beslutat."
    )
    assert [f["tentative"] for f in found] == [True, True]


@pytest.mark.parametrize("remark", ["Beslut väntas i juni.", "Besked om bidraget väntas före sommaren."])
def test_a_decision_still_to_come_makes_the_undecided_sums_before_it_tentative(money, remark):
    found = money(f"Lund fick 2 miljoner kronor i fjol. Nu vill kommunen ha 3 miljoner kronor. {remark}")
    assert [pick(f, "status tentative") for f in found] == [
        {"status": "granted", "tentative": False},
        {"status": None, "tentative": True},
    ]


def test_an_application_for_a_sum_stated_as_offered_is_not_uncertain(money):
    found = money("Lund söker 3 miljoner kronor\n\nEnligt fördelningen kan Lund söka 3 miljoner kronor för 2020.")
    assert [f["tentative"] for f in found] == [False, False]


def test_a_later_sentence_about_future_growth_leaves_the_sum_firm(money):
    found = money("Skövde kan söka 3 miljoner kronor för 2019. Stödet gäller i tio år, och beloppet väntas öka.")
    assert found[0]["tentative"] is False


def test_a_proposal_in_the_lead_makes_the_release_tentative(money):
    found = money(
        "Majoriteten presenterar i dag sitt förslag till budget för 2024.\n\n"
        "Skolan får 40 miljoner kronor extra. Dessutom satsas 5 miljoner kronor på fritidsgårdar.",
        main=VARBERG,
    )
    assert [pick(f, "tentative year_start recipient") for f in found] == [
        {"tentative": True, "year_start": 2024, "recipient": VARBERG}
    ] * 2


@pytest.mark.parametrize(
    "text, period",
    [
        ("Nu får Lund 2 miljoner kronor till sommarjobb.", (2022, 2022)),
        ("Redan nu får kommunen 3 miljoner kronor för fältassistenter.", (2022, 2022)),
        ("Kommunen har nu fått 4 miljoner kronor.", (2022, 2022)),
        ("Från och med nu får Lund 5 miljoner kronor per år.", (2022, None)),
        ("Redan nu och fram till 2027 får Lund 5 miljoner kronor per år.", (2022, 2027)),
        ("Nu får Lund 5 miljoner kronor för 2024.", (2024, 2024)),  # a stated year wins
        ("Kommunen fick 4 miljoner kronor 2019 och nu får den 6 miljoner kronor.", (2022, 2022)),
        ("Fram till nu har kommunen fått 40 miljoner kronor.", (None, None)),  # a tally, no period
    ],
)
def test_now_is_the_publication_year_when_the_sum_states_no_other(money, text, period):
    found = money("Inledning.\n\n" + text, main=LUND, published="2022-03-03")[-1]
    assert (found["year_start"], found["year_end"]) == period


def test_now_without_a_publication_date_is_unknown_and_another_sentences_now_is_not_the_sums(money):
    assert money("Nu får Lund 2 miljoner kronor.", main=LUND)[0]["year_start"] is None
    found = money(
        "Inledning.\n\nNu kan föreningar söka bidrag. Varje förening kan få 50 000 kronor.", published="2022-03-03"
    )
    assert (found[0]["year_start"], found[0]["year_end"]) == (None, None)


@pytest.mark.parametrize(
    "text, periods",
    [
        ("De 20 miljoner kronor som aviserades i fjol betalas nu ut.", [(2021, 2021)]),
        ("Nu betalas de 15 miljoner kronor ut som regeringen lovade förra året.", [(2021, 2021)]),
        ("Kommunen får 6 miljoner kronor, pengar som regeringen beslutade om förra året.", [(2021, 2021)]),
        (
            "Utöver de 20 miljoner kronor som aviserades i fjol får Lund nu 5 miljoner kronor.",
            [(2021, 2021), (2022, 2022)],
        ),
        (
            "Lund får 5 miljoner kronor i år utöver de 2 miljoner kronor som beviljades förra året.",
            [(2022, 2022), (2021, 2021)],
        ),
    ],
)
def test_a_year_in_a_relative_clause_is_the_year_of_the_sum_it_describes(money, text, periods):
    found = money("Inledning.\n\n" + text, main=LUND, published="2022-03-03")
    assert [(f["year_start"], f["year_end"]) for f in found] == periods
