"""`kommunpress crawl`: collect releases from newsrooms into the corpus, politely and resumably.

The crawl itself runs in a child process (python -m crawler.run): Twisted's reactor
runs once per process, and a crawl killed with kill -9 must not take the CLI, a test
or `kommunpress demo` with it. This module checks the arguments, starts that process,
draws its progress and sums up.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.live import Live
from rich.table import Table

import corpus
from corpus import crawlstate as cs
from corpus.municipalities import resolve_municipality
from crawler.dates import parse_since
from crawler.errors import CrawlError
from crawler.sources import Source, load_sources, municipality_for_url, sources_for
from crawler.topic import load_topic
from crawler.urls import canonicalize
from crawler.useragent import user_agent
from kommunpress.common import DbOption, err, fail, open_corpus, out


class Kind(StrEnum):
    auto = "auto"
    listing = "listing"
    mynewsdesk = "mynewsdesk"
    cision = "cision"
    viatt = "viatt"
    newsmachine = "newsmachine"
    feed = "feed"
    sitemap = "sitemap"
    release = "release"


def crawl(
    urls: Annotated[
        Optional[list[str]],
        typer.Argument(help="Start URLs: a news listing, press room, feed, sitemap or release.", show_default=False),
    ] = None,
    kind: Annotated[Kind, typer.Option("--kind", "-k", help="What the start URLs are (auto finds out).")] = Kind.auto,
    municipality: Annotated[
        Optional[list[str]],
        typer.Option(
            "--municipality",
            "-m",
            help="Code or name of the municipality. Without URLs: crawl its known newsrooms (crawler/sources.csv);"
            " give it several times for several municipalities.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        Optional[str], typer.Option(help="Only releases published on or after this date (2018-01-01).")
    ] = None,
    max_pages: Annotated[
        Optional[int], typer.Option("--max-pages", min=1, help="Stop after this many pages; --resume goes on.")
    ] = None,
    topic: Annotated[
        Optional[str],
        typer.Option(help="Mark releases on this topic relevant: a bundled topic (segregation) or a topic file."),
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the last crawl that was interrupted.")] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask again for stored releases (unchanged ones are not downloaded).")
    ] = False,
    path: Annotated[Optional[str], typer.Option(help="Only sitemap URLs whose path matches this regex.")] = None,
    all_sources: Annotated[
        bool, typer.Option("--all-sources", help="Crawl every known newsroom (all 32 grant municipalities).")
    ] = False,
    sources: Annotated[
        Optional[Path],
        typer.Option(envvar="KOMMUNPRESS_SOURCES", help="A CSV of your own newsrooms (code,kind,url) to add."),
    ] = None,
    list_sources: Annotated[bool, typer.Option("--list-sources", help="Show the known newsrooms and exit.")] = False,
    contact: Annotated[
        Optional[str],
        typer.Option(envvar="KOMMUNPRESS_CONTACT", help="Your e-mail or web page, sent in the User-Agent."),
    ] = None,
    delay: Annotated[
        float, typer.Option(envvar="KOMMUNPRESS_DELAY", min=0, help="Seconds between requests to one site.")
    ] = 1.0,
    concurrency: Annotated[
        int, typer.Option(envvar="KOMMUNPRESS_CONCURRENCY", min=1, help="Requests at a time per site.")
    ] = 1,
    timeout: Annotated[
        float, typer.Option(envvar="KOMMUNPRESS_TIMEOUT", min=1, help="Seconds to wait for a page.")
    ] = 30,
    http_cache: Annotated[
        Optional[Path], typer.Option(envvar="KOMMUNPRESS_HTTPCACHE", help="Keep every response in this folder.")
    ] = None,
    log: Annotated[Optional[Path], typer.Option(help="Log file (default: next to the corpus, *.crawl.log).")] = None,
    db: DbOption = None,
) -> None:
    """Crawl newsrooms into the corpus: releases with title, date, text, contact and raw page.

    Polite by default (robots.txt, one request at a time per site, AutoThrottle); a second
    crawl adds only new releases; an interrupted crawl goes on with --resume.
    """
    known = load_sources(sources)
    names = municipality or []
    if list_sources:
        _print_sources(known, names)
        return
    if urls and len(names) > 1:
        raise CrawlError("give one --municipality for the URLs, or several without URLs")
    since_date = _since(since)
    if topic:
        load_topic(topic)
    db_file = corpus.db_path(db)
    conn = open_corpus(db_file, create=True)
    try:
        codes = [resolve_municipality(conn, name) for name in names]
        args = _resume_args(conn, urls) if resume else None
    finally:
        conn.close()
    if args is None:
        targets = _targets(urls or [], kind.value, codes, names, known, all_sources)
        args = {"targets": targets, "since": since_date, "topic": topic, "path": path, "refresh": refresh}
    if max_pages:
        args["max_pages"] = max_pages
    if not contact:
        err.print(
            "[yellow]tip:[/] set KOMMUNPRESS_CONTACT (or --contact) to your e-mail, so site owners can reach you",
            highlight=False,
        )
    log_file = log or db_file.with_name(db_file.stem + ".crawl.log")
    settings = {
        "KOMMUNPRESS_DB": str(db_file),
        "KOMMUNPRESS_PROGRESS_FD": "1",
        "LOG_FILE": str(log_file),
        "LOG_FILE_APPEND": True,
        "USER_AGENT": user_agent(contact),
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(delay, 1.0),
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_TIMEOUT": timeout,
    }
    if http_cache:
        settings.update({"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(http_cache.resolve())})
    spec = {"spider": "auto", "args": args, "settings": settings, "watch_parent": True}
    final = _run(spec, log_file)
    _finish(final, log_file, n_targets=len(args.get("targets") or []) or None)


def _since(value: str | None) -> str | None:
    try:
        d = parse_since(value)
    except ValueError as e:
        raise CrawlError(str(e)) from None
    return d.isoformat() if d else None


def _resume_args(conn, urls: list[str] | None) -> dict[str, Any]:
    if urls:
        raise CrawlError("--resume continues the last interrupted crawl with its own URLs; give no URLs with it")
    run = cs.latest_unfinished_run(conn)
    if run is None:
        raise CrawlError("nothing to resume: the last crawl in this corpus ran to its end")
    if run.status == "running" and run.pid and _alive(run.pid):
        raise CrawlError(f"a crawl (process {run.pid}) is still running on this corpus; wait for it or stop it first")
    return {"resume": run.id}


def _alive(pid: int) -> bool:
    """Is that crawl process still running? A killed one may linger as a zombie, and its number be reused."""
    if pid == os.getpid():
        return False
    proc = Path(f"/proc/{pid}")
    if Path("/proc/self").exists():
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (proc / "cmdline").read_bytes()
        except (OSError, IndexError):
            return False
        return state != "Z" and b"crawler.run" in cmdline
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _targets(
    urls: list[str], kind: str, codes: list[str], names: list[str], known: list[Source], all_sources: bool
) -> list[dict[str, Any]]:
    code = codes[0] if codes else None
    if urls:
        targets = []
        for url in urls:
            start = url.strip() if kind == "sitemap" else canonicalize(url)
            canonicalize(url)  # refuse what is not a web address, whatever the kind
            targets.append({"url": start, "kind": kind, "municipality": code or municipality_for_url(start, known)})
        return targets
    if all_sources:
        chosen = known
    elif codes:
        chosen = []
        for c, name in zip(codes, names, strict=True):
            found = sources_for(c, known)
            if not found:
                raise CrawlError(f"no known newsrooms for {name}: give their URLs, or add them with --sources FILE")
            chosen += found
    else:
        raise CrawlError("give a URL to crawl, --municipality NAME for its known newsrooms, or --resume")
    return [{"url": s.url, "kind": s.kind, "municipality": s.code} for s in chosen]


def _print_sources(known: list[Source], names: list[str]) -> None:
    wanted = {n.lower() for n in names}
    rows = [s for s in known if not wanted or wanted & {s.code, (s.municipality or "").lower()}]
    table = Table("code", "municipality", "kind", "url", caption=f"{len(rows)} newsrooms")
    for s in rows:
        table.add_row(s.code, s.municipality or "", s.kind, s.url)
    out.print(table)


# ---- running the crawl process ---------------------------------------------------------------


def _run(spec: dict[str, Any], log_file: Path) -> dict[str, Any]:
    """Run the crawl process, showing its progress; returns its last report."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "PYTHONUNBUFFERED": "1"}
    last: dict[str, Any] = {}
    with log_file.open("ab") as log_handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.run", json.dumps(spec, ensure_ascii=False)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_handle,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the crawl once, through us
        )
        interrupts = 0
        with Live(_display(last), console=err, transient=True, refresh_per_second=4) as live:
            while True:
                try:
                    line = proc.stdout.readline()
                except KeyboardInterrupt:
                    interrupts += 1
                    with contextlib.suppress(ProcessLookupError):
                        proc.send_signal(signal.SIGINT)  # the first stops gracefully, a second at once
                    continue
                if not line:
                    break
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                last = event
                live.update(_display(event))
        while True:
            try:
                proc.wait()
                break
            except KeyboardInterrupt:
                interrupts += 1
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGINT)
        proc.stdin.close()
    last["returncode"] = proc.returncode
    last["interrupts"] = interrupts
    return last


