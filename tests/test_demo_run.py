"""`kommunpress demo` end to end: the bundled sample crawled from 127.0.0.1, analysed and reported.

The issue's "done when": the report's money table shows, for each sample municipality, the
sums its sample releases state (corpus/sample/expected_money.csv, plus demo_money.PAGE_DATED),
with the two deliberate conflicts shown as conflicts. Where the analyser gets a sum wrong, the
sum is listed below with the release and the sentence, so the lists can be emptied as nlp/ is
fixed; a listed sum that the report gets right makes its test fail until it is taken off the list.
"""

from __future__ import annotations

import csv
import json
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from demo_money import SAMPLE, Key, compare, expected_rows, key_id, key_of, release_ids, shown_sums
from typer.testing import CliRunner

from corpus.documents import Document, save_document
from kommunpress.cli import app
from kommunpress.cmd_demo import MARKER
from kommunpress.common import open_corpus

# The analyser's known mistakes on the sample (nlp/ is at fault, not the demo or the report).
KNOWN_MISSING: dict[Key, str] = {}
KNOWN_UNSOURCED: dict[Key, str] = {}
_SHARE = "a planned share of a grant ('går till') takes the grant's status; the gold gives it none"
_BUDGET = "a municipal budget outside the grant has recipient null, not the municipality"
KNOWN_EXTRA: dict[Key, str] = {
    ("0484", "2021", "allocated", 26000000): "eskilstuna-20210118 'Snöröjningsbudgeten ... 26 miljoner': " + _BUDGET,
    ("0581", "2023", "allocated", 11200000000): "norrkoping-20221114 'Den omfattar 11,2 miljarder': " + _BUDGET,
    ("1280", "2019", "granted", 6000000): "malmo-20190611 '6 miljoner kronor av dem går till sommarlovsaktiviteter': "
    + _SHARE,
    ("1282", "2019", "granted", 6000000): "landskrona-20190918 'varav 6 miljoner kronor går till': " + _SHARE,
}
DELIBERATE_CONFLICTS = {
    ("1280", "2019", "granted"): {95000000, 92500000},
    ("2180", "2020", "granted"): {33600000, 36300000},
}


@contextmanager
def working_dir(path: Path):
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(path)
        mp.delenv("KOMMUNPRESS_DB", raising=False)
        mp.delenv("KOMMUNPRESS_EMBEDDING_MODEL", raising=False)
        mp.delenv("KOMMUNPRESS_CONFIG", raising=False)
        yield


