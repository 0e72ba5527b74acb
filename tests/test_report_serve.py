"""`kommunpress serve`: Datasette on 127.0.0.1 with the comparisons as canned queries."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from report_corpus import build_corpus, conflict_documents

from kommunpress.common import open_corpus


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "corpus.db"
    db = open_corpus(path, create=True)
    build_corpus(db, conflict_documents())
    db.close()
    return path


@pytest.fixture(scope="module")
def server(corpus: Path):
    port = _free_port()
    env = {**os.environ, "KOMMUNPRESS_DB": str(corpus)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kommunpress", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    _out, err = proc.communicate(timeout=5)
                    pytest.fail(f"serve did not start: {err.decode()[-2000:]}")
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_canned_query_returns_the_money_table(server: str, corpus: Path, cli):
    served = json.loads(_get(f"{server}/corpus/money_table.json?_shape=array"))
    printed = list(csv.DictReader(io.StringIO(cli("compare", "amounts", "--db", corpus, "-f", "csv").stdout)))
    assert len(served) == len(printed) > 0
    for s, p in zip(served, printed, strict=True):
        assert list(s) == list(p)  # the same columns in the same order
        for column, value in p.items():
            if column == "documents":
                assert sorted(str(s[column]).split(";")) == sorted(value.split(";"))
            else:
                assert ("" if s[column] is None else str(s[column])) == value, column
    orebro = next(r for r in served if r["municipality"] == "Örebro")
    assert (orebro["value_sek"], orebro["n_conflicting"]) == (43_000_000, 1)


def test_canned_query_takes_the_report_filters(server: str):
    granted = json.loads(_get(f"{server}/corpus/money_table.json?_shape=array&status=granted&year_from=2020"))
    assert [(r["municipality"], r["year"], r["value_sek"]) for r in granted] == [("Malmö", 2020, 20_000_000)]
    only = json.loads(_get(f"{server}/corpus/money_table.json?_shape=array&municipalities=%5B%221480%22%5D"))
    assert {r["municipality"] for r in only} == {"Göteborg"}
    typed = json.loads(_get(f"{server}/corpus/money_table.json?_shape=array&municipalities=1480,%200380"))
    assert {r["municipality"] for r in typed} == {"Göteborg", "Uppsala"}


def test_metadata_documents_tables_columns_and_facets(server: str):
    meta = json.loads(_get(f"{server}/-/metadata.json"))
    tables = meta["databases"]["corpus"]["tables"]
    assert "consensus" not in tables and "value_sek" in tables["amounts"]["columns"]
    assert {"money_table", "national_amounts", "amount_evidence", "measures_per_municipality"} <= set(
        meta["databases"]["corpus"]["queries"]
    )
    amounts = json.loads(_get(f"{server}/corpus/amounts.json?_shape=objects"))
    assert {f for f in amounts["facet_results"]} >= {"status", "recipient"}
    page = _get(f"{server}/corpus/amounts").decode()
    assert "The sum in whole kronor" in page


def test_serve_refuses_a_port_in_use_in_one_line(cli, corpus: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = cli("serve", "--port", str(port), "--db", corpus)
    assert result.exit_code == 2 and f"port {port} on 127.0.0.1 is in use" in result.stderr


def test_serve_refuses_a_missing_corpus(cli, tmp_path: Path):
    result = cli("serve", "--db", tmp_path / "missing.db", "--port", str(_free_port()))
    assert result.exit_code == 2 and "no database" in result.stderr
