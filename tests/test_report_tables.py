"""`compare measures`, `compare people` and releases per month, on annotated releases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from report_corpus import build_corpus, conflict_documents

from kommunpress.common import open_corpus
from reports.scope import Scope
from reports.timeline import releases_per_month


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tables") / "corpus.db"
    db = open_corpus(path, create=True)
    build_corpus(db, conflict_documents())
    db.close()
    return path


def test_measures_count_canonical_releases_per_municipality_and_area(cli, corpus: Path):
    result = cli("compare", "measures", "--db", corpus, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = {r["municipality"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    orebro = rows["Örebro"]
    # Three canonical Örebro releases (the copy is left out); "arbete" in two of them, counted once each
    # although the first names it both as a category and as a measure.
    assert orebro["documents"] == "3"
    assert (orebro["arbete"], orebro["utbildning"], orebro["kunskap"], orebro["boende"]) == ("2", "1", "1", "0")
    assert (rows["Malmö"]["trygghet"], rows["Malmö"]["boende"]) == ("2", "1")
    assert list(rows["Malmö"])[:3] == ["municipality_code", "municipality", "documents"]


def test_people_with_majority_party_latest_role_and_quotes(cli, corpus: Path):
    result = cli("compare", "people", "--db", corpus, "-f", "json")
    people = {(p["municipality"], p["name"]): p for p in json.loads(result.stdout)}
    kenneth = people[("Örebro", "Kenneth Nilsson")]
    assert (kenneth["party"], kenneth["role"], kenneth["n_documents"], kenneth["n_quotes"]) == (
        "S",
        "kommunstyrelsens ordförande",
        2,
        1,
    )
    katrin = people[("Malmö", "Katrin Stjernfeldt Jammeh")]
    assert (katrin["role"], katrin["other_roles"]) == ("kommunalråd", "kommunstyrelsens ordförande")
    quoted = cli("compare", "people", "--db", corpus, "-f", "json", "--quoted-only")
    assert [p["name"] for p in json.loads(quoted.stdout)] == ["Kenneth Nilsson"]
    only_malmo = cli("compare", "people", "--db", corpus, "-f", "json", "-m", "1280")
    assert {p["municipality"] for p in json.loads(only_malmo.stdout)} == {"Malmö"}


def test_releases_per_month_fill_quiet_months(corpus: Path):
    db = open_corpus(corpus)
    months = releases_per_month(db.conn)
    assert months[0].month == "2019-02" and months[-1].month == "2021-06"
    assert len(months) == 29  # every month in between, quiet ones as zero
    by_month = {m.month: m for m in months}
    assert by_month["2019-04"].documents == 1  # the newspaper article; its copy is not counted
    assert by_month["2019-05"].documents == 0
    limited = releases_per_month(db.conn, Scope(year_from=2021))
    assert {m.month for m in limited if m.documents} == {"2021-01", "2021-06"}
    db.close()
