"""kp_persons: every named person once, with party and role, in the orders releases use.

The texts are written for these tests (not taken from the seeds): each test is one way a Swedish
release names people, or one way a capitalised word can look like a name without being one.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from nlp.pipeline import load
from nlp.record import to_record


@pytest.fixture(scope="module")
def people_nlp():
    """The analyser as users load it (nlp/config.cfg), shared with the other NLP tests."""
    return load()


@pytest.fixture(scope="module")
def persons(people_nlp):
    """text -> the record's persons, as {name: (party, role)}."""

    def run(text: str) -> dict[str, tuple[str | None, str | None]]:
        record = to_record(people_nlp(text))
        return {p["name"]: (p.get("party"), p.get("role")) for p in record["persons"]}

    return run


@pytest.mark.parametrize(
    ("text", "name", "party", "role"),
    [
        (
            "– Vi välkomnar beskedet, säger Maria Lindqvist (S), kommunstyrelsens ordförande i Gävle.",
            "Maria Lindqvist",
            "S",
            "kommunstyrelsens ordförande",
        ),
        (
            "– Vi ska använda pengarna klokt, säger Tomas Berglund (M) kommunstyrelsens ordförande.",
            "Tomas Berglund",
            "M",
            "kommunstyrelsens ordförande",
        ),
        ("Det bekräftar kommunalrådet Emma Falk (C) för lokaltidningen.", "Emma Falk", "C", "kommunalråd"),
        ("– Arbetet börjar i höst, säger Jonas Ek, kommundirektör.", "Jonas Ek", None, "kommundirektör"),
        ("Helena Strand är direktör för Jämställdhetsmyndigheten sedan 2019.", "Helena Strand", None, "direktör"),
        ("Beskedet kom från bostadsminister Anders Holm (L) på tisdagen.", "Anders Holm", "L", "bostadsminister"),
        (
            "Mötet leddes av samordnings- och integrationsminister Sara Ek (S).",
            "Sara Ek",
            "S",
            "samordnings- och integrationsminister",
        ),
        (
            "Förslaget kommer från Gunnar Ros (SPI), gruppledare i fullmäktige.",
            "Gunnar Ros",
            "SPI",
            "gruppledare i fullmäktige",
        ),
        ("Även socialdemokraten Lars Nyberg ställer sig bakom förslaget.", "Lars Nyberg", "S", None),
        ("Moderaternas gruppledare Karin Wall vill se en utredning.", "Karin Wall", "M", "gruppledare"),
        ("Kritik kommer från S-kommunalrådet Johan Blom.", "Johan Blom", "S", "kommunalråd"),
        ("– Det är bra, säger Eva Sjö, ordförande i socialnämnden.", "Eva Sjö", None, "ordförande i socialnämnden"),
        ("Skolan har fått en ny rektor, Anneli Viklund, som tillträder i augusti.", "Anneli Viklund", None, None),
        ("I projektet arbetar Per-Åke Lindgren som samordnare.", "Per-Åke Lindgren", None, "samordnare"),
    ],
)
def test_name_party_and_role_in_running_text(persons, text, name, party, role):
    assert persons(text)[name] == (party, role)


def test_photo_and_text_credits(persons):
    text = "Nya lekplatsen invigdes i lördags.\nFoto: Ingrid Sandberg\nText: Mats Olofsson\n"
    found = persons(text)
    assert found["Ingrid Sandberg"] == (None, "fotograf")
    assert found["Mats Olofsson"] == (None, "skribent")


def test_credit_with_agency_and_two_photographers(persons):
    text = "Foto: Cecilia Holm/TT\nBild: Olle Berg och Ulla Ek\n"
    found = persons(text)
    assert found["Cecilia Holm"][1] == "fotograf"
    assert found["Olle Berg"][1] == "fotograf"
    assert found["Ulla Ek"][1] == "fotograf"


def test_a_caption_names_who_is_in_the_picture_not_who_took_it(persons):
    found = persons("Bild: Anna Sjögren och Leif Dahl på invigningen av den nya fritidsgården.")
    assert found["Anna Sjögren"] == (None, None)
    assert found["Leif Dahl"] == (None, None)


