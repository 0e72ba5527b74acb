"""An interrupted crawl (kill -9 or Ctrl-C) resumed with --resume gives the corpus an uninterrupted one gives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawler.testsite import Newsroom, SiteOptions, generate_releases
from kommunpress.cli import app

ENV = {
    "KOMMUNPRESS_DELAY": "0",
    "KOMMUNPRESS_CONCURRENCY": "1",  # one page at a time, so the crawl is still running when we stop it
    "KOMMUNPRESS_TIMEOUT": "5",
    "KOMMUNPRESS_CONTACT": "forskare@universitet.example",
    "KOMMUNPRESS_BUSY_TIMEOUT": "10",
    "KOMMUNPRESS_EXTRACT_PROCESSES": "0",  # a worker process pays off on big crawls, not on 30 pages
}
COLUMNS = "url, canonical_url, title, published, text, contact, municipality_code, language, http_status, relevant"


@pytest.fixture(scope="module")
def site():
    releases = generate_releases(30, municipality="Lund", seed=11, paragraphs=2)
    options = {"sitevision": SiteOptions(page_size=6, sitemap=False)}
    with Newsroom(releases, options=options) as sim:
        yield sim.site()


def crawl_in_process(*args: str | Path, concurrency: int = 8):
    env = {**ENV, "KOMMUNPRESS_CONCURRENCY": str(concurrency)}
    return CliRunner().invoke(app, ["crawl", *map(str, args)], env=env, catch_exceptions=False)


def content(db: Path) -> tuple[set[tuple], int, set[tuple]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(f"SELECT {COLUMNS} FROM documents").fetchall()
        links = set(conn.execute("SELECT url, found_on FROM links").fetchall())
    finally:
        conn.close()
    return set(rows), len(rows), links


def document_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def crawl_pid(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT pid FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        conn.close()


def start_crawl(site, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kommunpress",
            "crawl",
            site.start_url,
            "--kind",
            "listing",
            "-m",
            "Lund",
            "--db",
            str(db),
        ],
        env={**os.environ, **ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )


def _ctrl_c_as_at_a_terminal() -> None:
    """SIGINT at its default, as in a terminal. A suite started in the background (`make test &`,
    some CI runners) ignores SIGINT, a child inherits that, and Python then never raises
    KeyboardInterrupt: the Ctrl-C test would test nothing but the runner."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_documents(db: Path, n: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while document_count(db) < n:
        assert proc.poll() is None, f"the crawl ended before it could be interrupted: {proc.communicate()}"
        assert time.monotonic() < deadline, "the crawl stored nothing in time"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def reference(site, tmp_path_factory):
    db = tmp_path_factory.mktemp("reference") / "corpus.db"
    result = crawl_in_process(site.start_url, "--kind", "listing", "-m", "Lund", "--db", db)
    assert result.exit_code == 0, result.output
    rows, n, links = content(db)
    assert n == len(site.releases)
    return rows, n, links


@pytest.fixture
def held(site):
    """The site answers 8 release pages, then keeps the crawler waiting: the crawl is surely mid-way."""
    site.hold(after=8)
    yield site
    site.unhold()


def test_killed_crawl_resumes_to_the_same_corpus(held, reference, tmp_path):
    site = held
    db = tmp_path / "corpus.db"
    proc = start_crawl(site, db)
    wait_for_documents(db, 8, proc)
    child = crawl_pid(db)
    os.kill(child, signal.SIGKILL)  # the crawl process itself, as `kill -9` would
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    site.unhold()
    stored = document_count(db)
    assert 8 <= stored < len(site.releases)
    result = crawl_in_process("--resume", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Crawl finished" in result.stdout
    assert content(db) == reference  # nothing lost, nothing twice


def test_ctrl_c_stops_gracefully_and_resume_finishes(held, reference, tmp_path):
    site = held
    db = tmp_path / "corpus.db"
    proc = start_crawl(site, db)
    wait_for_documents(db, 8, proc)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    site.unhold()  # the page being fetched arrives; the crawl stops after it
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "kommunpress crawl --resume" in out
    assert "Traceback" not in err
    assert document_count(db) < len(site.releases)
    result = crawl_in_process("--resume", "--db", db)
    assert result.exit_code == 0, result.output
    assert content(db) == reference
