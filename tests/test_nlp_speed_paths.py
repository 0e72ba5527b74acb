"""The analyser's fast paths must not change what it finds: batched nlp.pipe, the tokenizer that
keeps each Doc's text, and scanning only the runs of text that can hold a match."""

from __future__ import annotations

import gc
import re

import spacy
from conftest import DATA, SEEDS_DIR
from hypothesis import given
from hypothesis import strategies as st

from nlp.analyze import Input, analyze_many
from nlp.components.municipalities import _HYPHEN
from nlp.components.organizations import organization_ranges
from nlp.pipeline import DEFAULT_CONFIG, load
from nlp.record import to_record
from nlp.textscan import finditer_in_runs

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]


def test_batched_pipe_finds_what_one_doc_at_a_time_finds():
    nlp = load()
    one_by_one = [to_record(nlp(text)) for text in TEXTS]
    batched = [record for _, record in analyze_many([Input(t) for t in TEXTS], nlp=nlp, batch_size=2)]
    assert batched == one_by_one
    assert any(r["amounts"] for r in batched)


def test_spacy_own_tokenizer_gives_the_same_findings(tmp_path):
    config = DEFAULT_CONFIG.read_text(encoding="utf-8").replace('"kp_tokenizer.v1"', '"spacy.Tokenizer.v1"')
    path = tmp_path / "spacy_tokenizer.cfg"
    path.write_text(config, encoding="utf-8")
    theirs = load(path)
    assert type(theirs.tokenizer) is spacy.tokenizer.Tokenizer
    ours = load()
    assert [to_record(theirs(t)) for t in TEXTS] == [to_record(ours(t)) for t in TEXTS]


def test_a_failing_doc_goes_to_the_error_handler():
    nlp = load()
    money = nlp.get_pipe("kp_money")
    seen = []
    money.set_error_handler(lambda name, proc, docs, e: seen.append((name, len(docs))))
    try:
        docs = [nlp.make_doc("Kommunen får 5 miljoner kronor."), None, nlp.make_doc("Inga pengar.")]
        out = list(money.pipe(docs, batch_size=8))
    finally:
        money.set_error_handler(spacy.util.raise_error)
    assert len(out) == 2 and seen == [("Component", 1)]


@given(st.text(alphabet="ab-Å .\n\t@/2_é\u00a0", max_size=40))
def test_scanning_runs_finds_what_scanning_everything_finds(text):
    assert [m.span() for m in finditer_in_runs(_HYPHEN, text, "-")] == [m.span() for m in _HYPHEN.finditer(text)]


def test_runs_hold_every_hyphenated_name():
    text = "Malmö-Lund och Örebro-modellen, men inte 2020-2027 eller e-post: a@b-c.se.\nDals-Ed"
    found = [m.group() for m in finditer_in_runs(_HYPHEN, text, "-")]
    assert found == [m.group() for m in re.finditer(_HYPHEN, text)]
    assert "Malmö-Lund" in found and "Dals-Ed" in found


def test_a_span_group_replaced_after_its_component_is_read_from_the_spans():
    # kp_persons reads the organisations kp_organizations kept aside; a user's component in
    # between that replaces them must be seen, not the stale copy
    nlp = load()
    text = "Anna Berg på Malmö högskola och Per Holm på Region Skåne träffades."
    doc = nlp.make_doc(text)
    for name in ("kp_sentences", "lemmatizer", "kp_organizations"):
        doc = nlp.get_pipe(name)(doc)
    kept = organization_ranges(doc)
    assert kept == [(s.start_char, s.end_char) for s in doc.spans["organizations"]]
    doc.spans["organizations"] = [doc.char_span(0, 9)]  # "Anna Berg", as a user's NER might
    assert organization_ranges(doc) == [(0, 9)]
    doc = nlp.get_pipe("kp_persons")(doc)
    assert all(s.start_char >= 9 for s in doc.spans["persons"])  # no person inside an organisation


def test_analysed_docs_are_freed_without_the_cyclic_garbage_collector():
    """A long extract frees each Doc when it is done with it: nothing the components build
    refers back to itself, so no Doc waits for (and slows down) the cyclic collector."""
    nlp = load()
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted((DATA / "gold" / "docs").glob("*.txt"))[:10]]
    for _ in nlp.pipe(texts[:2]):  # lexicons and patterns load once, on first use
        pass
    gc.collect()
    gc.disable()
    try:
        found = [len(doc.spans["money"]) for doc in nlp.pipe(texts)]
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert sum(found) > 0