def _groups(stats: dict[str, int]) -> dict[str, Counter]:
    groups: dict[str, Counter] = {"stored": Counter(), "skipped": Counter(), "errors": Counter()}
    for key, n in stats.items():
        if key.startswith("releases "):
            groups["stored"][key.removeprefix("releases ")] += n
        elif key.startswith("skipped: "):
            groups["skipped"][key.removeprefix("skipped: ")] += n
        elif key.startswith("error: "):
            groups["errors"][key.removeprefix("error: ")] += n
    return groups


def _outcomes(stored: Counter) -> tuple[int, int, int]:
    """(new, updated, unchanged) releases; a copy of a release from another site counts as new."""
    new = sum(n for k, n in stored.items() if k.startswith("added"))
    unchanged = sum(n for k, n in stored.items() if k.startswith("unchanged"))
    return new, stored.get("updated", 0), unchanged


def _display(event: dict[str, Any]) -> Table:
    stats = event.get("stats") or {}
    g = _groups(stats)
    elapsed = event.get("elapsed") or 0
    pages = stats.get("pages fetched", 0) + stats.get("listing pages read", 0)
    rate = f" ({pages / elapsed:.1f}/s)" if elapsed else ""
    table = Table.grid(padding=(0, 2))
    table.add_row("[bold]Crawling[/]", f"{elapsed:.0f} s")
    table.add_row("Pages fetched", f"{pages}{rate}")
    new, updated, unchanged = _outcomes(g["stored"])
    table.add_row("New releases", str(new))
    table.add_row("Updated / unchanged", f"{updated} / {unchanged}")
    table.add_row("Skipped", str(sum(g["skipped"].values())))
    table.add_row("Errors", str(sum(g["errors"].values())))
    for line in (event.get("recent_errors") or [])[-3:]:
        table.add_row("", f"[dim]{line}[/]")
    return table


