"""kp_municipalities: which municipalities a text names, and which one it is from or about.

The sentences are our own and vary what releases write: inflected names, names in titles,
names that are also words or surnames, counties, regions, postal addresses and city districts.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from spacy.lookups import load_lookups

from nlp import gazetteer
from nlp.analyze import analyze
from nlp.components.municipalities import Rules
from nlp.pipeline import load


@pytest.fixture(scope="module")
def nlp():
    return load()


def codes(nlp, text: str, hint: str | None = None) -> list[str]:
    return analyze(text, nlp=nlp, municipality=hint)["municipalities"]


def main(nlp, text: str, hint: str | None = None) -> str | None:
    return analyze(text, nlp=nlp, municipality=hint)["municipality"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Örebro får 13 miljoner.", ["1880"]),
        ("För Örebros del blir det mer.", ["1880"]),
        ("Örebro kommun och Helsingborgs stad", ["1880", "1283"]),
        ("Göteborgs Stad beslutade i går.", ["1480"]),
        ("Katrineholms kommuns ordförande", ["0483"]),
        ("Borås Stad och Malmö stad", ["1490", "1280"]),
        ("Region Gotland satsar.", ["0980"]),
        ("Upplands-Bro och Upplands Väsby samarbetar.", ["0139", "0114"]),
        ("Upplands-Väsby kommun", ["0114"]),
        ("Malung-Sälens kommun", ["2023"]),
        ("– Det är bra, säger Anna Nilsson (S), kommunalråd i Umeå.", ["2480"]),
        ("Örebro-modellen sprids nu.", ["1880"]),
        ("helsingborg kullagatan", ["1283"]),  # a lower-case breadcrumb
    ],
)
def test_name_forms(nlp, text, expected):
    assert codes(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # words
        ("Det ska vara enkelt att söka.", []),
        ("Kommunen har köpt mark för bostäder.", []),
        ("Det finns inget berg som är för högt.", []),
        ("Cykeln står i boden.", []),
        ("Vara med och bestäm!", []),
        # people
        ("– Vi är glada, säger Eva Lund, enhetschef.", []),
        ("Kommunalrådet Emil Berg (S) är nöjd.", []),
        ("Projektledare är Mark Andersson.", []),
        ("Kontakt: Nora Ahmed, projektledare", []),
        ("– Trygghet är viktigt, säger Salem Yusuf.", []),
        ("Lena Falkenberg (M) och Per Varberg (C) röstade nej.", []),
        ("Anna Lund är ny chef. Lund började i maj.", []),
        # counties, regions, dioceses, postal towns
        ("Fem kommuner i Stockholms län får pengar.", []),
        ("Region Stockholm och Region Örebro län", []),
        ("Länsstyrelsen i Stockholm har granskat ansökan.", []),
        ("Kommuner i Örebro och Västmanlands län", []),
        ("Sveriges Allmännytta, Box 474, 101 29 Stockholm", []),
        ("Göteborgs stift", []),
        # districts, streets and other places
        ("Pengarna går till stadsdelarna Hässleholmen, Norrby och Sjöbo.", []),
        ("Satsningen gäller Hässleholmen, Norrby och Sjöbo.", []),
        ("Myndigheten finns på Campus Flemingsberg vid Södertörns högskola.", []),
        ("Vattenläcka på Kullagatan och Stockholmsvägen", []),
    ],
)
def test_false_hits(nlp, text, expected):
    assert codes(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kommunalrådet i Vara välkomnar beslutet.", ["1470"]),
        ("Vara kommun söker sommarjobbare.", ["1470"]),
        ("Vara, Skara och Lidköping delar på pengarna.", ["1470", "1495", "1494"]),
        ("Mindre kommuner som Vara, Ale och Ljusnarsberg får söka.", ["1470", "1440", "1864"]),
        ("Forskare vid Lunds universitet", ["1281"]),
        ("Projektet i Lund har fått pengar.", ["1281"]),
        ("grannkommunen Mark", ["1463"]),
        ("Bodens kommun och Marks kommun", ["2582", "1463"]),
        ("En konferens i Åre och en i Boden", ["2321", "2582"]),
        ("Kommunerna Berg och Härjedalen samarbetar.", ["2326", "2361"]),
        # an accepted mention makes later bare mentions of the place count, not the word
        ("Lunds kommun växer. Många vill bo i Lund. Satsningen i Lund fortsätter.", ["1281"]),
    ],
)
def test_ambiguous_names_with_evidence(nlp, text, expected):
    assert codes(nlp, text) == expected


def test_surname_mentions_are_not_spans(nlp):
    """The person's later bare surname is not a municipality mention either."""
    record = analyze("Lunds kommun anställer Eva Lund. – Det blir bra, säger Lund.", nlp=nlp)
    assert [m["text"] for m in record["municipality_mentions"]] == ["Lunds kommun"]


