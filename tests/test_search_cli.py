"""`kommunpress embed`, `search`, `similar` and `dedup` as a researcher uses them."""

from __future__ import annotations

import json

import pytest
from conftest import DATA
from search_support import add_documents

from kommunpress.common import open_corpus
from nlp.embeddings import DEFAULT_MODEL, load_embedder

DOCS = [
    {
        "key": "orebro",
        "municipality_code": "1880",
        "published": "2019-03-12",
        "categories": ["trygghet", "utbildning"],
        "text": "Örebro satsar mot segregation\n\n"
        "Kommunen sätter upp trygghetskameror vid torget i Vivalla. "
        "Skolorna får pengar till läxhjälp på biblioteket varje vecka. "
        "Kenneth Nilsson (S) är kommunstyrelsens ordförande.\n\nKontakt\nTelefon 019-21 10 00",
        "measures": [
            {"text": "läxhjälp på biblioteket", "category": "utbildning", "sentence": 2, "start": 0, "end": 0},
            {"text": "trygghetskameror vid torget", "category": "trygghet", "sentence": 1, "start": 0, "end": 0},
        ],
    },
    {
        "key": "malmo",
        "municipality_code": "1280",
        "published": "2020-05-20",
        "categories": ["utbildning", "fritid"],
        "text": "Sommarskola i Malmö\n\n"
        "Malmö stad erbjuder läxhjälp och sommarskola för elever i Rosengård. "
        "Föreningar ordnar fotboll och dans för unga på kvällarna.",
        "measures": [
            {"text": "läxhjälp och sommarskola", "category": "utbildning", "sentence": 1, "start": 0, "end": 0},
            {"text": "fotboll och dans för unga", "category": "fritid", "sentence": 2, "start": 0, "end": 0},
        ],
    },
    {
        "key": "goteborg",
        "municipality_code": "1480",
        "published": "2019-01-15",
        "categories": ["arbete"],
        "text": "Feriejobb i Göteborg\n\n"
        "Göteborgs Stad erbjuder 1 500 fler feriejobb för ungdomar i Angered. "
        "Ett första jobb är en dörr in till arbetsmarknaden.",
        "measures": [{"text": "feriejobb för ungdomar", "category": "arbete", "sentence": 1, "start": 0, "end": 0}],
    },
]


@pytest.fixture(scope="session")
def embedder():
    return load_embedder()


@pytest.fixture
def corpus_file(db_file, embedder):
    db = open_corpus(db_file, create=True)
    add_documents(db, DOCS)
    db.close()
    return db_file


def run_json(cli, *args):
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_embed_then_rerun_embeds_nothing(cli, corpus_file):
    first = cli("embed", "--db", corpus_file)
    assert first.exit_code == 0, first.output
    assert "Embedded" in first.stdout and DEFAULT_MODEL in first.stdout.replace("\n", "")
    again = cli("embed", "--db", corpus_file)
    assert again.exit_code == 0
    assert "Nothing to embed" in again.stdout or " 0 new sentence texts" in again.stdout


