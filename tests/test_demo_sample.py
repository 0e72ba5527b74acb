"""The bundled demo sample (corpus/sample/) is consistent: files, manifest, gold and expected money agree.

`kommunpress demo` serves these releases as fake newsrooms, and its report is judged against
`expected_money.csv`. If a release, its manifest row or its gold annotation drifts, the demo would
silently show (or hide) the wrong sums, so every cross-reference is checked here.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from crawler.testsite.site import MONTHS_SV

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "sample"
RELEASES = SAMPLE / "releases"
KOMMUNER = ROOT / "nlp" / "data" / "kommuner.csv"

STYLES = {
    "sitevision",
    "mynewsdesk",
    "cision",
    "wordpress",
    "feed",
    "sitemap",
    "viatt",
    "newsmachine",
    "newspaper",
    "government",
}
CRAWLER_STYLES = {"sitevision", "mynewsdesk", "cision", "feed", "sitemap"}
CATEGORIES = {"boende", "utbildning", "arbete", "demokrati", "trygghet", "barn_unga", "fritid", "halsa", "kunskap"}
STATUSES = {None, "eligible", "granted", "allocated"}
QUALIFIERS = {"exact", "approx", "at_most", "at_least"}
# The two conflicts written into the sample on purpose (see corpus/sample/README.md).
DELIBERATE_CONFLICTS = {("1280", "2019", "granted"), ("2180", "2020", "granted")}
MONEY_FIELDS = [
    "municipality_code",
    "year",
    "value_sek",
    "per_year",
    "status",
    "qualifier",
    "tentative",
    "release_ids",
    "conflict",
]


def expected_money(gold: list[dict]) -> list[dict[str, str]]:
    """The money table a correct report shows, derived from gold amounts.

    Only amounts with a municipality as recipient and a known year or period count. A per-year sum
    is expanded to one row per year of its period; a total over several years stays one row whose
    year is the period ("2019-2021"). Equal statements from several releases share a row. A
    conflict is one municipality, year and status (eligible/granted/allocated) with different sums.
    """
    rows: dict[tuple, set[str]] = defaultdict(set)
    for doc in gold:
        for a in doc["amounts"]:
            code, start, end = a["recipient"], a["year_start"], a["year_end"]
            if not (isinstance(code, str) and re.fullmatch(r"\d{4}", code)) or start is None or end is None:
                continue
            if a["per_year"]:
                years = [str(y) for y in range(start, end + 1)]
            else:
                years = [str(start) if start == end else f"{start}-{end}"]
            for year in years:
                key = (code, year, a["value_sek"], a["per_year"], a["status"], a["qualifier"], a["tentative"])
                rows[key].add(doc["id"])
    values: dict[tuple, set[int]] = defaultdict(set)
    for code, year, value, per_year, status, *_ in rows:
        if status is not None:
            values[(code, year, per_year, status)].add(value)
    out = []
    for key in sorted(rows, key=lambda k: (k[0], k[1], k[3], k[4] or "", k[2], k[5], k[6])):
        code, year, value, per_year, status, qualifier, tentative = key
        conflict = status is not None and len(values[(code, year, per_year, status)]) > 1
        out.append(
            {
                "municipality_code": code,
                "year": year,
                "value_sek": str(value),
                "per_year": str(per_year).lower(),
                "status": status or "",
                "qualifier": qualifier,
                "tentative": "" if tentative is None else str(tentative).lower(),
                "release_ids": " ".join(sorted(rows[key])),
                "conflict": "yes" if conflict else "",
            }
        )
    return out


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, str]]:
    with open(SAMPLE / "manifest.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def originals(manifest) -> list[dict[str, str]]:
    return [r for r in manifest if not r["copy_of"]]


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    with open(SAMPLE / "gold.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def kommuner() -> dict[str, dict[str, str]]:
    with open(KOMMUNER, encoding="utf-8", newline="") as f:
        return {r["kommunkod"]: r for r in csv.DictReader(f)}


def text_of(release_id: str) -> str:
    return (RELEASES / f"{release_id}.txt").read_text(encoding="utf-8")


def test_every_manifest_row_has_a_release_file_and_every_file_a_row(manifest):
    ids = [r["id"] for r in manifest]
    assert len(ids) == len(set(ids)), "duplicate ids in manifest.csv"
    assert set(ids) == {p.stem for p in RELEASES.glob("*.txt")}
    for rid in ids:
        title, _, body = text_of(rid).partition("\n")
        assert title.strip() and body.strip(), f"{rid}: needs a title line and a body"


def test_manifest_rows_are_well_formed(manifest, kommuner):
    slugs = Counter((r["site"], r["slug"]) for r in manifest)
    for r in manifest:
        assert r["style"] in STYLES, r
        assert re.fullmatch(r"20(1[89]|2[0-4])-\d\d-\d\d", r["published"]), r
        assert r["topic"] in {"segregation", "other"}, r
        assert r["publisher"] and r["site"] and re.fullmatch(r"[a-z0-9-]+", r["slug"]), r
        assert slugs[(r["site"], r["slug"])] == 1, f"slug not unique on {r['site']}: {r['slug']}"
        assert r["municipality_code"] == "" or r["municipality_code"] in kommuner, r
        if r["style"] == "government":
            assert r["municipality_code"] == ""
    sites_style = {}
    for r in manifest:
        assert sites_style.setdefault(r["site"], r["style"]) == r["style"], f"{r['site']} mixes styles"


def test_sample_covers_enough_grant_municipalities_releases_and_topics(originals, kommuner):
    assert len(originals) >= 40
    grant = {r["municipality_code"] for r in originals if r["municipality_code"]}
    grant = {c for c in grant if kommuner[c]["delmos_2018"] == "1"}
    assert len(grant) >= 12, sorted(grant)
    assert len({kommuner[c]["lanskod"] for c in grant}) >= 8
    publishers = {r["publisher"] for r in originals}
    assert {"Regeringskansliet", "Delegationen mot segregation", "Tillväxtverket"} <= publishers
    assert sum(r["topic"] == "other" for r in originals) >= 5


def test_every_style_is_served_and_each_crawler_style_has_a_newsroom_that_paginates(manifest):
    per_style = Counter(r["style"] for r in manifest)
    assert set(per_style) == STYLES
    assert all(n >= 3 for n in per_style.values()), per_style
    per_site = Counter((r["style"], r["site"]) for r in manifest)
    for style in CRAWLER_STYLES:
        assert any(n >= 3 for (s, _site), n in per_site.items() if s == style), style


def test_copies_point_to_originals_on_another_site_and_keep_their_body(manifest):
    by_id = {r["id"]: r for r in manifest}
    copies = [r for r in manifest if r["copy_of"]]
    assert len(copies) >= 6
    kinds = Counter(r["copy_kind"] for r in copies)
    assert kinds["identical"] >= 1 and kinds["edited"] >= 1, kinds
    for c in copies:
        original = by_id.get(c["copy_of"])
        assert original is not None and not original["copy_of"], c
        assert c["site"] != original["site"]
        assert c["topic"] == original["topic"]
        a, b = text_of(original["id"]), text_of(c["id"])
        if c["copy_kind"] == "identical":
            assert a == b, c["id"]
        else:
            body_a, body_b = a.split("\n", 1)[1].split(), b.split("\n", 1)[1].split()
            assert a != b and difflib.SequenceMatcher(None, body_a, body_b).ratio() > 0.9, c["id"]
    assert all(r["copy_kind"] == "" for r in manifest if not r["copy_of"])


def test_gold_annotates_every_original_and_no_copy(gold, originals):
    ids = [d["id"] for d in gold]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r["id"] for r in originals}


def test_gold_records_follow_the_schema(gold, originals, kommuner):
    manifest = {r["id"]: r for r in originals}
    for d in gold:
        row = manifest[d["id"]]
        assert d["published"] in (None, row["published"]), d["id"]
        if row["municipality_code"]:
            assert d["municipality"] == row["municipality_code"], d["id"]
        assert d["municipality"] is None or d["municipality"] in kommuner
        assert all(c in kommuner for c in d["municipalities"]), d["id"]
        assert set(d["categories"]) | set(d.get("categories_optional", [])) <= CATEGORIES
        for p in d["persons"]:
            assert p["name"] in text_of(d["id"]), (d["id"], p["name"])
        for a in d["amounts"]:
            assert isinstance(a["value_sek"], int) and a["value_sek"] > 0, a
            assert a["status"] in STATUSES and a["qualifier"] in QUALIFIERS, a
            assert a["recipient"] in (None, "national") or a["recipient"] in kommuner, a
            if a["year_start"] is not None and a["year_end"] is not None:
                assert a["year_start"] <= a["year_end"], a


def test_every_amount_text_occurs_in_its_release_in_order(gold):
    for d in gold:
        text, pos = text_of(d["id"]), 0
        for a in d["amounts"]:
            found = text.find(a["text"], pos)
            assert found >= 0, f"{d['id']}: {a['text']!r} not found (in order) in the release"
            pos = found + len(a["text"])


def test_published_dates_in_gold_are_stated_in_the_text(gold):
    """Gold carries a date only where the body states it, since the analyser works on text alone."""
    months = MONTHS_SV
    for d in gold:
        if d["published"]:
            y, m, day = d["published"].split("-")
            spelled = f"{int(day)} {months[int(m) - 1]} {y}"
            assert d["published"] in text_of(d["id"]) or spelled in text_of(d["id"]), d["id"]


def test_expected_money_agrees_with_gold(gold):
    with open(SAMPLE / "expected_money.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == MONEY_FIELDS
        stored = list(reader)
    assert stored == expected_money(gold)


def test_the_sample_holds_exactly_the_two_deliberate_conflicts(gold):
    rows = [r for r in expected_money(gold) if r["conflict"]]
    assert {(r["municipality_code"], r["year"], r["status"]) for r in rows} == DELIBERATE_CONFLICTS
    for code, year, status in DELIBERATE_CONFLICTS:
        sides = [r for r in rows if (r["municipality_code"], r["year"], r["status"]) == (code, year, status)]
        assert len({r["value_sek"] for r in sides}) == 2
        assert not set.intersection(*(set(r["release_ids"].split()) for r in sides)), "conflict within one release"
