"""The annotated gold set in tests/data/gold/ keeps the contract of tests/data/SCHEMA.md.

The analyser's quality floors are measured on this data, so a typo here (an amount text that is
not in the document, a value that does not match its text, a code that is no municipality) would
silently move every figure. These checks run on the gold alone; they never run the analyser.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import cache

import pytest
from conftest import DATA, ROOT, SCORER

GOLD_FILE = DATA / "gold" / "gold.jsonl"
DOCS_DIR = DATA / "gold" / "docs"
KOMMUNER = ROOT / "nlp" / "data" / "kommuner.csv"

CATEGORIES = {"boende", "utbildning", "arbete", "demokrati", "trygghet", "barn_unga", "fritid", "halsa", "kunskap"}
QUALIFIERS = {"exact", "approx", "at_most", "at_least"}
STATUSES = {"eligible", "granted", "allocated", None}
AMOUNT_KEYS = {
    "text",
    "value_sek",
    "per_year",
    "year_start",
    "year_end",
    "recipient",
    "qualifier",
    "status",
    "tentative",
}
RECORD_KEYS = {"id", "municipality", "published", "amounts", "persons", "organizations", "municipalities", "categories"}


@cache
def scorer():
    spec = importlib.util.spec_from_file_location("kp_score_gold", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def municipality_codes() -> frozenset[str]:
    with KOMMUNER.open(encoding="utf-8", newline="") as f:
        codes = frozenset(row["kommunkod"] for row in csv.DictReader(f))
    assert len(codes) == 290
    return codes


def read_records() -> list[dict]:
    records = []
    with GOLD_FILE.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            assert line.strip(), f"gold.jsonl:{n}: blank line"
            records.append(json.loads(line))
    return records


RECORDS = read_records()


def doc_text(record: dict) -> str:
    return (DOCS_DIR / f"{record['id']}.txt").read_text(encoding="utf-8")


def by_id(test):
    return pytest.mark.parametrize("record", RECORDS, ids=[r["id"] for r in RECORDS])(test)


# --- a small reader for the money formats of the gold texts, to check value_sek against text ---
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_WORDS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "tjugo": 20,
    "en halv": Decimal("0.5"),
}
_UNITS = [
    ("miljard", 10**9),
    ("miljon", 10**6),
    ("mnkr", 10**6),
    ("mkr", 10**6),
    ("msek", 10**6),
    ("milj", 10**6),
    ("tkr", 10**3),
    ("skattekronor", 1),
    ("kronor", 1),
    ("kr", 1),
    (":-", 1),
    ("sek", 1),
]


def value_of(text: str) -> int:
    """The sum a gold amount text states, in whole kronor ("13,4 miljoner kronor" -> 13400000)."""
    s = _SPACES.sub(" ", text).strip().casefold()
    m = re.match(r"(\d{1,3}(?: \d{3})+|\d+(?:,\d+)?)\s*(.*)$", s)
    if m:
        number, unit = Decimal(m.group(1).replace(" ", "").replace(",", ".")), m.group(2)
    else:
        word = next((w for w in sorted(_WORDS, key=len, reverse=True) if s.startswith(w + " ")), None)
        assert word, f"no number in {text!r}"
        number, unit = Decimal(_WORDS[word]), s[len(word) :].strip()
    factor = next((f for u, f in _UNITS if unit.startswith(u)), None)
    assert factor, f"no money unit in {text!r}"
    value = number * factor
    assert value == int(value), f"{text!r} is not whole kronor"
    return int(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("13,4 miljoner kronor", 13400000),
        ("12\u00a0900\u00a0000 kronor", 12900000),
        ("1,35 miljarder", 1350000000),
        ("en miljard", 1000000000),
        ("tre miljoner kronor", 3000000),
        ("6,9 Mkr", 6900000),
        ("69 MSEK", 69000000),
        ("500 tkr", 500000),
        ("2,5 mnkr", 2500000),
        ("50 000:-", 50000),
        ("en halv miljon", 500000),
        ("12,5 miljonerna", 12500000),
    ],
)
def test_value_reader(text, value):
    assert value_of(text) == value


# --- the file and the folder ---
def test_gold_file_is_jsonl_with_unique_ids():
    ids = [r["id"] for r in RECORDS]
    assert len(ids) >= 40
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in ids)


def test_every_record_has_a_document_and_every_document_a_record():
    on_disk = {p.stem for p in DOCS_DIR.glob("*.txt")}
    in_gold = {r["id"] for r in RECORDS}
    assert in_gold - on_disk == set(), "records without a document"
    assert on_disk - in_gold == set(), "documents without a record"
    assert not [p for p in DOCS_DIR.iterdir() if p.suffix != ".txt"]


@by_id
def test_record_shape(record):
    assert set(record) >= RECORD_KEYS
    assert set(record) <= RECORD_KEYS | {"organizations_optional", "categories_optional"}
    text = doc_text(record)
    assert text.strip()
    assert unicodedata.is_normalized("NFC", text)


# --- amounts ---
@by_id
def test_amounts_occur_in_order_and_match_their_values(record):
    text, pos = doc_text(record), 0
    for a in record["amounts"]:
        assert set(a) == AMOUNT_KEYS, a
        i = text.find(a["text"], pos)
        assert i >= 0, f"{a['text']!r} not found (in order) in the document"
        pos = i + 1
        assert isinstance(a["value_sek"], int) and a["value_sek"] > 0
        assert value_of(a["text"]) == a["value_sek"], a["text"]


@by_id
def test_amount_attributes_are_schema_values(record):
    codes = municipality_codes()
    for a in record["amounts"]:
        assert isinstance(a["per_year"], bool)
        assert a["qualifier"] in QUALIFIERS
        assert a["status"] in STATUSES
        assert a["tentative"] in (True, False, None)
        assert a["recipient"] is None or a["recipient"] == "national" or a["recipient"] in codes
        for k in ("year_start", "year_end"):
            assert a[k] is None or (isinstance(a[k], int) and 2000 <= a[k] <= 2035), a
        if a["year_start"] is not None and a["year_end"] is not None:
            assert a["year_start"] <= a["year_end"], a


# --- persons and organisations ---
@by_id
def test_persons_occur_once_each_with_lower_case_roles(record):
    text = doc_text(record)
    names = [p["name"] for p in record["persons"]]
    assert len({n.casefold() for n in names}) == len(names)
    for p in record["persons"]:
        assert set(p) == {"name", "party", "role"}
        assert p["name"] in text
        assert p["party"] is None or re.search(rf"\b{re.escape(p['party'])}\b", text), p
        assert p["role"] is None or p["role"] == p["role"].lower()
    # in order of first appearance
    assert [text.find(n) for n in names] == sorted(text.find(n) for n in names)


@by_id
def test_organizations_are_named_in_the_document(record):
    folded = doc_text(record).casefold()
    for o in record["organizations"] + record.get("organizations_optional", []):
        assert set(o) == {"name", "aliases"} and isinstance(o["aliases"], list)
        assert any(n.casefold() in folded for n in [o["name"], *o["aliases"]]), o["name"]


# --- places, categories, dates ---
@by_id
def test_municipality_codes_are_real(record):
    codes = municipality_codes()
    assert record["municipality"] is None or record["municipality"] in codes
    assert all(c in codes for c in record["municipalities"])
    assert len(record["municipalities"]) == len(set(record["municipalities"]))


@by_id
def test_categories_are_the_nine_ids(record):
    cats, optional = set(record["categories"]), set(record.get("categories_optional", []))
    assert cats <= CATEGORIES and optional <= CATEGORIES
    assert len(cats) == len(record["categories"])
    assert not cats & optional


@by_id
def test_published_is_a_date_or_null(record):
    if record["published"] is not None:
        assert date.fromisoformat(record["published"]).isoformat() == record["published"]


# --- the scorer agrees with itself on the gold ---
def test_gold_scored_against_itself_is_perfect():
    gold = scorer().load(str(GOLD_FILE))
    figures, errors = scorer().score(gold, gold)
    assert errors == []
    for field in ("amounts", "persons", "organizations", "municipalities", "categories"):
        assert figures[f"{field}.f1"] == 1.0, field
    imperfect = {k: v for k, v in figures.items() if not k.endswith(".n") and v != 1.0}
    assert imperfect == {}