def test_contact_block_name_then_title_then_phone(persons):
    text = (
        "Läs mer på kommunens webbplats.\n\n"
        "För mer information, kontakta:\n"
        "Birgitta Öhrn (KD)\n"
        "Kommunalråd\n"
        "Telefon: 019-21 10 00\n"
        "birgitta.ohrn@kommun.se\n"
    )
    assert persons(text)["Birgitta Öhrn"] == ("KD", "kommunalråd")


def test_contact_block_title_with_organisation_and_party(persons):
    text = "Kontakter\nJohanna Lind\nPolitisk sekreterare (M)\nTel: 08-535 300 00\n"
    assert persons(text)["Johanna Lind"] == ("M", "politisk sekreterare")


def test_contact_person_with_title_label(persons):
    one_line = "Kontaktperson: Lina Berglöf / Titel: Enhetschef, arbetsmarknadsenheten\n"
    two_lines = "Kontaktperson: Erik Sundin\nTitel: Projektledare, stadsbyggnadsförvaltningen\nTelefon: 042-10 50 00\n"
    assert persons(one_line)["Lina Berglöf"] == (None, "enhetschef")
    assert persons(two_lines)["Erik Sundin"] == (None, "projektledare")


def test_contact_line_with_name_title_and_phone(persons):
    text = "Mer information: Zlatko Mijailović, enhetschef, 08-123 45 67, zlatko@exempel.se\n"
    assert persons(text)["Zlatko Mijailović"] == (None, "enhetschef")


def test_byline_alone_on_a_line_at_the_end(persons):
    text = "Kommunen satsar på fler sommarjobb i år.\n\nKerstin Dahlgren\nAnnons\nSenaste nytt\n"
    assert persons(text) == {"Kerstin Dahlgren": (None, None)}


def test_name_the_list_does_not_know_counts_when_its_context_says_so(persons):
    text = (
        "– Det här är en viktig dag, säger Nooshi Dadgostar (V).\n"
        "Uppdraget leds av Zrinka Kovačević, projektledare.\n"
        "Foto: Kwabena Mensah\n"
    )
    found = persons(text)
    assert found["Nooshi Dadgostar"] == ("V", None)
    assert found["Zrinka Kovačević"] == (None, "projektledare")
    assert found["Kwabena Mensah"] == (None, "fotograf")


def test_later_mentions_by_surname_are_the_same_person(persons, people_nlp):
    text = (
        "Kommunalrådet Ingela Holmqvist (MP) presenterade planen.\n\n"
        "– Nu börjar arbetet, säger Holmqvist.\n\n"
        "Holmqvists förslag fick stöd av alla partier."
    )
    record = to_record(people_nlp(text))
    assert [p["name"] for p in record["persons"]] == ["Ingela Holmqvist"]
    assert record["persons"][0]["party"] == "MP"
    assert record["persons"][0]["role"] == "kommunalråd"


def test_later_mentions_fill_what_the_first_lacks(persons):
    text = "Sofia Ekman deltog på mötet.\n\n– Vi är redo, säger Sofia Ekman (L), oppositionsråd."
    assert persons(text)["Sofia Ekman"] == ("L", "oppositionsråd")


def test_two_people_with_one_surname_are_two_people(persons):
    text = "Anna Nilsson (S) och Bengt Nilsson (M) debatterade. – Nej, säger Nilsson."
    found = persons(text)
    assert set(found) == {"Anna Nilsson", "Bengt Nilsson"}
    assert found["Anna Nilsson"][0] == "S"
    assert found["Bengt Nilsson"][0] == "M"


def test_genitive_name_is_given_in_the_nominative(persons):
    assert "Kenneth Forsberg" in persons("Kenneth Forsbergs förslag antogs av fullmäktige.")


def test_names_of_other_origins_and_double_names(persons):
    text = "På mötet talade Ahmed Ali, Fatima Hassan, Ann-Sofie Lindberg och Jan Erik Sjöberg."
    assert set(persons(text)) == {"Ahmed Ali", "Fatima Hassan", "Ann-Sofie Lindberg", "Jan Erik Sjöberg"}