def test_mentions_carry_offsets_and_codes(nlp):
    text = "Rubrik\n\nPengarna går till Örebro kommun och till Malmö."
    mentions = analyze(text, nlp=nlp)["municipality_mentions"]
    assert [(m["code"], m["text"], m["sentence"]) for m in mentions] == [
        ("1880", "Örebro kommun", 1),
        ("1280", "Malmö", 1),
    ]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in mentions)


# --- the main municipality ---------------------------------------------------------------


def test_main_is_the_sender(nlp):
    text = (
        "Malmö stad\nNyheter\n\nNya mötesplatser i Rosengård\n\n"
        "Staden öppnar två nya mötesplatser. Arbetet sker tillsammans med grannkommunen Lund "
        "och med Lunds universitet.\n"
    )
    assert main(nlp, text) == "1280"


def test_main_from_a_newsroom_footer(nlp):
    text = (
        "Läxhjälp i Näverkärret\n\nKommunen startar läxhjälp på biblioteket.\n\n"
        "Kontakt\nAnna Ek, samordnare\nanna.ek@katrineholm.se\n\nAvsändare: Katrineholms kommun\n"
    )
    assert main(nlp, text) == "0483"


def test_main_from_an_email_domain_alone(nlp):
    text = "Nytt bibliotek öppnar\n\nBiblioteket öppnar i maj.\n\nKontakt: per.holm@uddevalla.se\n"
    assert main(nlp, text) == "1485"


def test_main_from_a_newspaper_dateline(nlp):
    text = (
        "Skolan i Gottsunda lyfter\n\n"
        "UPPSALA. Andelen behöriga elever har ökat på tre år. Kommunen har satsat på läxhjälp, "
        "och resultaten är nu i nivå med dem i Västerås och Örebro.\n"
    )
    assert main(nlp, text) == "0380"


def test_government_release_listing_several_is_national(nlp):
    text = (
        "Pressmeddelande från Kulturdepartementet\n\n"
        "Tre kommuner i Östergötland får söka bidraget\n\n"
        "Linköpings kommun kan söka 19 miljoner, Norrköpings kommun 16 miljoner och Motala kommun "
        "5 miljoner kronor.\n"
    )
    assert main(nlp, text) is None
    assert codes(nlp, text) == ["0580", "0581", "0583"]


def test_agency_release_naming_one_municipality_in_passing_is_national(nlp):
    text = (
        "Tillväxtverket\nNyheter\n\nAlla kommuner har fått besked\n\n"
        "Tillväxtverket har beviljat bidrag till 32 kommuner. Den största summan går till Göteborg.\n"
    )
    assert main(nlp, text) is None


def test_government_release_about_one_municipality(nlp):
    text = (
        "Pressmeddelande från Kulturdepartementet\n\n6,9 miljoner till Filipstad\n\n"
        "Filipstad är den enda kommunen i Värmlands län som får söka. Filipstads kommun kan söka "
        "6,9 miljoner kronor.\n"
    )
    assert main(nlp, text) == "1782"


def test_article_about_two_municipalities_equally_has_no_main(nlp):
    text = (
        "Gävle och Sandviken delar på pengarna\n\n"
        "Gävle kommun får 18 miljoner och Sandvikens kommun 8 miljoner. "
        "I Gävle gäller det Sätra, i Sandviken Björksätra.\n"
    )
    assert main(nlp, text) is None


def test_crawler_source_is_a_prior(nlp):
    text = "Staden satsar på trygghet\n\nFler fältassistenter anställs i år.\n"
    assert main(nlp, text) is None
    assert main(nlp, text, hint="0180") == "0180"
    # but a text clearly about another municipality wins over the source
    about_solna = "Solna satsar\n\nSolna stad anställer fler fältassistenter i Solna centrum.\n"
    assert main(nlp, about_solna, hint="0180") == "0184"


def test_hint_confirms_a_bare_ambiguous_name(nlp):
    text = "Projektet startar i höst, och nu har Mark anställt två samordnare."
    assert codes(nlp, text) == []
    assert codes(nlp, text, hint="1463") == ["1463"]


# --- the lexicon -------------------------------------------------------------------------


def test_every_municipality_name_that_is_a_swedish_word_is_listed_as_ambiguous():
    """The lemma table is the systematic source: any name or genitive it knows in lower case."""
    table = load_lookups("sv", ["lemma_lookup"]).get_table("lemma_lookup")
    lemmas = set(table.values())
    listed = set(Rules().ambiguous)
    words = set()
    for m in gazetteer.municipalities():
        for form in (m.name, gazetteer.genitive(m.name)):
            low = form.casefold()
            if low in table or low in lemmas:
                words.add(m.name)
    assert words - listed == set()


def test_every_municipality_name_that_is_a_first_name_is_listed_as_ambiguous():
    first_names = {
        line.strip()
        for line in (ROOT / "nlp" / "patterns" / "persons_first_names.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    rules = Rules()
    names = {m.name for m in gazetteer.municipalities()} & first_names
    assert {n for n in names if n not in rules.ambiguous or "given" not in rules.ambiguous[n].senses} == set()
