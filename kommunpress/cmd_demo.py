"""`kommunpress demo`: the whole tool on the bundled sample, offline."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from corpus.documents import Document, document_count, save_document
from crawler.localfiles import expand_paths, read_document_file
from kommunpress.common import open_corpus, out


def demo(
    workdir: Annotated[Path, typer.Option("--dir", help="Folder for the demo's database.")] = Path("kommunpress-demo"),
) -> None:
    """Build a corpus from the bundled sample and say where it is."""
    workdir.mkdir(parents=True, exist_ok=True)
    db_file = workdir / "kommunpress.db"
    conn = open_corpus(db_file, create=True)
    sample = Path(str(resources.files("corpus").joinpath("sample/seeds")))
    for f in expand_paths([sample]):
        local = read_document_file(f)
        save_document(
            conn, Document(url=local.url, text=local.text, title=local.title, source="sample", language=local.language)
        )
    out.print(f"Imported the bundled sample: {document_count(conn)} documents in [bold]{db_file}[/]")
    out.print("Try next (after `source .venv/bin/activate`):")
    for command in (
        f"kommunpress stats --db {db_file}",
        f'kommunpress query "select id, title from documents" --db {db_file}',
        f"datasette {db_file}",
    ):
        out.print(f"  {command}", soft_wrap=True, highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(demo)