@pytest.mark.parametrize(
    "text",
    [
        "Örebro kommun och Vilhelmina kommun har ansökt om medel.",
        "Rädda Barnen och Röda Korset deltar i arbetet.",
        "Karl Johans gata stängs av under helgen.",
        "Maria Magdalena församling bjuder in till samtal.",
        "Anna Whitlocks gymnasium får nya lokaler.",
        "Per capita satsar kommunen mest i länet.",
        "Hans uppdrag börjar i maj.\nStig In Och Upplev Mer\n",
        "Foto: Mostphotos\nFoto: Johnér Bildbyrå\nBild: Colourbox",
        "Delegationen mot segregation\nStatliga Miljoner Till Järva\nHelsingborg Kullagatan\n",
        "Sveriges Kommuner och Regioner och Södertörns högskola samarbetar med Malmö Stad.",
        "Lyckliga Gatorna är ett projekt i Katrineholm. Gottsunda Centrum byggs om.",
    ],
)
def test_no_false_persons(persons, text):
    assert persons(text) == {}


def test_a_first_name_that_is_a_word_needs_more_than_a_capital(persons):
    # "Bo" (live), "Dag" (day), "Stig" (step) start sentences as ordinary words
    assert persons("Bo Tryggt är kommunens program.\nDag Efter Dag\n") == {}
    assert persons("– Vi ser fram emot det, säger Bo Ek (C).") == {"Bo Ek": ("C", None)}


def test_trained_ner_entities_are_used_too(people_nlp):
    """When a config sources a trained NER, its PER/PRS entities become persons as well."""
    doc = people_nlp.make_doc("Beslutet togs efter ett möte där Xq Zyx närvarade.")
    start = doc.text.index("Xq")
    span = doc.char_span(start, start + len("Xq Zyx"))
    doc.ents = [Span(doc, span.start, span.end, label="PER")]
    for _, proc in people_nlp.pipeline:
        doc = proc(doc)
    assert [p["name"] for p in to_record(doc)["persons"]] == ["Xq Zyx"]


def test_each_mention_carries_sentence_and_offsets(people_nlp):
    text = "Kommunen har fått pengar.\n\n– Bra, säger Lotta Wiik (S), kommunalråd."
    record = to_record(people_nlp(text))
    person = record["persons"][0]
    assert text[person["start"] : person["end"]] == "Lotta Wiik"
    assert person["sentence"] == 1


def test_unknown_first_name_with_a_surname_that_is_also_a_word(persons):
    assert persons("– Vi är redo, säger Zrinka Berg (S).") == {"Zrinka Berg": ("S", None)}


def test_mynewsdesk_contact_with_labels_on_lines_of_their_own(persons):
    text = (
        "Kontaktperson:\nElin Hammarberg\nTitel:\nPresskommunikatör\nTelefon:\n011-15 00 00\n"
        "______________________________\nAvsändare: Norrköpings kommun\n\n"
        "Kontakter\nSara Wikman\nPresskontakt\nStadsledningskontoret\n070-123 45 67\n"
    )
    found = persons(text)
    assert found["Elin Hammarberg"] == (None, "presskommunikatör")
    assert found["Sara Wikman"] == (None, "presskontakt")


def test_site_menus_and_page_furniture_are_not_people(persons):
    text = (
        "Självservice & Blanketter\nSynpunkter & Felanmälan\nLyssna\nKontakta oss\nTill Storviks startsida\n\n"
        "Kontaktcenter - en väg in\nÖppettider\nMåndag–fredag: 8:00–16:30\nSenast granskad 2023-11-28 av KLALIW\n"
        "Dela sidan på sociala medier\nMedia no image\nLäs vidare »\n"
    )
    assert persons(text) == {}


def test_middle_initials_and_a_sentence_initial_first_name_that_is_a_word(persons):
    text = "Anna B. Sandström öppnade mötet. Karl Gustav Karlsson höll med. Hans Wikström likaså."
    assert set(persons(text)) == {"Anna B. Sandström", "Karl Gustav Karlsson", "Hans Wikström"}


