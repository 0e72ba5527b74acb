"""Reliability of the demo's crawl: killed with SIGKILL and resumed, and analysed while it writes.

Both run the crawl process `kommunpress demo` runs (python -m crawler.run with the demo's
spec) over a subset of the bundled sample: newsrooms of five kinds (listing, Mynewsdesk,
Cision, feed, sitemap) with copies across sites. The newsroom simulator holds release
pages at a fixed point, so the crawl is surely mid-way when it is killed or analysed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kommunpress.cli import app
from kommunpress.cmd_demo import crawl_spec, crawl_targets, sample_releases, serve_sample
from kommunpress.common import open_corpus

# Newsrooms of the subset: 21 releases, among them 6 copies of releases on another site.
SITES = (
    "malmo-sitevision",
    "malmo-mynewsdesk",
    "regeringen-government",
    "regeringen-cision",
    "uppsala-feed",
    "landskrona-sitemap",
)
# Release pages each held site answers before it keeps the crawler waiting.
HOLD = {"regeringen-government": 2, "malmo-sitevision": 1}
ENV = {
    "KOMMUNPRESS_DELAY": "0",
    "KOMMUNPRESS_CONCURRENCY": "4",
    "KOMMUNPRESS_TIMEOUT": "50",
    "KOMMUNPRESS_CONTACT": "forskare@universitet.example",
    "KOMMUNPRESS_BUSY_TIMEOUT": "30",
    "KOMMUNPRESS_EXTRACT_PROCESSES": "0",
}


@pytest.fixture(scope="module")
def sim():
    with serve_sample(sample_releases(sites=SITES)) as newsroom:
        yield newsroom


@pytest.fixture
def held(sim):
    for key, after in HOLD.items():
        sim.site(key=key).hold(after=after)
    yield sim
    for key in HOLD:
        sim.site(key=key).unhold()


def n_releases(sim) -> int:
    return sum(len(site.releases) for site in sim.sites.values())


def n_before_hold(sim) -> int:
    """Documents stored at least when the crawl has done all it can before the held pages.

    (A Sitevision listing also links one release under an archive address, which is not held.)
    """
    return n_releases(sim) - sum(len(sim.site(key=k).releases) - after for k, after in HOLD.items())


def wait_for_the_hold(sim, db: Path, proc: subprocess.Popen) -> int:
    """Wait until the crawl stores nothing more: every request it has left is held. Returns the documents."""
    seen, since = -1, time.monotonic()

    def stuck() -> bool:
        nonlocal seen, since
        n = count(db)
        if n != seen:
            seen, since = n, time.monotonic()
        return n >= n_before_hold(sim) and time.monotonic() - since > 1.5

    wait_until(stuck, proc, "the crawl reached the held pages")
    return seen


def start_crawl(sim, db: Path) -> subprocess.Popen:
    """The demo's crawl process, as `kommunpress demo` starts it (a new corpus with municipalities first)."""
    open_corpus(db, create=True).close()
    spec = crawl_spec(crawl_targets(sim), db, db.with_suffix(".crawl.log"))
    spec["settings"]["DOWNLOAD_TIMEOUT"] = 50  # held pages must wait, not time out
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.run", json.dumps(spec)],
        stdin=subprocess.PIPE,  # kept open: the crawl stops when its parent's pipe closes
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **ENV},
    )


def finish(proc: subprocess.Popen, timeout: float = 120) -> int:
    """Wait for the crawl to end on its own, then close its pipe (as `kommunpress crawl` does)."""
    proc.wait(timeout=timeout)
    proc.stdin.close()
    return proc.returncode


def read(db: Path, sql: str, *params) -> list[tuple]:
    if not db.exists():
        return []
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return []


def count(db: Path, table: str = "documents") -> int:
    rows = read(db, f"SELECT count(*) FROM {table}")
    return rows[0][0] if rows else 0


