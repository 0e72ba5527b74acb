"""What every command shares: consoles, the --db option, opening the corpus, errors.

Expected problems (a bad path, a broken file, a refused query) reach the user as
one line on stderr with exit code 2; only real bugs show a traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated, Optional

import sqlite_utils
import typer
from rich.console import Console
from typer.core import TyperGroup

import corpus
from corpus.connection import describe_sqlite_error
from corpus.municipalities import load_municipalities, municipality_count
from crawler.errors import CrawlError
from crawler.localfiles import InputFileError
from nlp import gazetteer
from nlp.embeddings import EmbeddingError
from nlp.evaluate import GoldFileError
from nlp.pipeline_errors import PipelineError
from reports.errors import ReportError

out = Console()
err = Console(stderr=True, soft_wrap=True)

# Exception types that mean "the user can fix this"; later stages add theirs here.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (
    corpus.CorpusError,
    InputFileError,
    CrawlError,
    PipelineError,
    GoldFileError,
    EmbeddingError,
    ReportError,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line of error and return the Exit to raise (exit code 2 by default)."""
    err.print(f"[bold red]kommunpress:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


class KommunpressGroup(TyperGroup):
    """Turns expected errors from any subcommand into one line and exit code 2."""

    def invoke(self, ctx):
        already_open = len(_open)
        try:
            return super().invoke(ctx)
        except EXPECTED_ERRORS as e:
            raise fail(str(e)) from None
        except sqlite3.DatabaseError as e:
            raise fail(describe_sqlite_error(None, e)) from None
        finally:
            close_corpora(keep=already_open)


# Connections opened by the running command. Closing the last connection to a WAL
# database checkpoints it, so the .db file alone is complete when a command ends.
_open: list[sqlite_utils.Database] = []


def close_corpora(keep: int = 0) -> None:
    """Close the connections opened after the first `keep` (those of the command ending now)."""
    while len(_open) > keep:
        _open.pop().close()


DbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        envvar="KOMMUNPRESS_DB",
        help="Corpus file (default: kommunpress.db here, or $KOMMUNPRESS_DB).",
        show_default=False,
    ),
]


def open_corpus(path: Path | None, *, create: bool = False) -> sqlite_utils.Database:
    """Open the corpus and make sure its municipality reference table is filled.

    The connection is closed when the command ends.
    """
    db = corpus.open_db(path, create=create)
    _open.append(db)
    if municipality_count(db) != len(gazetteer.municipalities()):
        rows = [
            {
                "code": m.code,
                "name": m.name,
                "county_code": m.county_code,
                "county": m.county,
                "delmos_2018": m.delmos_2018,
            }
            for m in gazetteer.municipalities()
        ]
        names = [
            {"name": form, "code": m.code, "kind": kind}
            for m in gazetteer.municipalities()
            for form, kind in gazetteer.name_forms(m)
        ]
        load_municipalities(db, rows, names)
    return db
