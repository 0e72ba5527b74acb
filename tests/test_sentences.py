"""kp_sentences: where sentences start in press-release text."""

from itertools import pairwise

import pytest

from nlp.components.sentences import boundaries


def split(text: str) -> list[str]:
    cuts = [0, *boundaries(text), len(text)]
    return [text[a:b].strip() for a, b in pairwise(cuts) if text[a:b].strip()]


def test_lines_without_final_stop_are_sentences():
    text = (
        "Stöd för att minska segregationen\n\nI dag presenteras fördelningen. Den gäller 32 kommuner.\n"
        "Foto: Johan Klinthammar"
    )
    assert split(text) == [
        "Stöd för att minska segregationen",
        "I dag presenteras fördelningen.",
        "Den gäller 32 kommuner.",
        "Foto: Johan Klinthammar",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Pengarna går bl.a. till skolan och t.ex. Till fritid.",
        "Satsningen omfattar ca. 13 miljoner kronor.",
        "Beslutet togs av A. Nilsson i fullmäktige.",
    ],
)
def test_abbreviations_and_initials_do_not_end_a_sentence(text):
    assert split(text) == [text]


def test_quote_dash_starts_a_sentence():
    text = "Det är glädjande. – Vi kommer att söka stödet, säger Göran Dahlström."
    assert split(text) == ["Det är glädjande.", "– Vi kommer att söka stödet, säger Göran Dahlström."]


def test_hard_wrapped_lines_continue_the_sentence():
    text = "Örebro kommer att kunna ansöka om 13,4 miljoner\nkronor för 2018. Nästa mening."
    assert split(text) == ["Örebro kommer att kunna ansöka om 13,4 miljoner\nkronor för 2018.", "Nästa mening."]


def test_a_currency_abbreviation_ends_a_sentence_before_a_capital():
    assert split("Priset är 50 kr. Barn går gratis. Det kostar 4,2 milj. kr totalt.") == [
        "Priset är 50 kr.",
        "Barn går gratis.",
        "Det kostar 4,2 milj. kr totalt.",
    ]