def wait_until(condition, proc: subprocess.Popen | None, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the process ended before {what}: {proc.stderr.read()[-2000:]!r}")
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def documents(db: Path) -> list[tuple]:
    """What a researcher relies on per document: address, title, date and the exact text."""
    rows = read(db, "SELECT url, title, published, municipality_code, text FROM documents")
    return sorted((u, t, p, m, hashlib.sha256(x.encode()).hexdigest()) for u, t, p, m, x in rows)


def resume(db: Path):
    return CliRunner().invoke(app, ["crawl", "--resume", "--db", str(db)], env=ENV, catch_exceptions=False)


@pytest.fixture(scope="module")
def reference(sim, tmp_path_factory):
    """An uninterrupted run of the demo's crawl over the subset."""
    db = tmp_path_factory.mktemp("reference") / "corpus.db"
    proc = start_crawl(sim, db)
    wait_until(lambda: count(db) == n_releases(sim) and _finished(db), proc, "the crawl finished")
    assert finish(proc) == 0
    docs = documents(db)
    assert len(docs) == n_releases(sim)
    return docs


def _finished(db: Path) -> bool:
    return read(db, "SELECT status FROM crawl_runs ORDER BY id DESC LIMIT 1") == [("finished",)]


def test_killed_crawl_resumes_to_the_corpus_of_an_uninterrupted_one(held, reference, tmp_path):
    sim = held
    db = tmp_path / "corpus.db"
    proc = start_crawl(sim, db)
    stored = wait_for_the_hold(sim, db, proc)
    proc.kill()  # SIGKILL: no handler runs, the transaction in flight is lost
    proc.wait(timeout=30)
    assert proc.returncode == -9
    for key in HOLD:
        sim.site(key=key).unhold()
    assert count(db) == stored < n_releases(sim)
    assert read(db, "SELECT status FROM crawl_runs") == [("running",)]  # as the kill left it
    result = resume(db)
    assert result.exit_code == 0, result.output
    assert "Crawl finished" in result.stdout
    docs = documents(db)
    assert docs == reference  # the same documents, with the same titles, dates and text
    assert read(db, "SELECT count(*), count(DISTINCT url), count(DISTINCT canonical_url) FROM documents") == [
        (len(reference), len(reference), len(reference))
    ]
    assert read(db, "SELECT count(*) FROM crawl_queue WHERE state = 'pending'") == [(0,)]


def test_extract_while_the_crawl_writes_loses_nothing(held, reference, tmp_path):
    sim = held
    db = tmp_path / "corpus.db"
    crawl = start_crawl(sim, db)
    wait_for_the_hold(sim, db, crawl)
    present = {r[0] for r in read(db, "SELECT id FROM documents")}
    extract = subprocess.Popen(
        [sys.executable, "-m", "kommunpress", "extract", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **ENV},
    )
    # Once extract has chosen its documents and stored the first findings, the crawl goes on beside it.
    wait_until(lambda: count(db, "analyses") > 0, extract, "extract stored its first findings", timeout=120)
    for key in HOLD:
        sim.site(key=key).unhold()
    out, err = extract.communicate(timeout=180)
    assert extract.returncode == 0, (out, err)
    assert finish(crawl) == 0, crawl.stderr.read()[-2000:]
    assert _finished(db), (read(db, "SELECT * FROM crawl_queue WHERE state = 'pending'"), crawl.stderr.read()[-3000:])
    # Nothing lost: every release crawled, every document present when extract started analysed ...
    assert documents(db) == reference
    first = {r[0] for r in read(db, "SELECT document_id FROM analyses")}
    assert present <= first
    assert f"Analysed {len(first)} documents" in out
    # ... and a second extract picks up exactly the documents the crawl added meanwhile.
    later = {r[0] for r in read(db, "SELECT id FROM documents")} - first
    assert later, "the crawl added nothing while extract ran: the test proves nothing"
    again = CliRunner().invoke(app, ["extract", "--db", str(db)], env=ENV, catch_exceptions=False)
    assert again.exit_code == 0, again.output
    runs = read(db, "SELECT * FROM extraction_runs")
    assert f"Analysed {len(later)} documents" in again.stdout, runs
    assert {r[0] for r in read(db, "SELECT document_id FROM analyses")} == first | later
    assert read(db, "SELECT count(*) FROM documents WHERE id NOT IN (SELECT document_id FROM analyses)") == [(0,)]
