"""`kommunpress analyze` and `kommunpress extract`: wiring, skipping bad input, provenance."""

from __future__ import annotations

import json

import sqlite_utils
from conftest import SEEDS_DIR

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


def test_analyze_prints_one_schema_record_per_file(cli):
    result = cli("analyze", *SEEDS)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == [p.stem for p in SEEDS]
    for r in records:
        assert {
            "municipality",
            "published",
            "amounts",
            "persons",
            "organizations",
            "municipalities",
            "categories",
        } <= set(r)


def test_analyze_skips_bad_files_with_a_message_and_goes_on(cli, tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    (tmp_path / "english.txt").write_text(
        "The municipality has received thirteen million kronor from the government for its work against "
        "segregation, and the money will be spent on schools and jobs over the coming years.",
        encoding="utf-8",
    )
    result = cli("analyze", tmp_path / "empty.txt", SEEDS[1], tmp_path / "binary.txt", tmp_path / "english.txt")
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [SEEDS[1].stem]
    assert "empty.txt: is empty" in result.stderr
    assert "binary.txt: is a binary file" in result.stderr
    assert "english.txt: is not Swedish" in result.stderr
    assert "Traceback" not in result.output


def test_analyze_html_is_reduced_to_main_text(cli, tmp_path):
    page = tmp_path / "pm.html"
    page.write_text(
        "<html><head><title>Pengar mot segregation</title></head><body><nav>Meny Kontakta oss</nav>"
        "<article><h1>Pengar mot segregation</h1><p>Kommunen får 13 miljoner kronor för att minska segregationen "
        "i bostadsområdena, och pengarna ska gå till skolan och arbetsmarknaden.</p></article></body></html>",
        encoding="utf-8",
    )
    result = cli("analyze", page)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "pm"


def test_extract_stores_findings_once_and_redoes_only_changed_documents(cli, tmp_path):
    cli("import", *SEEDS)
    first = cli("extract")
    assert first.exit_code == 0, first.output
    assert "Analysed 5 documents" in first.stdout
    db = sqlite_utils.Database(tmp_path / "kommunpress.db")
    assert db["analyses"].count == 5
    assert db["extraction_runs"].count == 1
    run = next(db["extraction_runs"].rows)
    assert run["finished"] and run["n_documents"] == 5 and len(run["config_hash"]) == 16
    n_sentences = db["sentences"].count
    assert n_sentences > 50
    (text,) = db.execute("SELECT text FROM documents WHERE id = 3").fetchone()
    sentence = db.execute(
        "SELECT start_char, end_char, text FROM sentences WHERE document_id = 3 AND sentence = 2"
    ).fetchone()
    assert text[sentence[0] : sentence[1]] == sentence[2]

    assert "Nothing to extract" in cli("extract").stdout
    db.execute("UPDATE documents SET text = text || char(10) || 'Ny mening.', content_hash = 'changed' WHERE id = 2")
    assert "Analysed 1 documents" in cli("extract").stdout
    assert "Analysed 5 documents" in cli("extract", "--all").stdout
    assert db["analyses"].count == 5
    assert db["sentences"].count == n_sentences + 1


def test_extract_with_two_processes_gives_the_same_findings(cli, tmp_path):
    cli("import", *SEEDS)
    cli("extract", "--processes", "1")
    db = sqlite_utils.Database(tmp_path / "kommunpress.db")
    one = list(db.query("SELECT document_id, sentence, start_char, end_char FROM sentences ORDER BY 1, 2"))
    assert cli("extract", "--all", "--processes", "2").exit_code == 0
    two = list(db.query("SELECT document_id, sentence, start_char, end_char FROM sentences ORDER BY 1, 2"))
    assert one == two


def test_extract_on_missing_database_is_one_line(cli, tmp_path):
    result = cli("extract", "--db", tmp_path / "none.db")
    assert result.exit_code == 2 and "no database" in result.stderr


def test_fingerprint_covers_component_code_but_not_search_or_evaluation():
    """Editing search or evaluation code must not make every analysed document stale."""
    from pathlib import Path

    from nlp.pipeline import _imported_nlp_modules

    root = Path(__file__).resolve().parents[1] / "nlp"
    names = {p.relative_to(root).as_posix() for p in _imported_nlp_modules(root)}
    assert {"components/money.py", "components/persons.py", "record.py", "extensions.py"} <= names
    assert not names & {"embeddings.py", "evaluate.py", "dedup.py", "pipeline.py"}
