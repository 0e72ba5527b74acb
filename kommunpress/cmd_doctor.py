"""`kommunpress doctor`: is everything the tool needs installed and working here?

One line per check, ok/missing/warning with a hint, so a researcher on a new machine
(or a colleague helping them) sees at once what to install. Checks load the real
things (the pipeline, the embedding model offline, the corpus file) rather than
looking for files, since a half-installed package fails only when used. Nothing is
created or changed: the corpus is opened read-only, and the folder's writability is
tried with a temporary file that is removed again.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.markup import escape

import corpus
from corpus.connection import busy_timeout, check_file, describe_sqlite_error
from corpus.schema import SCHEMA_VERSION, schema_version
from kommunpress.cmd_nlp import ConfigOption
from kommunpress.common import EXPECTED_ERRORS, DbOption, out

MIN_PYTHON = (3, 11)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_PATHS = (Path("/usr/bin/chromium"),)


@dataclass
class Check:
    """What a check found: ok, or the problem and a hint to fix it."""

    ok: bool
    detail: str
    hint: str = ""


class CheckFailed(Exception):
    """A check's problem and the hint for it."""

    def __init__(self, detail: str, hint: str) -> None:
        super().__init__(detail)
        self.hint = hint


def check_python() -> str:
    v = sys.version_info
    if v < MIN_PYTHON:
        raise CheckFailed(
            f"Python {v.major}.{v.minor} is too old", "install Python 3.11 or newer and run `make demo` again"
        )
    return f"Python {v.major}.{v.minor}.{v.micro} ({sys.executable})"


def check_pipeline(config: Path | None) -> str:
    from nlp.pipeline import DEFAULT_CONFIG, load

    try:
        nlp = load(config)
    except EXPECTED_ERRORS as e:
        raise CheckFailed(str(e), "check the config file (KOMMUNPRESS_NLP_CONFIG / --config)") from None
    except ImportError as e:
        raise CheckFailed(f"cannot load the pipeline: {e}", "reinstall: .venv/bin/pip install -e .") from None
    return f"spaCy pipeline loads ({len(nlp.pipe_names)} components from {config or DEFAULT_CONFIG})"


def check_lemmas() -> str:
    hint = "install the Swedish lemma tables: .venv/bin/pip install spacy-lookups-data"
    try:
        import spacy_lookups_data
    except ImportError:
        raise CheckFailed("spacy-lookups-data is not installed", hint) from None
    table = Path(spacy_lookups_data.__file__).parent / "data" / "sv_lemma_lookup.json.gz"
    if not table.is_file():
        raise CheckFailed(f"no Swedish lemma table at {table}", hint)
    return f"Swedish lemmas of spacy-lookups-data {getattr(spacy_lookups_data, '__version__', '')}".rstrip()


def check_embeddings() -> str:
    # Offline on purpose: a model that loads only with the network breaks on a train or in a secure room.
    if "huggingface_hub" not in sys.modules:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from nlp.embeddings import EmbeddingError, configured_model, load_embedder

    try:
        name = configured_model()
        embedder = load_embedder(name)
        dimension = embedder.encode(["Kommunen får 13,4 miljoner kronor."]).shape[1]
    except EmbeddingError as e:
        raise CheckFailed(
            str(e),
            "download it once while online (or point KOMMUNPRESS_EMBEDDING_MODEL at a folder), "
            "or unset KOMMUNPRESS_EMBEDDING_MODEL to use the bundled model",
        ) from None
    return f"embedding model {name} loads offline ({dimension} dimensions)"


def check_database(path: Path) -> str:
    folder = path.parent
    if path.exists():
        documents = _read_corpus(path)
        _check_folder_writable(folder, f"{path} opens but its folder {folder} cannot be written (WAL needs it)")
        return f"corpus {path} opens and is writable ({documents} documents)"
    if not folder.is_dir():
        raise CheckFailed(f"no corpus at {path}, and its folder {folder} does not exist", f"mkdir -p {folder}")
    _check_folder_writable(folder, f"no corpus at {path}, and its folder {folder} cannot be written")
    return f"no corpus at {path} yet; its folder is writable (kommunpress init --db {path} creates it)"


