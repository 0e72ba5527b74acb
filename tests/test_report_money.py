"""The money table: consensus per municipality, year and status, with every disagreement counted."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_corpus import build_corpus, conflict_documents, gold_documents

from kommunpress.common import open_corpus
from reports.formatting import sek
from reports.money import money_tables, unplaced_amounts
from reports.scope import Scope

STATUS_ORDER = {"granted": 1, "eligible": 2, "allocated": 3}


def reference_money(docs: list[dict]) -> dict[tuple, dict]:
    """The README's consensus rule written out plainly in Python, from the annotations alone.

    (recipient, year_start, year_end, status) -> value, per_year, tentative, n_sources, n_conflicting, documents.
    """
    placed = []
    for doc in docs:
        if doc.get("duplicate_of"):
            continue
        for a in doc["record"]["amounts"]:
            ys, ye, rec = a.get("year_start"), a.get("year_end"), a.get("recipient")
            if rec is None or ys is None or ye is None or ys > ye:
                continue
            periods = [(y, y) for y in range(ys, ye + 1)] if a.get("per_year") or ys == ye else [(ys, ye)]
            for ps, pe in periods:
                placed.append((rec, ps, pe, a.get("status"), a["value_sek"], doc, a))
    known = defaultdict(set)
    for rec, ps, pe, status, value, _doc, _a in placed:
        if status:
            known[(rec, ps, pe, value)].add(status)
    groups: dict[tuple, dict[int, dict[str, dict]]] = defaultdict(lambda: defaultdict(dict))
    for rec, ps, pe, status, value, doc, a in placed:
        if status is None and known[(rec, ps, pe, value)]:
            status = min(known[(rec, ps, pe, value)], key=STATUS_ORDER.get)
        per_doc = groups[(rec, ps, pe, status)][value].setdefault(
            doc["id"], {"tentative": True, "per_year": False, "published": doc.get("published")}
        )
        per_doc["tentative"] &= bool(a.get("tentative"))
        per_doc["per_year"] |= bool(a.get("per_year"))
    table = {}
    for key, values in groups.items():
        stats = []
        for value, docs_ in values.items():
            published = [d["published"] for d in docs_.values() if d["published"]]
            stats.append(
                {
                    "value": value,
                    "n": len(docs_),
                    "latest": max(published) if published else None,
                    "tentative": all(d["tentative"] for d in docs_.values()),
                    "per_year": any(d["per_year"] for d in docs_.values()),
                    "docs": set(docs_),
                }
            )
        # Stable sorts, last key first: larger value, then most recent, then more documents, then firm.
        stats.sort(key=lambda s: -s["value"])
        stats.sort(key=lambda s: s["latest"] or "", reverse=True)
        stats.sort(key=lambda s: -s["n"])
        stats.sort(key=lambda s: s["tentative"])
        best = stats[0]
        all_docs = set().union(*(s["docs"] for s in stats))
        conflicting = set().union(*(s["docs"] for s in stats[1:])) if len(stats) > 1 else set()
        table[key] = {
            "value_sek": best["value"],
            "per_year": best["per_year"],
            "tentative": best["tentative"],
            "n_sources": len(all_docs),
            "n_conflicting": len(conflicting),
            "documents": all_docs,
        }
    return table


def computed(db, ids: dict[str, int], scope: Scope = Scope()) -> dict[tuple, dict]:
    names = {v: k for k, v in ids.items()}
    tables = money_tables(db.conn, scope)
    return {
        (r.recipient, r.year_start, r.year_end, r.status): {
            "value_sek": r.value_sek,
            "per_year": r.per_year,
            "tentative": r.tentative,
            "n_sources": r.n_sources,
            "n_conflicting": r.n_conflicting,
            "documents": {names[d] for d in r.documents},
        }
        for r in tables.municipal + tables.national + tables.periods
    }


@pytest.fixture(scope="module")
def gold_corpus(tmp_path_factory):
    docs = gold_documents()
    db = open_corpus(tmp_path_factory.mktemp("gold") / "gold.db", create=True)
    ids = build_corpus(db, docs)
    yield db, ids, docs
    db.close()


@pytest.fixture(scope="module")
def conflict_corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("conflicts") / "conflicts.db"
    docs = conflict_documents()
    db = open_corpus(path, create=True)
    ids = build_corpus(db, docs)
    yield db, ids, path
    db.close()


def test_money_table_equals_what_the_gold_annotations_imply(gold_corpus):
    db, ids, docs = gold_corpus
    assert len(docs) >= 5, "the seeds' gold at least"
    expected = reference_money(docs)
    got = computed(db, ids)
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], key


def test_money_table_of_the_seeds_value_by_value(tmp_path):
    """Hand-checked against tests/data/seeds.gold.jsonl: what a reader of the five seeds would write down."""
    docs = [d for d in gold_documents() if d["id"][:3] in {"000", "001", "002", "003", "004"}]
    db = open_corpus(tmp_path / "seeds.db", create=True)
    ids = build_corpus(db, docs)
    got = computed(db, ids)
    municipal = {k: (v["value_sek"], v["n_sources"], v["tentative"]) for k, v in got.items() if k[0] != "national"}
    orebro_yearly = {("1880", y, y, None): (71_000_000, 1, True) for y in range(2020, 2028)}
    assert municipal == {
        ("0581", 2018, 2018, "granted"): (300_000, 1, False),  # Norrköping got 300 000 for a mapping
        ("1880", 2018, 2018, "eligible"): (13_400_000, 1, False),
        ("1880", 2019, 2019, None): (43_000_000, 1, True),  # "preliminära"
        **orebro_yearly,  # 71 miljoner årligen 2020–2027
        ("0483", 2018, 2018, "eligible"): (8_000_000, 1, False),
    }
    # 2,2 miljarder for 2020 in seed 000 (no status) supports seed 002's allocated 2,2 miljarder per year.
    assert got[("national", 2020, 2020, "allocated")]["n_sources"] == 2
    assert got[("national", 2018, 2020, "allocated")]["value_sek"] == 425_000_000  # a period total, not split
    unplaced = {(u.recipient, u.value_sek, u.reason) for u in unplaced_amounts(db.conn)}
    assert ("0581", 12_900_000, "no year") in unplaced  # "12 900 000 kronor under tre år"
    assert ("1283", 69_000_000, "open period") in unplaced  # "fram till 2027"
    db.close()


def test_a_conflict_between_documents_is_counted_and_listed(conflict_corpus, cli):
    _db, ids, path = conflict_corpus
    result = cli("compare", "amounts", "--db", path, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {(r["municipality_code"], r["year"], r["status"]): r for r in json.loads(result.stdout)}
    orebro = rows[("1880", 2019, "eligible")]
    assert orebro["value_sek"] == 43_000_000
    assert orebro["n_sources"] == 3 and orebro["n_conflicting"] == 1
    assert orebro["other_values"] == f"45000000: {ids['orebro_news']}"
    assert sorted(orebro["documents"]) == sorted([ids["orebro_a"], ids["orebro_b"], ids["orebro_news"]])
    # The misprinted copy on another site is a duplicate: it is no source and no conflict.
    assert ids["orebro_news_copy"] not in orebro["documents"]
    assert "47000000" not in result.stdout


def test_consensus_rule_firm_then_support_then_recency(conflict_corpus):
    db, ids, _ = conflict_corpus
    got = computed(db, ids)
    goteborg = got[("1480", 2021, 2021, "eligible")]
    assert (goteborg["value_sek"], goteborg["tentative"], goteborg["n_conflicting"]) == (31_000_000, False, 2)
    uppsala = got[("0380", 2020, 2020, "eligible")]
    assert (uppsala["value_sek"], uppsala["n_sources"], uppsala["n_conflicting"]) == (12_000_000, 2, 1)
    # A sum without status supports the row of the same value: Malmö's 20 M granted has two sources.
    malmo = got[("1280", 2020, 2020, "granted")]
    assert (malmo["value_sek"], malmo["n_sources"], malmo["n_conflicting"]) == (20_000_000, 2, 0)
    assert ("1280", 2020, 2020, None) not in got


def test_per_year_sums_are_expanded_and_national_sums_kept_apart(conflict_corpus):
    db, ids, _ = conflict_corpus
    got = computed(db, ids)
    for year in (2020, 2021):
        row = got[("1280", year, year, "eligible")]
        assert row["value_sek"] == 25_000_000 and row["per_year"] is True
    tables = money_tables(db.conn)
    assert all(r.recipient != "national" for r in tables.municipal)
    assert [(r.year_start, r.value_sek) for r in tables.national] == [(2020, 2_000_000_000)]


def test_status_years_and_municipalities_limit_the_table(conflict_corpus, cli):
    _db, _ids, path = conflict_corpus
    granted = cli("compare", "amounts", "--db", path, "--status", "granted", "-f", "json")
    assert {(r["municipality"], r["year"]) for r in json.loads(granted.stdout)} == {("Malmö", 2020)}
    limited = cli("compare", "amounts", "--db", path, "--from", "2021", "--to", "2021", "-m", "Malmö,1480", "-f", "csv")
    lines = limited.stdout.strip().splitlines()
    assert lines[0].startswith("municipality_code,municipality,year,value_sek,per_year,status,n_sources,n_conflicting")
    assert sorted(line.split(",")[:3] for line in lines[1:]) == [
        ["1280", "Malmö", "2021"],
        ["1480", "Göteborg", "2021"],
    ]


def test_other_money_tables_and_terminal_output(conflict_corpus, cli):
    _db, _ids, path = conflict_corpus
    national = cli("compare", "amounts", "--db", path, "--table", "national", "-f", "csv")
    assert national.stdout.splitlines()[1].startswith("2020,2000000000,0,allocated,1,0,")
    table = cli("compare", "amounts", "--db", path)
    assert table.exit_code == 0
    assert sek(43_000_000) in table.stdout and "--table national" in table.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--municipalities", "Atlantis"], "unknown municipality 'Atlantis'"),
        (["--from", "2025", "--to", "2020"], "--from 2025 is after --to 2020"),
        (["--per-inhabitant", "population"], "no indicator named 'population'"),
        (["--sort", "nonsense"], "cannot sort by 'nonsense'"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(conflict_corpus, cli, args, message):
    _db, _ids, path = conflict_corpus
    result = cli("compare", "amounts", "--db", path, *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_corpus_is_one_line(cli, tmp_path: Path):
    result = cli("compare", "amounts", "--db", tmp_path / "nope.db")
    assert result.exit_code == 2 and "no database" in result.stderr
    assert not (tmp_path / "nope.db").exists()


amount_strategy = st.fixed_dictionaries(
    {
        "doc": st.integers(0, 5),
        "value_sek": st.sampled_from([1_000_000, 2_000_000, 3_000_000]),
        "year_start": st.sampled_from([2019, 2020, 2021, None]),
        "span": st.integers(0, 2),
        "per_year": st.booleans(),
        "recipient": st.sampled_from(["1880", "0180", "national", None]),
        "status": st.sampled_from(["eligible", "granted", "allocated", None]),
        "tentative": st.booleans(),
    }
)


@pytest.fixture(scope="module")
def scratch_db(tmp_path_factory):
    db = open_corpus(tmp_path_factory.mktemp("scratch") / "scratch.db", create=True)
    yield db
    db.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.lists(amount_strategy, max_size=14),
    dates=st.lists(st.sampled_from(["2019-01-01", "2020-06-01", None]), min_size=6, max_size=6),
    duplicate=st.booleans(),
)
def test_sql_consensus_agrees_with_the_plain_rule(scratch_db, amounts, dates, duplicate):
    """Any mix of sums, statuses, periods and dates: the SQL gives what the rule written in Python gives."""
    db = scratch_db
    for table in ("amounts", "sentences", "analyses", "persons", "measures", "quotes", "documents"):
        db.execute(f"DELETE FROM {table}")
    docs = []
    for i in range(6):
        items = []
        for a in amounts:
            if a["doc"] != i:
                continue
            ys = a["year_start"]
            items.append(
                {
                    "text": f"{a['value_sek']} kronor",
                    "value_sek": a["value_sek"],
                    "year_start": ys,
                    "year_end": None if ys is None else ys + a["span"],
                    "per_year": a["per_year"],
                    "recipient": a["recipient"],
                    "status": a["status"],
                    "tentative": a["tentative"],
                }
            )
        docs.append(
            {
                "id": f"d{i}",
                "text": f"Dokument {i}.",
                "url": f"https://example.org/d{i}",
                "published": dates[i],
                "record": {"amounts": items},
                "duplicate_of": "d0" if duplicate and i == 5 else None,
            }
        )
    ids = build_corpus(db, docs)
    assert computed(db, ids) == reference_money(docs)
