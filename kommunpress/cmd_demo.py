"""`kommunpress demo`: the whole tool on the bundled sample, offline, in a few minutes.

The demo serves corpus/sample/ as 23 fake newsrooms on 127.0.0.1 (crawler.testsite),
crawls each with the spider a researcher would pick for it, then extracts, embeds,
deduplicates and writes the report, so a new user sees every stage work before
pointing the crawler at the real web. Each run starts fresh: the simulator serves on
new ports every time, so a kept corpus would hold the same releases under two URLs.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from crawler.testsite import Newsroom, Release, load_sample
from crawler.useragent import user_agent
from kommunpress import cmd_crawl, cmd_nlp, cmd_reports, cmd_search, common
from kommunpress.common import close_corpora, fail, open_corpus, out
from nlp.embeddings import DEFAULT_MODEL

SAMPLE = Path(str(resources.files("corpus").joinpath("sample")))
DB_NAME = "kommunpress.db"
REPORT_DIR = "report"
# Written into the demo folder, so a re-run deletes only what an earlier demo made.
MARKER = ".kommunpress-demo"
# Small listing pages, so every listing, press room and cursor paginates as on a real site.
PAGE_SIZE = 2
# The spider a researcher would choose for each newsroom style of the sample's manifest.
KIND_BY_STYLE = {
    "sitevision": "listing",
    "government": "listing",
    "wordpress": "listing",
    "mynewsdesk": "mynewsdesk",
    "cision": "cision",
    "viatt": "viatt",
    "newsmachine": "newsmachine",
    "feed": "feed",
    "sitemap": "sitemap",
    "newspaper": "auto",
}
# Settings of the demo's crawl: the servers are local, so no delay is needed.
CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,  # every newsroom is 127.0.0.1, one Scrapy slot
    "DOWNLOAD_TIMEOUT": 20,
    "KOMMUNPRESS_EXTRACT_PROCESSES": 0,  # a worker process pays off on thousands of pages, not 60
}
DEMO_CONTACT = "kommunpress demo (127.0.0.1 only)"


def manifest(sample: Path = SAMPLE) -> list[dict[str, str]]:
    """The sample's manifest rows (id, municipality_code, style, site, copy_of ...)."""
    with (sample / "manifest.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sample_releases(sample: Path = SAMPLE, sites: Sequence[str] | None = None) -> list[Release]:
    """The sample's releases as the simulator publishes them (only those newsrooms, if given)."""
    releases = load_sample(sample)
    if sites is not None:
        releases = [r for r in releases if r.site in sites]
    return releases


def serve_sample(releases: list[Release]) -> Newsroom:
    """The simulator for these releases (not yet started: use it as a context manager)."""
    return Newsroom(releases, page_size=PAGE_SIZE)


def crawl_targets(sim: Newsroom, sample: Path = SAMPLE) -> list[dict[str, Any]]:
    """One crawl target per newsroom: its start URL, spider kind and municipality code.

    A newsroom run by a municipality gets its code, so its releases count as the
    municipality's own; newspapers, the government and agencies get none.
    """
    rows = {r["site"]: r for r in manifest(sample)}
    targets = []
    for site in sim.sites.values():
        style, code = rows[site.key]["style"], rows[site.key]["municipality_code"] or None
        kind = KIND_BY_STYLE.get(style, "auto")
        if kind == "feed":
            url = site.url(site.feed_path)
        elif kind == "sitemap":
            url = site.url(site.sitemap_path)
        else:
            url = site.start_url
        targets.append({"url": url, "kind": kind, "municipality": None if style == "newspaper" else code})
    return targets


def crawl_spec(targets: list[dict[str, Any]], db_file: Path, log_file: Path) -> dict[str, Any]:
    """What `python -m crawler.run` needs for the demo's crawl (the same process `kommunpress crawl` runs)."""
    settings = {
        **CRAWL_SETTINGS,
        "KOMMUNPRESS_DB": str(db_file),
        "KOMMUNPRESS_PROGRESS_FD": "1",
        "LOG_FILE": str(log_file),
        "LOG_FILE_APPEND": True,
        "USER_AGENT": user_agent(DEMO_CONTACT),
    }
    args = {"targets": targets, "since": None, "topic": "segregation", "path": None, "refresh": False}
    return {"spider": "auto", "args": args, "settings": settings, "watch_parent": True}


def _prepare(workdir: Path) -> None:
    """Make workdir ready for a fresh demo, deleting only what an earlier demo wrote there."""
    if workdir.exists() and not workdir.is_dir():
        raise fail(f"{workdir} is a file; give the demo a folder with --dir")
    if workdir.is_dir() and any(workdir.iterdir()) and not (workdir / MARKER).exists():
        raise fail(f"{workdir} is not empty and was not made by `kommunpress demo`; choose another --dir")
    workdir.mkdir(parents=True, exist_ok=True)
    db_file = workdir / DB_NAME
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{db_file.stem}.crawl.log"):
        (workdir / name).unlink(missing_ok=True)
    shutil.rmtree(workdir / REPORT_DIR, ignore_errors=True)
    (workdir / MARKER).write_text("Made by `kommunpress demo`; the next demo run replaces this folder's files.\n")


@contextmanager
def _stage(n: int, total: int, title: str, timings: dict[str, float]) -> Iterator[None]:
    out.rule(f"[bold]{n}/{total}[/] {title}", align="left")
    start, already_open = time.monotonic(), len(common._open)
    try:
        yield
    finally:
        close_corpora(keep=already_open)  # the stage's connections, so the .db file is complete between stages
    timings[title.split(":")[0]] = time.monotonic() - start


def next_commands(db_file: Path) -> list[str]:
    """Three commands to try on the demo's corpus, exactly as they run from here."""
    db = _shell_path(db_file)
    return [
        f"kommunpress compare amounts -m Malmö,Gävle --db {db}",
        f'kommunpress search "läxhjälp för barn" -k 5 --db {db}',
        f"kommunpress serve --db {db}",
    ]


def _shell_path(path: Path) -> str:
    text = str(path)
    return f"'{text}'" if any(c in text for c in " \"'$`\\&;|*?()<>") else text


def demo(
    workdir: Annotated[
        Path, typer.Option("--dir", help="Folder for the demo's corpus and report (replaced on every run).")
    ] = Path("kommunpress-demo"),
) -> None:
    """Crawl the bundled sample from newsrooms served on 127.0.0.1, then extract, embed, dedup and report.

    Offline and fresh every time: a re-run replaces the corpus and report in --dir.
    """
    _prepare(workdir)
    db_file = workdir / DB_NAME
    log_file = workdir / f"{db_file.stem}.crawl.log"
    report_dir = workdir / REPORT_DIR
    releases = sample_releases()
    timings: dict[str, float] = {}
    started = time.monotonic()
    with serve_sample(releases) as sim:
        targets = crawl_targets(sim)
        title = f"crawl: {len(targets)} newsrooms served on 127.0.0.1 ({len(releases)} releases)"
        with _stage(1, 5, title, timings):
            open_corpus(db_file, create=True).close()  # a new corpus with the municipalities the crawl refers to
            final = cmd_crawl._run(crawl_spec(targets, db_file, log_file), log_file)
            cmd_crawl._finish(final, log_file, n_targets=len(targets))
    with _stage(2, 5, "extract: sums, people, organisations and measures", timings):
        cmd_nlp.extract(db=db_file)
    # The bundled model always: it loads from disk, so the demo never needs the network.
    with _stage(3, 5, f"embed: sentences and measures with {DEFAULT_MODEL}", timings):
        cmd_search.embed(db=db_file, model=DEFAULT_MODEL)
    with _stage(4, 5, "dedup: copies of one release on several sites", timings):
        cmd_search.dedup(model=DEFAULT_MODEL, db=db_file)
    with _stage(5, 5, "report: money table, charts, evidence", timings):
        cmd_reports.report(out_dir=report_dir, db=db_file)
    total = time.monotonic() - started
    out.rule("[bold]Done[/]", align="left")
    out.print(
        f"Demo finished in {total:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + ").",
        highlight=False,
    )
    out.print(f"Corpus: [bold]{escape(str(db_file))}[/]", highlight=False)
    report_html = escape(str(report_dir / "report.html"))
    out.print(f"Report: [bold]{report_html}[/] (opens offline in a browser)", highlight=False)
    out.print(
        "The releases are fictional (corpus/sample/README.md); their URLs point at the demo's "
        "newsrooms on 127.0.0.1, which stopped with it. Running the demo again starts afresh.",
        highlight=False,
    )
    out.print("Try next (after `source .venv/bin/activate`):", highlight=False)
    for command in next_commands(db_file):
        out.print(f"  {command}", soft_wrap=True, highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(demo)
