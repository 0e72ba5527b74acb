"""The corpus file: creation, refusal of wrong files, migrations, transactions."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

import corpus
from corpus import schema
from corpus.documents import Document, decompress_html, save_document
from corpus.extractions import pending_documents, start_run, store_analysis
from corpus.query import run_query


def test_new_corpus_has_schema_wal_and_municipalities(db, db_file):
    assert schema.schema_version(db.conn) == corpus.SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db["municipalities"].count == 290
    assert db.execute("SELECT name FROM municipalities WHERE code = '1880'").fetchone()[0] == "Örebro"
    names = {r["name"] for r in db["municipality_names"].rows_where("code = '1480'")}
    assert {"Göteborg", "Göteborgs", "Göteborgs kommun", "Göteborgs stad"} <= names
    expected = {
        "documents",
        "amounts",
        "persons",
        "organizations",
        "municipality_mentions",
        "measures",
        "quotes",
        "extraction_runs",
        "analyses",
        "sentences",
        "documents_fts",
    }
    assert expected <= set(sqlite_utils.Database(db_file).table_names())


def test_missing_file_is_refused_without_creating_it(tmp_path):
    path = tmp_path / "typo.db"
    with pytest.raises(corpus.CorpusError, match="kommunpress init"):
        corpus.open_db(path)
    assert not path.exists()


@pytest.mark.parametrize("content", [b"hello, not a database\n", b"\x00\x01\x02" * 100, b"SQLite format 2\x00junk"])
def test_non_sqlite_file_is_refused_and_untouched(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(corpus.CorpusError, match="not a SQLite database"):
        corpus.open_db(path, create=True)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(corpus.CorpusError, match="not a kommunpress corpus"):
        corpus.open_db(path, create=True)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(db, db_file):
    db["schema_version"].insert({"version": 99, "name": "future", "applied_at": "2030-01-01"})
    db.close()
    with pytest.raises(corpus.CorpusError, match="newer"):
        corpus.open_db(db_file)
    with pytest.raises(corpus.CorpusError, match="newer"):
        corpus.open_readonly(db_file)


def test_migrations_run_forward_once(tmp_path):
    conn = sqlite_utils.Database(tmp_path / "m.db")
    assert schema.migrate(conn) == corpus.SCHEMA_VERSION
    calls = []

    def add_notes(d):
        calls.append(1)
        d.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")

    steps = [*schema.MIGRATIONS, ("notes", add_notes)]
    assert schema.migrate(conn, steps) == corpus.SCHEMA_VERSION + 1
    assert schema.migrate(conn, steps) == corpus.SCHEMA_VERSION + 1
    assert calls == [1]
    assert "notes" in conn.table_names()


def test_failed_migration_leaves_previous_version(tmp_path):
    conn = sqlite_utils.Database(tmp_path / "m.db")
    schema.migrate(conn)

    def half_done(d):
        d.execute("CREATE TABLE half (x)")
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        schema.migrate(conn, [*schema.MIGRATIONS, ("half", half_done)])
    assert schema.schema_version(conn.conn) == corpus.SCHEMA_VERSION
    assert "half" not in conn.table_names()


def test_failed_migration_with_a_script_is_rolled_back_whole(tmp_path):
    conn = sqlite_utils.Database(tmp_path / "m.db")
    schema.migrate(conn)

    def script_then_fail(d):
        d.executescript("CREATE TABLE a (x); CREATE TABLE b (y);")
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        schema.migrate(conn, [*schema.MIGRATIONS, ("script", script_then_fail)])
    assert not {"a", "b"} & set(conn.table_names())


def test_save_document_is_idempotent_and_follows_canonical_urls(db):
    doc = Document(
        url="https://x.se/a?utm_source=fb",
        canonical_url="https://x.se/a",
        text="Första texten.",
        title="A",
        html="<p>Första texten.</p>",
    )
    first, outcome = save_document(db, doc)
    assert outcome == "added"
    assert save_document(db, doc) == (first, "unchanged")
    same_release = Document(url="https://x.se/a#top", canonical_url="https://x.se/a", text="Första  texten.")
    assert save_document(db, same_release) == (first, "unchanged")
    changed = Document(url="https://x.se/a", text="Andra texten om Örebro.", title="A2")
    assert save_document(db, changed) == (first, "updated")
    assert db["documents"].count == 1
    row = db["documents"].get(first)
    assert row["title"] == "A2"
    assert decompress_html(row["html"]) == "<p>Första texten.</p>"
    hits = list(db["documents"].search("Örebro"))
    assert [h["id"] for h in hits] == [first]
    assert list(db["documents"].search("Första")) == []


def test_same_content_under_new_url_is_a_duplicate_only_when_asked(db):
    a, _ = save_document(db, Document(url="file:///a.txt", text="Samma text."))
    assert save_document(db, Document(url="file:///b.txt", text="Samma  text."), skip_same_content=True) == (
        a,
        "duplicate",
    )
    _, outcome = save_document(db, Document(url="https://mynewsdesk.example/a", text="Samma text."))
    assert outcome == "added"


RECORD = {
    "municipality": "1880",
    "published": "2018-06-26",
    "categories": ["arbete", "skola"],
    "amounts": [
        {
            "text": "13,4 miljoner kronor",
            "value_sek": 13_400_000,
            "per_year": False,
            "year_start": 2018,
            "year_end": 2018,
            "recipient": "1880",
            "qualifier": "exact",
            "status": "eligible",
            "tentative": False,
            "sentence": 2,
            "start": 10,
            "end": 30,
        }
    ],
    "persons": [
        {
            "name": "Kenneth Nilsson",
            "party": "S",
            "role": "kommunstyrelsens ordförande",
            "sentence": 4,
            "start": 100,
            "end": 115,
        }
    ],
    "organizations": [
        {"name": "Delegationen mot segregation", "aliases": ["Delmos"], "sentence": 1, "start": 0, "end": 5}
    ],
    "municipality_mentions": [{"code": "1880", "text": "Örebros", "sentence": 2, "start": 40, "end": 47}],
    "sentences": [{"sentence": 0, "start": 0, "end": 9, "text": "En mening"}],
}


def test_store_analysis_replaces_rows_and_keeps_provenance(db):
    doc_id, _ = save_document(db, Document(url="u", text="text"))
    run = start_run(db, "0.1", "abc")
    store_analysis(db, doc_id, run, "h", RECORD)
    store_analysis(db, doc_id, run, "h", RECORD)
    assert db["amounts"].count == 1
    amount = next(db["amounts"].rows)
    assert (amount["value_sek"], amount["sentence"], amount["start_char"], amount["end_char"]) == (
        13_400_000,
        2,
        10,
        30,
    )
    assert amount["tentative"] == 0
    assert next(db["organizations"].rows)["aliases"] == '["Delmos"]'
    assert db["persons"].count == db["municipality_mentions"].count == db["sentences"].count == 1


def test_unknown_per_year_and_tentative_are_stored_as_not(db):
    doc_id, _ = save_document(db, Document(url="u", text="text"))
    record = {
        "amounts": [
            {
                "text": "5 mkr",
                "value_sek": 5_000_000,
                "per_year": None,
                "tentative": None,
                "recipient": None,
                "sentence": 0,
                "start": 0,
                "end": 5,
            }
        ]
    }
    store_analysis(db, doc_id, start_run(db, "0.1", "abc"), "h", record)
    row = next(db["amounts"].rows)
    assert (row["per_year"], row["tentative"], row["recipient"]) == (0, 0, None)


def test_crash_while_storing_keeps_previous_findings(db):
    doc_id, _ = save_document(db, Document(url="u", text="text"))
    run = start_run(db, "0.1", "abc")
    store_analysis(db, doc_id, run, "h", RECORD)
    broken = {**RECORD, "persons": [{"name": None, "sentence": 0, "start": 0, "end": 1}]}  # NOT NULL fails
    with pytest.raises(sqlite3.IntegrityError):
        store_analysis(db, doc_id, run, "h2", broken)
    assert db["amounts"].count == 1
    assert db["persons"].count == 1
    assert db["analyses"].get(doc_id)["content_hash"] == "h"


def test_pending_documents_are_new_or_changed(db):
    a, _ = save_document(db, Document(url="a", text="Text A"))
    b, _ = save_document(db, Document(url="b", text="Text B"))
    assert [d.id for d in pending_documents(db)] == [a, b]
    run = start_run(db, "0.1", "cfg1")
    for d in pending_documents(db):
        store_analysis(db, d.id, run, d.content_hash, {})
    assert pending_documents(db) == []
    save_document(db, Document(url="b", text="Text B, ändrad"))
    assert [d.id for d in pending_documents(db)] == [b]
    assert [d.id for d in pending_documents(db, everything=True)] == [a, b]
    assert [d.id for d in pending_documents(db, config_hash="cfg2")] == [a, b]


def test_readonly_query_reads_and_refuses_writes(db, db_file):
    save_document(db, Document(url="a", text="Text A"))
    conn = corpus.open_readonly(db_file)
    columns, rows = run_query(conn, "SELECT count(*) AS n FROM documents")
    assert (columns, rows) == (["n"], [(1,)])
    for sql in [
        "DELETE FROM documents",
        "DROP TABLE documents",
        "UPDATE documents SET title = 'x'",
        "ATTACH 'elsewhere.db' AS e",
        "CREATE TABLE t (x)",
        "INSERT INTO documents (url, text, content_hash) VALUES (1,2,3)",
    ]:
        with pytest.raises(corpus.CorpusError, match="refused"):
            run_query(conn, sql)
    conn.close()
    assert db["documents"].count == 1


def test_reader_is_not_blocked_by_a_writer(db, db_file):
    save_document(db, Document(url="a", text="Text A"))
    writer = sqlite3.connect(db_file, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE documents SET title = 'pågår'")
    reader = corpus.open_readonly(db_file)
    assert run_query(reader, "SELECT title FROM documents")[1] == [(None,)]
    writer.execute("COMMIT")
    assert run_query(reader, "SELECT title FROM documents")[1] == [("pågår",)]