def _finish(final: dict[str, Any], log_file: Path, n_targets: int | None) -> None:
    if final.get("event") == "fatal":
        raise CrawlError(final.get("message") or "the crawl could not start")
    if final.get("event") != "done":
        raise fail(f"the crawl stopped unexpectedly (exit code {final.get('returncode')}); see {log_file}")
    stats = final.get("stats") or {}
    g = _groups(stats)
    failures: dict[str, str] = final.get("start_failures") or {}
    reached = set(final.get("reached") or [])
    unreachable = {u: why for u, why in failures.items() if u not in reached}
    pages = stats.get("pages fetched", 0) + stats.get("listing pages read", 0)
    if n_targets and unreachable and len(unreachable) >= n_targets and not pages:
        raise fail("; ".join(f"cannot reach {u} ({why})" for u, why in unreachable.items()))
    status = final.get("status") or final.get("reason")
    new, updated, unchanged = _outcomes(g["stored"])
    out.print(
        f"Crawl {status} in {final.get('elapsed', 0):.1f} s: {pages} pages fetched; "
        f"{new} new releases, {updated} updated, {unchanged} unchanged; "
        f"{sum(g['skipped'].values())} skipped, {sum(g['errors'].values())} errors",
        highlight=False,
        soft_wrap=True,
    )
    table = Table("", "what", "pages", box=None, show_header=False, pad_edge=False)
    for group, counter in g.items():
        for what, n in counter.most_common():
            table.add_row(group, what, str(n))
    for key in ("relevant to the topic", "files recorded (not parsed)", "listing pages unchanged (not modified)"):
        if stats.get(key):
            table.add_row("", key, str(stats[key]))
    if table.row_count:
        out.print(table)
    for u, why in unreachable.items():
        err.print(f"[yellow]warning:[/] cannot reach {u} ({why})", highlight=False)
    out.print(f"Log: {log_file}", highlight=False)
    if status in ("interrupted", "stopped"):
        out.print("More to fetch: continue with `kommunpress crawl --resume`", highlight=False)
        raise typer.Exit(130 if status == "interrupted" else 0)
    if unreachable:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(crawl)