def run(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`kommunpress demo` with its default --dir, over the leftovers of an earlier demo run."""
    home = tmp_path_factory.mktemp("researcher")
    folder = home / "kommunpress-demo"
    folder.mkdir()
    (folder / MARKER).write_text("from an earlier run\n")
    old = open_corpus(folder / "kommunpress.db", create=True)
    save_document(old, Document(url="https://example.org/gammal", text="En gammal nyhet från förra körningen."))
    old.close()
    (folder / "report").mkdir()
    (folder / "report" / "old-table.csv").write_text("stale\n")
    with working_dir(home):
        start = time.monotonic()
        result = run("demo")
        elapsed = time.monotonic() - start
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in folder.iterdir())  # before this test's readers add -wal/-shm files
    db_file = folder / "kommunpress.db"
    report = folder / "report"
    shown = shown_sums(report, release_ids(db_file))
    return {
        "home": home,
        "folder": folder,
        "db": db_file,
        "report": report,
        "output": result.stdout,
        "elapsed": elapsed,
        "left": left,
        "shown": shown,
        "comparison": compare(shown, expected_rows()),
    }


def sample_manifest() -> list[dict[str, str]]:
    with (SAMPLE / "manifest.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_demo_runs_every_stage_and_says_where_the_corpus_and_report_are(demo):
    out = demo["output"]
    for n, stage in enumerate(("crawl", "extract", "embed", "dedup", "report"), start=1):
        assert f"{n}/5 {stage}" in out, stage
    assert "Crawl finished" in out and "0 errors" in out
    assert "Fatal Python error" not in (demo["folder"] / "kommunpress.crawl.log").read_text()
    assert "Corpus: kommunpress-demo/kommunpress.db" in out
    assert "Report: kommunpress-demo/report/report.html" in out
    assert (demo["report"] / "report.html").stat().st_size > 10_000
    assert demo["elapsed"] < 300  # the bound, with room: it takes about a minute


def test_every_sample_release_is_crawled_analysed_embedded_and_copies_marked(demo):
    db = demo["db"]
    manifest = sample_manifest()
    assert query(db, "SELECT count(*), count(DISTINCT url) FROM documents") == [(len(manifest), len(manifest))]
    assert query(db, "SELECT count(*) FROM documents WHERE id NOT IN (SELECT document_id FROM analyses)") == [(0,)]
    assert query(db, "SELECT count(*) FROM sentence_vectors")[0][0] > 500
    # Each copy (corpus/sample/README.md, "Duplicates") points at a canonical document.
    copies = sum(1 for r in manifest if r["copy_of"])
    assert query(db, "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL") == [(copies,)]
    assert query(
        db,
        "SELECT count(*) FROM documents d JOIN documents o ON o.id = d.duplicate_of WHERE o.duplicate_of IS NOT NULL",
    ) == [(0,)]
    # Only the municipalities' own newsrooms give a code: not newspapers, the government or agencies.
    own = sum(1 for r in manifest if r["municipality_code"] and r["style"] != "newspaper")
    assert query(db, "SELECT count(*) FROM documents WHERE municipality_code IS NOT NULL") == [(own,)]
    # The demo crawls with --topic segregation: the releases on other topics are not marked relevant.
    on_topic = sum(1 for r in manifest if r["topic"] == "segregation")
    assert query(db, "SELECT count(*) FROM documents WHERE relevant = 1") == [(on_topic,)]


def test_a_second_run_starts_afresh_and_leaves_nothing_of_the_first(demo):
    db = demo["db"]
    assert query(db, "SELECT count(*) FROM documents WHERE url = 'https://example.org/gammal'") == [(0,)]
    assert not (demo["report"] / "old-table.csv").exists()
    assert (demo["folder"] / MARKER).exists()
    # Only the demo's files, and the .db file alone is complete (no -wal left behind).
    assert demo["left"] == [MARKER, "kommunpress.crawl.log", "kommunpress.db", "report"]


def test_demo_refuses_a_folder_it_did_not_make(tmp_path):
    folder = tmp_path / "my-research"
    folder.mkdir()
    (folder / "kommunpress.db").write_bytes(b"not ours")
    result = run("demo", "--dir", folder)
    assert result.exit_code == 2
    assert "was not made by `kommunpress demo`" in result.stderr
    assert (folder / "kommunpress.db").read_bytes() == b"not ours"
    assert sorted(p.name for p in folder.iterdir()) == ["kommunpress.db"]


def printed_commands(output: str) -> list[list[str]]:
    lines = output.split("Try next", 1)[1].splitlines()[1:]
    commands = [shlex.split(line) for line in lines if line.strip().startswith("kommunpress ")]
    assert len(commands) == 3, output
    return commands


def test_the_first_two_printed_commands_work_as_printed(demo):
    compare_cmd, search_cmd, _serve = printed_commands(demo["output"])
    with working_dir(demo["home"]):
        compared = run(*compare_cmd[1:])
        found = run(*search_cmd[1:])
    assert compared.exit_code == 0, compared.output
    table = compared.stdout.replace("\N{NO-BREAK SPACE}", " ")
    assert "Malmö" in table and "95 000 000" in table and "Gävle" in table
    assert found.exit_code == 0, found.output
    assert "5 sentences" in found.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_printed_serve_command_serves_the_money_table(demo):
    *_, serve_cmd = printed_commands(demo["output"])
    port = free_port()  # the printed command's default port may be taken on a shared machine
    proc = subprocess.Popen(
        [sys.executable, "-m", "kommunpress", *serve_cmd[1:], "--port", str(port)],
        cwd=demo["home"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/kommunpress/money_table.json?_shape=array"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    rows = json.load(response)
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "Datasette did not answer"
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    csv_rows = (demo["report"] / "amounts.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == len(csv_rows)


# ---- the money table against the sample's own sums ------------------------------------------


def _expected_params():
    rows = {key_of(r): r for r in expected_rows()}
    for key in sorted(rows, key=lambda k: (k[0], k[1], k[2], k[3])):
        known = KNOWN_MISSING.get(key) or KNOWN_UNSOURCED.get(key)
        marks = [pytest.mark.xfail(strict=True, reason=f"analyser: {known}")] if known else []
        yield pytest.param(key, id=key_id(key), marks=marks)


@pytest.mark.parametrize("key", list(_expected_params()))
def test_the_report_shows_each_sum_the_sample_states_with_its_releases(demo, key):
    comparison = demo["comparison"]
    assert key not in comparison.missing, f"{key_id(key)} not in the report: it {comparison.missing.get(key)}"
    assert key not in comparison.unsourced, f"{key_id(key)} lacks releases {comparison.unsourced.get(key)}"


def test_the_report_shows_no_sum_that_the_sample_does_not_state(demo):
    extra = demo["comparison"].extra
    unexpected = sorted(key_id(k) for k in extra - set(KNOWN_EXTRA))
    fixed = sorted(key_id(k) for k in set(KNOWN_EXTRA) - extra)
    assert not unexpected, f"sums in the report that no sample release states: {unexpected}"
    assert not fixed, f"the analyser no longer shows these; take them off KNOWN_EXTRA: {fixed}"


def test_the_two_deliberate_conflicts_are_shown_as_conflicts(demo):
    conflicts = demo["comparison"].conflicts
    for row, values in DELIBERATE_CONFLICTS.items():
        assert values <= conflicts.get(row, set()), (row, conflicts.get(row))
    # Any other disagreement in the report comes from a sum the analyser is known to get wrong. Sums
    # without a status share a row without stating the same quantity (a share spent, a forecast), so
    # several values there are expected: test_the_report_shows_no_sum... checks each of them.
    expected = {key_of(r) for r in expected_rows()}
    for (code, year, status), values in conflicts.items():
        if (code, year, status) in DELIBERATE_CONFLICTS:
            continue
        if not status and all((code, year, status, v) in expected for v in values):
            continue
        assert any((code, year, status, v) in KNOWN_EXTRA for v in values), (code, year, status, values)


def test_compare_amounts_shows_what_the_report_shows(demo):
    result = run("compare", "amounts", "--format", "json", "--db", demo["db"])
    assert result.exit_code == 0, result.output
    cli_rows = {
        (r["municipality_code"], str(r["year"]), r["status"] or "", r["value_sek"], r["other_values"])
        for r in json.loads(result.stdout)
    }
    with (demo["report"] / "amounts.csv").open(encoding="utf-8", newline="") as f:
        csv_rows = {
            (r["municipality_code"], r["year"], r["status"], int(r["value_sek"]), r["other_values"])
            for r in csv.DictReader(f)
        }
    assert cli_rows == csv_rows