def test_only_new_sentences_are_embedded_and_copies_come_from_the_cache(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    db = open_corpus(corpus_file)
    cached_before = db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    add_documents(db, [{**DOCS[2], "key": "goteborg-copy", "url": "https://news.example.org/copy"}])
    add_documents(db, [{"key": "new", "text": "En helt ny mening om simskola för barn i Araby."}])
    db.close()
    result = cli("embed", "--db", corpus_file)
    assert "Embedded 1 new sentence texts" in result.stdout.replace("\n", " ")
    db = open_corpus(corpus_file)
    assert db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == cached_before + 1
    assert db.execute("SELECT count(DISTINCT model) FROM sentence_vectors").fetchone()[0] == 1


def test_mixing_models_is_refused_and_rebuild_is_offered(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    result = cli("embed", "--db", corpus_file, "--model", "KBLab/sentence-bert-swedish-cased")
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "--rebuild" in message and DEFAULT_MODEL in message
    searched = cli("search", "skola", "--db", corpus_file, "--model", "KBLab/sentence-bert-swedish-cased")
    assert searched.exit_code == 2
    db = open_corpus(corpus_file)
    assert db.execute("SELECT count(*) FROM sentence_vectors").fetchone()[0] > 0  # nothing was lost


def test_a_model_that_cannot_load_is_one_line_and_the_vectors_stay(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    result = cli("embed", "--db", corpus_file, "--rebuild", "--model", "no-such-user/no-such-model")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "cannot load embedding model 'no-such-user/no-such-model'" in " ".join(result.stderr.split())
    db = open_corpus(corpus_file)
    assert db.execute("SELECT count(*) FROM sentence_vectors").fetchone()[0] > 0  # search still works


def test_rebuild_with_the_same_model_reuses_the_cache(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    result = cli("embed", "--db", corpus_file, "--rebuild")
    assert result.exit_code == 0
    assert "Embedded 0 new sentence texts" in " ".join(result.stdout.split())


def test_search_by_meaning_with_sources(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    hits = run_json(cli, "search", "kamerabevakning", "--db", corpus_file, "-k", "3")
    assert "trygghetskameror" in hits[0]["text"]
    top = hits[0]
    assert top["municipality"] == "Örebro" and top["published"] == "2019-03-12"
    assert top["url"] == "https://example.org/orebro"
    assert {"score", "document_id", "sentence", "start_char", "end_char", "vector_score", "keyword_rank"} <= set(top)


def test_exact_names_win(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    hits = run_json(cli, "search", '"Kenneth Nilsson"', "--db", corpus_file, "-k", "5")
    assert "Kenneth Nilsson" in hits[0]["text"]


def test_quoted_words_must_be_in_every_hit(cli, corpus_file):
    """Quotes mean "this exact name", in every mode: no merely similar sentence fills the list."""
    cli("embed", "--db", corpus_file)
    for mode in ("hybrid", "vector", "keyword"):
        hits = run_json(cli, "search", '"Kenneth Nilsson" ordförande', "--db", corpus_file, "--mode", mode)
        assert hits and all("Kenneth Nilsson" in h["text"] for h in hits), mode
    assert run_json(cli, "search", '"Ingen Sådan Person"', "--db", corpus_file) == []


def test_filters_municipality_year_category_and_k(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    by_place = run_json(cli, "search", "läxhjälp", "--db", corpus_file, "--municipality", "Malmö")
    assert by_place and {h["municipality_code"] for h in by_place} == {"1280"}
    by_year = run_json(cli, "search", "läxhjälp", "--db", corpus_file, "--year", "2019")
    assert by_year and {h["published"][:4] for h in by_year} == {"2019"}
    by_category = run_json(cli, "search", "unga", "--db", corpus_file, "--category", "arbete")
    assert by_category and {h["municipality_code"] for h in by_category} == {"1480"}
    assert len(run_json(cli, "search", "skola", "--db", corpus_file, "-k", "2")) == 2


def test_table_output(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    result = cli("search", "läxhjälp", "--db", corpus_file, "-k", "3")
    assert result.exit_code == 0
    assert "Örebro" in result.stdout and "3 sentences" in result.stdout


def test_search_before_embed_falls_back_to_keywords(cli, corpus_file):
    result = cli("search", "läxhjälp", "--db", corpus_file, "--format", "json")
    assert result.exit_code == 0
    assert "No vectors yet" in result.stderr
    assert all(h["vector_score"] is None for h in json.loads(result.stdout))
    assert cli("search", "läxhjälp", "--db", corpus_file, "--mode", "vector").exit_code == 2


def test_bad_input_is_one_line(cli, corpus_file, db_file, tmp_path):
    bad_category = cli("search", "skola", "--db", corpus_file, "--category", "sport")
    assert bad_category.exit_code == 2 and "unknown category" in bad_category.stderr
    bad_place = cli("search", "skola", "--db", corpus_file, "--municipality", "Atlantis")
    assert bad_place.exit_code == 2 and "unknown municipality" in bad_place.stderr
    empty = tmp_path / "empty.db"
    cli("init", "--db", empty)
    no_sentences = cli("search", "skola", "--db", empty)
    assert no_sentences.exit_code == 2 and "kommunpress extract" in no_sentences.stderr
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("hello", encoding="utf-8")
    assert cli("embed", "--db", not_a_db).exit_code == 2


def test_reextracted_documents_lose_their_stale_vectors(cli, corpus_file):
    cli("embed", "--db", corpus_file)
    db = open_corpus(corpus_file)
    add_documents(db, [{**DOCS[0], "text": DOCS[0]["text"] + "\n\nEn ny mening har lagts till i texten."}])
    stale = db.execute(
        "SELECT count(*) FROM sentence_vectors v JOIN documents d ON d.id = v.document_id WHERE d.url LIKE '%orebro'"
    ).fetchone()[0]
    db.close()
    assert stale == 0
    result = cli("search", "läxhjälp", "--db", corpus_file)
    assert "have no vector yet" in " ".join(result.stderr.split())


def test_similar_measures_elsewhere(cli, corpus_file):
    found = run_json(cli, "similar", "läxhjälp för elever", "--db", corpus_file, "--exclude", "Örebro")
    assert found and all(m["municipality_code"] != "1880" for m in found)
    assert found[0]["text"] == "läxhjälp och sommarskola"
    assert {"score", "category", "municipality", "document_id", "sentence"} <= set(found[0])
    only = run_json(cli, "similar", "läxhjälp", "--db", corpus_file, "--category", "fritid")
    assert [m["category"] for m in only] == ["fritid"]


def test_similar_to_a_stored_measure_needs_no_model(corpus_file, cli):
    from corpus.search import similar_to_measure

    cli("embed", "--db", corpus_file)
    db = open_corpus(corpus_file)
    measure = db.execute("SELECT id FROM measures WHERE text = 'läxhjälp på biblioteket'").fetchone()[0]
    found = similar_to_measure(db, measure, k=2)
    assert found[0].text == "läxhjälp och sommarskola" and found[0].municipality_code == "1280"


def test_dedup_marks_copies_and_rerun_changes_nothing(cli, db_file, tmp_path):
    meta = json.loads((DATA / "dedup" / "groups.json").read_text(encoding="utf-8"))
    db = open_corpus(db_file, create=True)
    docs = [
        {
            "key": m["id"],
            "url": f"https://{m['site']}/{m['id']}",
            "text": (DATA / "dedup" / f"{m['id']}.txt").read_text(encoding="utf-8"),
            "published": m["published"],
            "municipality_code": "1880" if m["municipal"] else None,
        }
        for m in meta
    ]
    ids = add_documents(db, docs)
    db.close()
    result = cli("dedup", "--db", db_file, "--no-embeddings")
    assert result.exit_code == 0, result.output
    groups = {m["group"] for m in meta}
    db = open_corpus(db_file)
    assert db.execute("SELECT count(*) FROM canonical_documents").fetchone()[0] == len(groups)
    copy_of = dict(db.execute("SELECT id, duplicate_of FROM documents WHERE duplicate_of IS NOT NULL").fetchall())
    assert copy_of[ids["orebro-2018-na"]] == ids["orebro-2018-site"]
    snapshot = db.execute("SELECT id, duplicate_of FROM documents ORDER BY id").fetchall()
    db.close()
    again = cli("dedup", "--db", db_file, "--no-embeddings")
    assert "(0 changed)" in again.stdout
    db = open_corpus(db_file)
    assert db.execute("SELECT id, duplicate_of FROM documents ORDER BY id").fetchall() == snapshot
    dry = cli("dedup", "--db", db_file, "--dry-run", "--no-embeddings")
    assert dry.exit_code == 0 and "would be marked" in dry.stdout


def test_search_leaves_out_copies_unless_asked(cli, corpus_file):
    db = open_corpus(corpus_file)
    add_documents(db, [{**DOCS[2], "key": "goteborg-copy", "url": "https://news.example.org/copy"}])
    db.close()
    cli("dedup", "--db", corpus_file, "--no-embeddings")
    cli("embed", "--db", corpus_file)
    urls = {h["url"] for h in run_json(cli, "search", "feriejobb", "--db", corpus_file)}
    assert "https://example.org/goteborg" in urls and "https://news.example.org/copy" not in urls
    both = {h["url"] for h in run_json(cli, "search", "feriejobb", "--db", corpus_file, "--all-copies")}
    assert {"https://example.org/goteborg", "https://news.example.org/copy"} <= both
