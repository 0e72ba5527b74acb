"""kp_quotes: each quoted statement, and who said it.

Texts written for these tests, in the ways Swedish releases quote: dash paragraphs with an
attribution, dash paragraphs that continue a speaker, quotation marks with the attribution after
or before, pull quotes with the name on the next line; and what is not a quote (dash lists,
scare quotes).
"""

from __future__ import annotations

import pytest

from nlp.pipeline import load
from nlp.record import to_record


@pytest.fixture(scope="module")
def quotes():
    """text -> [(quote text, speaker, attribution)]."""
    nlp = load()

    def run(text: str) -> list[tuple[str, str | None, str | None]]:
        record = to_record(nlp(text))
        return [(q["text"], q.get("speaker"), q.get("attribution")) for q in record["quotes"]]

    return run


def test_dash_quote_with_attribution_after(quotes):
    text = "Kommunen får pengar.\n\n– Det här gör skillnad för barnen, säger Lena Sjöberg (S), kommunalråd.\n"
    assert quotes(text) == [("Det här gör skillnad för barnen", "Lena Sjöberg", None)]


def test_hyphen_and_em_dash_quotes(quotes):
    text = "-Vi har väntat länge på det här, säger Olof Hagman.\n\n— Nu kör vi, säger Olof Hagman.\n"
    found = quotes(text)
    assert [speaker for _, speaker, _ in found] == ["Olof Hagman", "Olof Hagman"]
    assert found[1][0] == "Nu kör vi"


def test_the_quote_goes_on_after_the_attribution(quotes):
    text = "– Vi är glada, säger Karin Ljung, rektor. Nu kan vi anställa fler lärare till hösten.\n"
    assert quotes(text) == [
        ("Vi är glada", "Karin Ljung", None),
        ("Nu kan vi anställa fler lärare till hösten.", "Karin Ljung", None),
    ]


def test_surname_attribution_is_the_full_name(quotes):
    text = (
        "Kommunalrådet Peter Lund (M) presenterade satsningen på måndagen.\n\n"
        "– Vi börjar i Rinkeby och Tensta, säger Lund.\n"
    )
    assert quotes(text) == [("Vi börjar i Rinkeby och Tensta", "Peter Lund", None)]


def test_role_between_verb_and_name(quotes):
    text = "– Det är ett viktigt steg, säger kommunalrådet Sara Holm (C).\n"
    assert quotes(text)[0][1] == "Sara Holm"


def test_pronoun_attribution_is_the_person_named_before(quotes):
    text = (
        "Jenny Åkesson är projektledare för satsningen.\n\n– Vi vill nå fler familjer med tidiga insatser, säger hon.\n"
    )
    assert quotes(text) == [("Vi vill nå fler familjer med tidiga insatser", "Jenny Åkesson", None)]


def test_unattributed_dash_paragraph_continues_the_speaker(quotes):
    text = (
        "– Vi har lärt oss mycket av det första året, säger Mikael Strand, samordnare.\n\n"
        "– Nästa steg är att låta föreningarna ta över verksamheten helt och hållet.\n\n"
        "Satsningen utvärderas nästa år.\n"
    )
    found = quotes(text)
    assert len(found) == 2
    assert found[1] == (
        "Nästa steg är att låta föreningarna ta över verksamheten helt och hållet.",
        "Mikael Strand",
        None,
    )


def test_unattributed_dash_paragraph_before_the_attributed_one(quotes):
    text = (
        "– Det första året handlade om att lära känna området och människorna.\n"
        "– Nu vet vi vad som behövs, säger Helena Borg.\n"
    )
    assert [speaker for _, speaker, _ in quotes(text)] == ["Helena Borg", "Helena Borg"]


def test_dash_paragraph_after_a_paragraph_naming_the_speaker(quotes):
    text = (
        "Att nå unga är viktigt, menar Fredrik Sand.\n\n"
        "– Vi har ett stort ansvar för att fler unga får ett första jobb efter skolan.\n"
    )
    assert quotes(text)[0][1] == "Fredrik Sand"


def test_quotation_marks_with_an_attribution_that_is_not_a_person(quotes):
    text = "”Vi behöver en gemensam lägesbild för hela staden”, skriver staden i rapporten.\n"
    assert quotes(text) == [("Vi behöver en gemensam lägesbild för hela staden", None, "staden i rapporten")]


def test_quotation_marks_with_the_speaker_after_or_before(quotes):
    after = '"Det här är ett genombrott för stadsdelen" säger Amir Hosseini, verksamhetschef.\n'
    before = "Anna Dahl (V) säger: ”Vi kommer att följa pengarna noga hela vägen.”\n"
    headline = "Tomas Ek: ”Skolan är nyckeln till allt vi gör”\n"
    assert quotes(after) == [("Det här är ett genombrott för stadsdelen", "Amir Hosseini", None)]
    assert quotes(before)[0][1] == "Anna Dahl"
    assert quotes(headline) == [("Skolan är nyckeln till allt vi gör", "Tomas Ek", None)]


def test_pull_quote_with_the_speaker_on_the_next_line(quotes):
    text = 'Citat\n"Äntligen kan vi planera långsiktigt."\nMaria Wik (S), kommunstyrelsens ordförande\n'
    assert quotes(text) == [("Äntligen kan vi planera långsiktigt.", "Maria Wik", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Pengarna får användas till:\n- Läxhjälp för barn\n- Fler fritidsgårdar\n- Trygghetsvandringar\n",
        "Områdena kallas ibland ”utanförskapsområden” i debatten.\n",
        'Projektet "Framtid Järva" startar i höst.\n',
    ],
)
def test_not_quotes(quotes, text):
    assert quotes(text) == []


def test_quote_offsets_point_into_the_text():
    text = "Inledning.\n\n– Vi är redo att börja, säger Ola Berg.\n"
    record = to_record(load()(text))
    quote = record["quotes"][0]
    assert text[quote["start"] : quote["end"]] == "Vi är redo att börja"
    assert quote["sentence"] == 1


def test_dash_quote_introduced_by_a_line_ending_in_a_colon(quotes):
    text = "Statsvetaren Ali Esbati håller med:\n– Vi behöver mer forskning.\n"
    assert quotes(text) == [("Vi behöver mer forskning.", "Ali Esbati", None)]