def _read_corpus(path: Path) -> int:
    """Open the corpus for writing without writing (and without migrating), and count its documents.

    A read-only connection would leave -wal/-shm files behind; a read-write one that only
    reads removes them when it closes, and mode=rw never creates a database.
    """
    try:
        check_file(path)
    except corpus.CorpusError as e:
        raise CheckFailed(str(e), "give another --db, or restore the file from a copy") from None
    if not os.access(path, os.W_OK):
        raise CheckFailed(f"{path} cannot be written", f"make it writable: chmod u+w {path}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=busy_timeout())
    except sqlite3.DatabaseError as e:
        raise CheckFailed(describe_sqlite_error(path, e), "check the file's permissions") from None
    try:
        version = schema_version(conn)
        if version == 0:
            raise CheckFailed(f"{path} is a SQLite database but not a kommunpress corpus", "give another --db")
        if version > SCHEMA_VERSION:
            raise CheckFailed(
                f"{path} has schema version {version}, newer than this kommunpress ({SCHEMA_VERSION})",
                "upgrade kommunpress",
            )
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise CheckFailed(describe_sqlite_error(path, e), "restore the file from a copy") from None
    finally:
        conn.close()


def _check_folder_writable(folder: Path, problem: str) -> None:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".kommunpress-doctor-"):
            pass
    except OSError:
        raise CheckFailed(problem, "give a --db in a folder you can write to") from None


def check_module(name: str, what: str, package: str) -> Callable[[], str]:
    def check() -> str:
        try:
            module = importlib.import_module(name)
        except ImportError as e:
            raise CheckFailed(f"{what}: {e}", f"install it: .venv/bin/pip install {package}") from None
        return f"{what} {getattr(module, '__version__', '')}".rstrip()

    return check


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((str(p) for p in CHROMIUM_PATHS if p.is_file() and os.access(p, os.X_OK)), None)


def check_chromium() -> str:
    found = find_chromium()
    if found is None:
        raise CheckFailed(
            "Chromium not found (only the report's browser tests need it)",
            "Debian/Ubuntu: apt-get install chromium chromium-driver",
        )
    return f"Chromium for the report tests: {found}"


def run_check(check: Callable[[], str]) -> Check:
    try:
        return Check(True, check())
    except CheckFailed as e:
        return Check(False, str(e), e.hint)


def doctor(db: DbOption = None, config: ConfigOption = None) -> None:
    """Check the installation: Python, the pipeline and lemmas, the embedding model, the corpus, Scrapy, Chromium.

    Exits 1 when something required is missing; Chromium is optional (a warning).
    """
    checks: list[tuple[str, Callable[[], str], bool]] = [
        ("python", check_python, True),
        ("pipeline", lambda: check_pipeline(config), True),
        ("lemmas", check_lemmas, True),
        ("embeddings", check_embeddings, True),
        ("database", lambda: check_database(corpus.db_path(db)), True),
        ("scrapy", check_module("scrapy", "Scrapy", "scrapy"), True),
        ("datasette", check_module("datasette", "Datasette", "datasette"), True),
        ("chromium", check_chromium, False),
    ]
    failed = 0
    for name, check, required in checks:
        result = run_check(check)
        if result.ok:
            label = "[green]ok[/]     "
        elif required:
            label, failed = "[red]missing[/]", failed + 1
        else:
            label = "[yellow]warning[/]"
        hint = f" [dim]→ {escape(result.hint)}[/]" if result.hint else ""
        out.print(f"{label} {name:<11} {escape(result.detail)}{hint}", highlight=False, soft_wrap=True)
    if failed:
        out.print(f"{failed} required check(s) failed.", highlight=False)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(doctor)
