"""kp_lemmatizer must give exactly the lemmas of spaCy's own lookup lemmatizer: every rule that
reads lemmas (measures, money cues, the dictionary-word test) was written against those."""

from __future__ import annotations

import spacy

from nlp.components.lemmatizer import LookupLemmatizer
from nlp.pipeline import load

TEXT = (
    "Kommunerna fick pengarna för insatserna. Skolorna i Malmös stadsdelar anställde fler lärare, "
    "och föreningarna ordnade läxhjälp under somrarna 2019–2021. Xyzzyord står inte i tabellen."
)


def _spacy_lemmas(text: str) -> list[str]:
    nlp = spacy.blank("sv")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return [t.lemma_ for t in nlp(text)]


def test_same_lemmas_as_spacy_lookup_lemmatizer():
    nlp = load()
    doc = nlp.get_pipe("lemmatizer")(nlp.make_doc(TEXT))
    assert [t.lemma_ for t in doc] == _spacy_lemmas(TEXT)
    assert doc[2].lemma_ == "pengar"  # a table entry, not the word itself ("pengarna")


def test_keeps_lemmas_set_earlier_unless_told_to_overwrite():
    nlp = load()
    doc = nlp.make_doc("skolorna")
    doc[0].lemma_ = "från-en-tränad-modell"
    nlp.get_pipe("lemmatizer")(doc)
    assert doc[0].lemma_ == "från-en-tränad-modell"
    overwriting = LookupLemmatizer(nlp.vocab, overwrite=True)
    overwriting.initialize()
    assert overwriting(doc)[0].lemma_ == "skola"


def test_table_travels_with_the_pipeline(tmp_path):
    lemmatizer = load().get_pipe("lemmatizer")
    lemmatizer.to_disk(tmp_path / "lemmatizer")
    restored = LookupLemmatizer(lemmatizer.vocab).from_disk(tmp_path / "lemmatizer")
    assert restored.lookups.get_table("lemma_lookup")["skolorna"] == "skola"
    again = LookupLemmatizer(lemmatizer.vocab).from_bytes(lemmatizer.to_bytes())
    assert again(load().make_doc("skolorna"))[0].lemma_ == "skola"
