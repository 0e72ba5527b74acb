"""Judging a report's money table against corpus/sample/expected_money.csv (tests and benchmarks/demo.py).

The expected table comes from the gold annotations. A report shows a sum as a row's
consensus value or among its `other_values` (a disagreement), for a municipality, a
year (or a period, in the period table) and a status. A sum whose text gives no status
(expected status "") may be shown under any status with the same value, since the
report lets it support the stated row (README, "The money table", rule 3).
"""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "sample"
EXPECTED = SAMPLE / "expected_money.csv"

# (municipality code, year or "YYYY-YYYY", status or "", value in SEK)
Key = tuple[str, str, str, int]


@dataclass
class Shown:
    """A sum the report shows, with the sample releases its documents are."""

    releases: set[str] = field(default_factory=set)
    conflict: bool = False  # the row's documents disagree


@dataclass
class Comparison:
    missing: dict[Key, str]  # expected sums the report does not show, with what it shows instead
    unsourced: dict[Key, set[str]]  # shown, but without some releases that state it: key -> releases left out
    extra: set[Key]  # sums the report shows that no sample release states
    conflicts: dict[tuple[str, str, str], set[int]]  # (code, year, status) shown with disagreement -> values


# Sums a release states with a relative year ("Nästa år", "I år") in a body that gives no date:
# the gold, made from the text alone, leaves their year open, but the crawl knows the page's date,
# so the report rightly places them in a year.
PAGE_DATED: dict[Key, str] = {
    ("1280", "2019", "", 104000000): "malmo-20180626",  # "Nästa år väntas beloppet bli omkring 104 miljoner"
    ("0127", "2021", "", 63000000): "botkyrka-20210527",  # "I år har kommunen ansökt om 63 miljoner kronor"
}


def expected_rows(path: Path = EXPECTED) -> list[dict[str, str]]:
    """The rows of expected_money.csv, and those the page dates add (PAGE_DATED)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for (code, year, status, value), release in PAGE_DATED.items():
        rows.append(
            {"municipality_code": code, "year": year, "status": status, "value_sek": str(value), "release_ids": release}
        )
    return rows


def key_of(row: dict[str, str]) -> Key:
    return (row["municipality_code"], row["year"], row["status"], int(row["value_sek"]))


def key_id(key: Key) -> str:
    code, year, status, value = key
    return f"{code}-{year}-{status or 'unspecified'}-{value}"


def release_ids(db_file: Path, sample: Path = SAMPLE) -> dict[int, str]:
    """Corpus document id -> the sample release it is (a copy counts as its original)."""
    with (sample / "manifest.csv").open(encoding="utf-8", newline="") as f:
        manifest = list(csv.DictReader(f))
    by_title: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in manifest:
        title = (sample / "releases" / f"{r['id']}.txt").read_text(encoding="utf-8").strip().partition("\n")[0]
        by_title[(title.strip(), r["published"])].add(r["copy_of"] or r["id"])
    conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        docs = conn.execute("SELECT id, title, published FROM documents").fetchall()
    finally:
        conn.close()
    out = {}
    for doc_id, title, published in docs:
        found = by_title.get((title or "", published or ""), set())
        if len(found) == 1:
            out[doc_id] = next(iter(found))
    return out


def _documents(cell: str) -> list[int]:
    return [int(d) for d in cell.split(";") if d.strip()]


def shown_sums(report_dir: Path, releases: dict[int, str]) -> dict[Key, Shown]:
    """Every sum the report's money table (amounts.csv) and period table (periods.csv) show."""
    shown: dict[Key, Shown] = defaultdict(Shown)

    def add(code: str, year: str, status: str, row: dict[str, str]) -> None:
        conflict = int(row["n_conflicting"] or 0) > 0
        main = shown[(code, year, status, int(row["value_sek"]))]
        main.releases |= {releases.get(d, f"document {d}") for d in _documents(row["documents"])}
        main.conflict |= conflict
        for part in filter(None, (p.strip() for p in row["other_values"].split("|"))):
            value, _, docs = part.partition(":")
            other = shown[(code, year, status, int(value))]
            other.releases |= {releases.get(d, f"document {d}") for d in _documents(docs)}
            other.conflict = True

    with (report_dir / "amounts.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            add(row["municipality_code"], row["year"], row["status"], row)
    with (report_dir / "periods.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["recipient"].isdigit():
                add(row["recipient"], f"{row['year_start']}-{row['year_end']}", row["status"], row)
    return dict(shown)


def compare(shown: dict[Key, Shown], expected: list[dict[str, str]]) -> Comparison:
    stated = {key_of(r): r for r in expected if r["status"]}
    unstated = {key_of(r): r for r in expected if not r["status"]}
    by_value: dict[tuple[str, str, int], list[Key]] = defaultdict(list)
    for k in shown:
        by_value[(k[0], k[1], k[3])].append(k)
    missing: dict[Key, str] = {}
    unsourced: dict[Key, set[str]] = {}
    for key, row in {**stated, **unstated}.items():
        code, year, status, value = key
        matches = [key] if status else by_value.get((code, year, value), [])
        matches = [k for k in matches if k in shown]
        if not matches:
            instead = sorted(f"{k[2] or 'unspecified'} {k[3]}" for k in shown if k[:2] == (code, year))
            missing[key] = "shows " + (", ".join(instead) if instead else "nothing for that year")
            continue
        wanted = set(row["release_ids"].split())
        left_out = wanted - set().union(*(shown[k].releases for k in matches))
        if left_out:
            unsourced[key] = left_out
    extra = {
        k
        for k in shown
        if (k not in stated if k[2] else (k[0], k[1], k[3]) not in {(u[0], u[1], u[3]) for u in unstated})
    }
    conflicts: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for k, s in shown.items():
        if s.conflict:
            conflicts[k[:3]].add(k[3])
    return Comparison(missing, unsourced, extra, dict(conflicts))


def judge(report_dir: Path, db_file: Path) -> Comparison:
    return compare(shown_sums(report_dir, release_ids(db_file)), expected_rows())
