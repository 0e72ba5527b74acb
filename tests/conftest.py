"""Shared fixtures: a real corpus file in a temporary folder, and the CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

# No test may reach the internet: models load from disk only (the bundled all-MiniLM-L6-v2).
# Set before anything imports huggingface_hub, which reads these once.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest
from typer.testing import CliRunner

from kommunpress.cli import app
from kommunpress.common import open_corpus

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SEEDS_DIR = ROOT / "corpus" / "sample" / "seeds"  # the five seed pages, bundled as the first sample
SCORER = ROOT / "tests" / "tools" / "score.py"  # copy of the project's shared scorer


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "corpus.db"


@pytest.fixture
def db(db_file: Path):
    conn = open_corpus(db_file, create=True)
    yield conn
    conn.close()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Run `kommunpress ...` in-process, in tmp_path, with a short lock timeout."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KOMMUNPRESS_DB", raising=False)
    monkeypatch.setenv("KOMMUNPRESS_BUSY_TIMEOUT", "0.2")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run
