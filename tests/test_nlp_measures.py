"""kp_measures: the areas of the measures a text names, told apart from descriptions of the problem.

Sentences are our own, written to vary the phrasing of press releases (not taken from the
seeds or the gold documents), so these tests check rules, not memorised sentences.
"""

from __future__ import annotations

import pytest

from nlp.analyze import analyze
from nlp.pipeline import load


@pytest.fixture(scope="module")
def nlp():
    return load()


def categories(nlp, text: str) -> list[str]:
    return analyze(text, nlp=nlp)["categories"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # measures: a cue governs the area word
        ("Pengarna ska användas till insatser för ökad sysselsättning.", ["arbete"]),
        ("Kommunen vill minska arbetslösheten och höja skolresultaten i Hageby.", ["arbete", "utbildning"]),
        ("Bidraget ska gå till att stärka föreningslivet och öka valdeltagandet.", ["demokrati"]),
        ("Staden satsar fyra miljoner på fler mötesplatser för unga.", ["fritid"]),
        ("Vi ska minska den höga arbetslösheten bland unga vuxna.", ["arbete"]),
        ("Den största delen av medlen gick till upprustning av utemiljöer.", ["boende"]),
        ("Åtgärder som bryter bostadssegregationen prioriteras.", ["boende"]),
        ("Fokus ligger på tidiga insatser för barn och unga.", ["barn_unga"]),
        ("Kommunen startar ett program för föräldrastöd och ett språkcafé.", ["barn_unga", "utbildning"]),
        ("Vi satsar på folkhälsan i våra bostadsområden.", ["halsa"]),
        ("Målet är att fler ska komma ut på arbetsmarknaden.", ["arbete"]),
        # measures named by themselves, in any inflection and compound
        ("Trygghetskamerorna sattes upp i centrum i våras.", ["trygghet"]),
        ("Kartläggningen blir klar i december.", ["kunskap"]),
        ("Forskare vid högskolan utvärderar arbetet.", ["kunskap"]),
        ("Under sommaren erbjöds läxhjälp, fritidsaktiviteter och familjestöd.", ["utbildning", "fritid", "barn_unga"]),
        ("Nattvandrarna och fältassistenterna är ute varje helg.", ["trygghet"]),
        # descriptions of the problem are not measures
        ("Området har hög arbetslöshet och låg utbildningsnivå.", []),
        ("Brottsligheten har ökat kraftigt de senaste åren.", []),
        ("Skolresultaten skiljer sig åt mellan stadsdelarna.", []),
        ("Stadsdelen präglas av trångboddhet, otrygghet och kriminalitet.", []),
        ("Här är valdeltagandet lågt och många saknar arbete.", []),
        ("Oppositionen menar att budgeten saknar satsningar på bostäder.", []),
        ("Kommunerna valdes ut utifrån andelen arbetslösa och utbildningsnivån.", []),
        ("Brottsligheten i området har ökat och många känner sig otrygga.", []),
        ("Trots satsningarna är arbetslösheten fortfarande hög.", []),
        ("Verktyget bygger på statistik om inkomster och sysselsättning.", []),
        ("Tillväxtverket följer upp hur pengarna används.", []),
        # ... but a development the measures brought about is named as their area
        ("Insatserna har ökat tryggheten i centrum.", ["trygghet"]),
        ("Deltagarna får praktik och studievägledning.", ["arbete", "utbildning"]),
        # names, titles, offices and venues are not areas
        ("Anna Svensson är folkhälsostrateg och Per Ek arbetsmarknadschef.", []),
        ("Pengarna gick till Brottsförebyggande rådet och Familjebostäder.", []),
        ("Ett jobb att gå till är viktigt, säger hon.", []),
        ("Vi satsar på läxhjälp som hålls på biblioteket.", ["utbildning"]),
        ("Kommunen bygger ett nytt bibliotek i Tensta.", ["fritid"]),
        ("Kommunen erbjuder platser inom äldreomsorg, förskola och parkförvaltning.", []),
        ("Det ska vara enkelt att söka, säger hon.", []),
    ],
)
def test_measure_or_problem(nlp, text, expected):
    assert categories(nlp, text) == expected


