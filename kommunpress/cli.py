"""The `kommunpress` command: one Typer app, each stage's commands in its own module."""

from __future__ import annotations

from typing import Annotated

import typer

from kommunpress import (
    __version__,
    cmd_corpus,
    cmd_crawl,
    cmd_demo,
    cmd_doctor,
    cmd_evaluate,
    cmd_nlp,
    cmd_reports,
    cmd_search,
)
from kommunpress.common import KommunpressGroup

app = typer.Typer(
    name="kommunpress",
    cls=KommunpressGroup,
    help="Text mining for Swedish municipal press releases: crawl, extract, compare.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kommunpress {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Text mining for Swedish municipal press releases: crawl, extract, compare."""


cmd_corpus.register(app)
cmd_crawl.register(app)
cmd_nlp.register(app)
cmd_evaluate.register(app)
cmd_search.register(app)
cmd_demo.register(app)
cmd_reports.register(app)
cmd_doctor.register(app)


def main() -> None:
    app()
