"""`kommunpress doctor`: one line per check, ok/missing/warning with a hint, exit 1 when something required is missing.

A researcher runs it on a new machine before a long crawl; it must name what is missing
and never change the corpus it looks at.
"""

from __future__ import annotations

import sys

import pytest

from corpus.documents import Document, save_document
from kommunpress import cmd_doctor
from kommunpress.common import open_corpus

CHECKS = ("python", "pipeline", "lemmas", "embeddings", "database", "scrapy", "datasette", "chromium")


def lines_by_check(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] in CHECKS:
            found[parts[1]] = line
    assert set(found) == set(CHECKS), output
    return found


def status(line: str) -> str:
    return line.split()[0]


def test_a_complete_installation_passes_every_required_check(cli, tmp_path):
    db_file = tmp_path / "studie.db"
    conn = open_corpus(db_file, create=True)
    save_document(conn, Document(url="https://example.org/a", text="Kommunen får 13,4 miljoner kronor."))
    conn.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli("doctor", "--db", db_file)
    assert result.exit_code == 0, result.output
    lines = lines_by_check(result.stdout)
    for name in CHECKS[:-1]:
        assert status(lines[name]) == "ok", lines[name]
    assert "1 documents" in lines["database"]
    assert "loads offline" in lines["embeddings"]
    assert status(lines["chromium"]) in ("ok", "warning")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal, -shm or temporary file left


def test_no_corpus_yet_is_fine_and_no_file_is_created(cli, tmp_path):
    result = cli("doctor")
    assert result.exit_code == 0, result.output
    line = lines_by_check(result.stdout)["database"]
    assert status(line) == "ok" and "kommunpress init" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.write_text("anteckningar\n"), "not a SQLite database"),
        (lambda p: p.mkdir(), "is a directory"),
    ],
)
def test_a_bad_database_is_missing_with_a_hint_and_left_alone(cli, tmp_path, setup, message):
    target = tmp_path / "notes.db"
    setup(target)
    result = cli("doctor", "--db", target)
    assert result.exit_code == 1, result.output
    line = lines_by_check(result.stdout)["database"]
    assert status(line) == "missing" and message in line and "→" in line
    if target.is_file():
        assert target.read_text() == "anteckningar\n"
    assert "1 required check(s) failed" in result.stdout


def test_a_folder_that_does_not_exist_is_missing(cli, tmp_path):
    result = cli("doctor", "--db", tmp_path / "nowhere" / "corpus.db")
    assert result.exit_code == 1
    line = lines_by_check(result.stdout)["database"]
    assert status(line) == "missing" and "does not exist" in line and "mkdir -p" in line
    assert not (tmp_path / "nowhere").exists()


def test_an_embedding_model_that_is_not_on_disk_is_missing(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("KOMMUNPRESS_EMBEDDING_MODEL", str(tmp_path / "no-such-model"))
    result = cli("doctor")
    assert result.exit_code == 1
    line = lines_by_check(result.stdout)["embeddings"]
    assert status(line) == "missing" and "no-such-model" in line and "KOMMUNPRESS_EMBEDDING_MODEL" in line


def test_a_pipeline_config_that_does_not_load_is_missing(cli, monkeypatch, tmp_path):
    broken = tmp_path / "broken.cfg"
    broken.write_text('[nlp]\nlang = "sv"\npipeline = ["kp_no_such_component"]\n')
    monkeypatch.setenv("KOMMUNPRESS_NLP_CONFIG", str(broken))
    result = cli("doctor")
    assert result.exit_code == 1
    line = lines_by_check(result.stdout)["pipeline"]
    assert status(line) == "missing" and "broken.cfg" in line


def test_a_missing_package_is_named_with_how_to_install_it(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "scrapy", None)  # import scrapy now raises ImportError
    result = cli("doctor")
    assert result.exit_code == 1
    line = lines_by_check(result.stdout)["scrapy"]
    assert status(line) == "missing" and "pip install scrapy" in line


def test_without_chromium_only_a_warning(cli, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(cmd_doctor, "CHROMIUM_PATHS", ())
    result = cli("doctor")
    line = lines_by_check(result.stdout)["chromium"]
    assert status(line) == "warning" and "apt-get install chromium" in line
    assert result.exit_code == 0, result.output