def test_categories_in_order_of_first_appearance(nlp):
    text = (
        "Satsningen ska öka tryggheten i Skäggetorp.\n\n"
        "Dessutom går två miljoner till läxhjälp och en miljon till ökad trygghet och sommarjobb."
    )
    assert categories(nlp, text) == ["trygghet", "utbildning", "arbete"]


def test_a_problem_and_a_measure_in_one_text(nlp):
    text = (
        "Hässleby kännetecknas av hög arbetslöshet och lågt valdeltagande.\n\n"
        "Därför satsar kommunen nu på insatser för ökad sysselsättning."
    )
    record = analyze(text, nlp=nlp)
    assert record["categories"] == ["arbete"]
    [measure] = record["measures"]
    assert measure["category"] == "arbete"
    assert measure["sentence"] == 1
    assert text[measure["start"] : measure["end"]] == measure["text"]
    assert "sysselsättning" in measure["text"]


def test_measure_span_starts_at_its_cue(nlp):
    text = "Pengarna går till insatser för ökad trygghet."
    [measure] = analyze(text, nlp=nlp)["measures"]
    assert measure["text"] == "insatser för ökad trygghet"


def test_generic_list_of_what_money_may_be_used_for_counts(nlp):
    text = (
        "Bidraget kan användas till exempelvis insatser för ökad trygghet, brottsförebyggande arbete, "
        "satsningar på utbildning, ökad sysselsättning och att stärka det civila samhället."
    )
    assert categories(nlp, text) == ["trygghet", "utbildning", "arbete", "demokrati"]


def test_about_us_boilerplate_is_not_a_measure(nlp):
    text = (
        "Ny mötesplats i Navestad\n\nKommunen öppnar en mötesplats för unga.\n\n"
        "Om Katrineholms kommun\nKommunen erbjuder förskola, skola och äldreomsorg till 34 000 invånare.\n"
    )
    assert categories(nlp, text) == ["fritid"]


def test_no_sentences_still_works(nlp):
    """A user's pipeline without kp_sentences: the whole text is one sentence."""
    doc = nlp.make_doc("Kommunen satsar på läxhjälp.")
    doc = nlp.get_pipe("lemmatizer")(doc)
    doc = nlp.get_pipe("kp_measures")(doc)
    assert doc._.categories == ["utbildning"]


def test_empty_text(nlp):
    assert categories(nlp, "") == []


@pytest.mark.parametrize(
    "text",
    [
        "Kommunen bygger en ny simhall i stadsdelen.",
        "Pengarna går till en ny idrottshall och längre öppettider på fritidsgården.",
        "Kommunen ger stöd till idrottsföreningar som erbjuder spontanidrott på kvällarna.",
        "Under sommarlovet ordnas gratis lovaktiviteter för barn i årskurs 4–6.",
        "Satsningen omfattar sommarlovsaktiviteter och ett nytt ungdomens hus.",
    ],
)
def test_leisure_venues_and_activities_in_a_measure_are_fritid(nlp, text):
    assert "fritid" in categories(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Det saknas en simhall i området och många barn kan inte simma.",
        "Fritidsgården stängde förra året.",
        "Idrottshallen är sliten och fritidsgården har stängt.",
    ],
)
def test_a_missing_closed_or_worn_venue_is_the_problem_not_a_measure(nlp, text):
    assert "fritid" not in categories(nlp, text)


def test_a_council_vote_is_no_democracy_measure_but_getting_more_people_to_vote_is(nlp):
    assert "demokrati" not in categories(nlp, "Oppositionen röstade för sitt eget budgetförslag.")
    assert "demokrati" in categories(nlp, "Kampanjen ska få fler att rösta i valet.")


def test_one_phrase_naming_two_areas_is_a_measure_of_each(nlp):
    # both measures cover the same words; spaCy keeps span._ by character offsets, so a
    # category read from there would come out as the last area twice
    text = "Satsningen gäller främst arbete och utbildning för unga vuxna."
    record = analyze(text, nlp=nlp)
    same_words = [m for m in record["measures"] if m["text"] == record["measures"][0]["text"]]
    assert sorted(m["category"] for m in same_words) == ["arbete", "utbildning"]
    assert record["categories"] == ["arbete", "utbildning"]