def test_place_words_after_a_first_name_are_not_surnames(persons):
    assert persons("Vi promenerade från Klara Norra kyrkogata till Västra Husby.") == {}


def test_title_on_the_line_above_and_a_label_above_with_the_title_below(persons):
    above = "Kontakt\nKommunstyrelsens ordförande\nKarin Ström (S)\n070-111 22 33\n"
    label_above = "Presskontakt\nOla Wendt\nPressekreterare hos bostadsministern\nTelefon 076-143 92 10\n"
    assert persons(above)["Karin Ström"] == ("S", "kommunstyrelsens ordförande")
    assert persons(label_above)["Ola Wendt"] == (None, "pressekreterare")


def test_agency_in_parentheses_is_not_a_party_and_an_age_before_the_role(persons):
    found = persons("Foto: Anna Sundin (TT)\nLars Nyqvist, 34 år, undersköterska, bor i Hjällbo.\n")
    assert found["Anna Sundin"] == (None, "fotograf")
    assert found["Lars Nyqvist"] == (None, "undersköterska")


def test_an_organisation_before_a_title_is_left_out_but_a_political_body_kept(persons):
    found = persons(
        "Arbetsförmedlingens sektionschef Annika Lundh framhåller samarbetet.\n"
        "Kommunstyrelsens ordförande Bertil Ahl (S) håller med.\n"
        "Kulturgeografen Emma Holm forskar om boende.\n"
    )
    assert found["Annika Lundh"] == (None, "sektionschef")
    assert found["Bertil Ahl"] == ("S", "kommunstyrelsens ordförande")
    assert found["Emma Holm"] == (None, "kulturgeograf")


def test_particles_and_compounds(persons):
    text = "Carl von Schantz och Marie-Louise af Klercker medverkar.\nPer Capita-rapporten kom i går.\n"
    assert set(persons(text)) == {"Carl von Schantz", "Marie-Louise af Klercker"}


def test_unlisted_name_on_its_own_line_above_a_phone_number(persons):
    text = "Frågor besvaras av\nZurab Tsiklauri\n070-765 43 21\n"
    assert persons(text) == {"Zurab Tsiklauri": (None, None)}
    assert persons("Rubrik här\nZurab Tsiklauri\nmer text följer här\n") == {}


@pytest.mark.parametrize(
    ("text", "name", "party", "role"),
    [
        ("– Vi är nöjda, säger Tuva Brink (Sjvp), kommunalråd.", "Tuva Brink", "Sjvp", "kommunalråd"),
        ("Enligt Olof Sand (Vägv), gruppledare, räcker det inte.", "Olof Sand", "Vägv", "gruppledare"),
        ("– Det är fel väg, säger Nils Ström (ÖrP), oppositionsråd.", "Nils Ström", "ÖrP", "oppositionsråd"),
        ("Ida Falk (Kd), ledamot i nämnden, håller med.", "Ida Falk", "KD", "ledamot i nämnden"),
    ],
)
def test_a_local_party_written_in_mixed_case_is_kept_as_written(persons, text, name, party, role):
    assert persons(text)[name] == (party, role)


def test_a_word_in_parentheses_after_a_name_is_no_party(persons):
    found = persons("Bilden är tagen av Sven Ek (Bild). Hanna Berg (Lotta) svarar.")
    assert found.get("Sven Ek", (None, None))[0] is None
    assert found.get("Hanna Berg", (None, None))[0] is None


@pytest.mark.parametrize(
    "block",
    [
        "Presskontakt Sofia Nordin, Motala kommun, 0141-22 50 00",
        "Presskontakt\nSofia Nordin\n0141-22 50 00",
        "För mer information\nSofia Nordin\nKommunikatör\n0141-22 50 00",
        "Kontakt:\nSofia Nordin, kommunikatör, 0141-22 50 00",
    ],
)
def test_a_contact_header_is_neither_a_person_nor_a_title(persons, block):
    found = persons("Motala bygger ny simhall\n\nKommunen bygger en ny simhall.\n\n" + block)
    assert list(found) == ["Sofia Nordin"]
    assert found["Sofia Nordin"][1] in (None, "kommunikatör")
