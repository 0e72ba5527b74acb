"""Corpora for the report tests, built from annotated records (the shape of tests/data/SCHEMA.md).

Reports read only the corpus, so the tests store annotations directly with store_analysis
instead of running the analyser: a report test then checks the report, not the model.
Offsets and sentences are added by finding each annotated text in the document, so the
evidence links of the report point at real sentences.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import sqlite_utils

from corpus.documents import Document, content_hash, save_document
from corpus.extractions import start_run, store_analysis

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
GOLD_FILES = [
    (DATA / "seeds.gold.jsonl", ROOT / "corpus" / "sample" / "seeds"),
    (DATA / "gold" / "gold.jsonl", DATA / "gold" / "docs"),
]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def gold_documents() -> list[dict[str, Any]]:
    """Every annotated document in the project with its text: the seeds and tests/data/gold."""
    docs = []
    for gold, text_dir in GOLD_FILES:
        if not gold.exists():
            continue
        for line in gold.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            text_file = text_dir / f"{record['id']}.txt"
            text = text_file.read_text(encoding="utf-8") if text_file.exists() else record["id"]
            docs.append(
                {
                    "id": record["id"],
                    "text": text,
                    "title": text.strip().splitlines()[0][:120] if text.strip() else record["id"],
                    "url": f"https://example.org/gold/{record['id']}",
                    "municipality": record.get("municipality"),
                    "published": record.get("published"),
                    "record": record,
                }
            )
    return docs


def sentences(text: str) -> list[dict[str, Any]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [{"sentence": i, "start": s, "end": e, "text": text[s:e]} for i, (s, e) in enumerate(spans)]


def locate(text: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record with sentence, start and end on every item and the document's sentences."""
    record = copy.deepcopy(record)
    sents = sentences(text)

    def place(item: dict[str, Any], words: str, cursor: int) -> int:
        # Annotators type a plain space where the page may have a no-break space.
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words.split())) if words.strip() else None
        found = pattern and (pattern.search(text, cursor) or pattern.search(text))
        if not found:
            item.update(sentence=0, start=0, end=0)
            return cursor
        at = found.start()
        item["start"], item["end"] = at, found.end()
        item["sentence"] = next((s["sentence"] for s in sents if s["start"] <= at < s["end"]), 0)
        return found.end()

    cursor = 0
    for amount in record.get("amounts") or []:
        cursor = place(amount, amount.get("text", ""), cursor)
        # SCHEMA lets gold leave these unset; the corpus stores a definite 0/1.
        amount["per_year"] = bool(amount.get("per_year"))
        amount["tentative"] = bool(amount.get("tentative"))
    for key, field in (("persons", "name"), ("measures", "text"), ("quotes", "text"), ("organizations", "name")):
        for item in record.get(key) or []:
            place(item, item.get(field, ""), 0)
    record["municipality_mentions"] = [
        {"code": code, "text": code, "sentence": 0, "start": 0, "end": 0} for code in record.get("municipalities") or []
    ]
    record["sentences"] = sents
    return record


def build_corpus(db: sqlite_utils.Database, docs: list[dict[str, Any]]) -> dict[str, int]:
    """Store documents and their annotations; returns each document's corpus id by its id.

    A doc may say "duplicate_of": <id of another doc> to be stored as a copy of it.
    """
    run = start_run(db, "annotations", "test")
    ids: dict[str, int] = {}
    for doc in docs:
        doc_id, _ = save_document(
            db,
            Document(
                url=doc["url"],
                text=doc["text"],
                title=doc.get("title"),
                municipality_code=doc.get("municipality"),
                published=doc.get("published"),
                source=doc.get("source", "test"),
            ),
        )
        ids[doc["id"]] = doc_id
        store_analysis(db, doc_id, run, content_hash(doc["text"]), locate(doc["text"], doc["record"]))
    for doc in docs:
        if doc.get("duplicate_of"):
            db["documents"].update(ids[doc["id"]], {"duplicate_of": ids[doc["duplicate_of"]]})
    return ids


def _doc(doc_id: str, municipality: str | None, published: str | None, text: str, amounts: list, **extra) -> dict:
    record = {
        "id": doc_id,
        "municipality": municipality,
        "published": published,
        "amounts": [
            {"qualifier": "exact", "per_year": False, "tentative": False, "status": None, **a} for a in amounts
        ],
        "persons": extra.pop("persons", []),
        "categories": extra.pop("categories", []),
        "measures": extra.pop("measures", []),
        "quotes": extra.pop("quotes", []),
    }
    return {
        "id": doc_id,
        "text": text,
        "title": extra.pop("title", text.split(".")[0]),
        "url": extra.pop("url", f"https://example.org/{doc_id}"),
        "municipality": municipality,
        "published": published,
        "record": record,
        **extra,
    }


def _sum(text: str, value: int, year: int | None, recipient: str | None, status: str | None = None, **kw) -> dict:
    year_end = kw.pop("year_end", year)
    return {
        "text": text,
        "value_sek": value,
        "year_start": year,
        "year_end": year_end,
        "recipient": recipient,
        "status": status,
        **kw,
    }


KENNETH = {"name": "Kenneth Nilsson", "party": "S", "role": "kommunstyrelsens ordförande"}

# Releases written for the report tests. The comments say what the money table must show.
CONFLICT_DOCS: list[dict[str, Any]] = [
    # Örebro 2019, eligible: 43 M in two releases, 45 M in a newspaper -> 43 M, 3 sources, 1 disagrees.
    _doc(
        "orebro_a",
        "1880",
        "2019-02-01",
        "Örebro kommun kan söka 43 miljoner kronor 2019 för arbetet mot segregation. "
        "Pengarna ska gå till arbete och utbildning, säger Kenneth Nilsson (S).",
        [_sum("43 miljoner kronor", 43_000_000, 2019, "1880", "eligible")],
        persons=[KENNETH],
        categories=["arbete", "utbildning"],
        measures=[{"text": "arbete", "category": "arbete"}, {"text": "utbildning", "category": "utbildning"}],
        quotes=[{"text": "Pengarna ska gå till arbete och utbildning", "speaker": "Kenneth Nilsson"}],
    ),
    _doc(
        "orebro_b",
        "1880",
        "2019-03-15",
        "Örebro får möjlighet att söka 43 miljoner kronor under 2019. Kenneth Nilsson (S) välkomnar beskedet.",
        [_sum("43 miljoner kronor", 43_000_000, 2019, "1880", "eligible")],
        persons=[KENNETH],
        categories=["arbete"],
        url="https://www.mynewsdesk.com/se/orebro/pressreleases/b",
    ),
    _doc(
        "orebro_news",
        "1880",
        "2019-04-02",
        "Enligt Delmos kan Örebro söka 45 miljoner kronor 2019. Det framgår av ett nytt beslut.",
        [_sum("45 miljoner kronor", 45_000_000, 2019, "1880", "eligible")],
        categories=["kunskap"],
        url="https://www.na.se/orebro/45-miljoner",
    ),
    # A copy of the newspaper article on another site, misprinted: it must not count at all.
    _doc(
        "orebro_news_copy",
        "1880",
        "2019-04-03",
        "Enligt Delmos kan Örebro söka 47 miljoner kronor 2019. Det framgår av ett nytt beslut.",
        [_sum("47 miljoner kronor", 47_000_000, 2019, "1880", "eligible")],
        categories=["kunskap"],
        duplicate_of="orebro_news",
        url="https://example.net/copy/45-miljoner",
    ),
    # Malmö 2020: granted 20 M; a later release repeats 20 M without status -> supports granted (2 sources).
    # Malmö may apply for 25 M per year 2020–2021 -> eligible rows for 2020 and 2021.
    # The title and text carry a <script> that must show as text and never run; the URL is a javascript: trap.
    _doc(
        "malmo_a",
        "1280",
        "2020-01-10",
        "Malmö stad har beviljats 20 miljoner kronor för 2020 "
        "<script>document.body.setAttribute('data-pwned', 'text')</script>. "
        "Malmö kan söka upp till 25 miljoner kronor per år 2020–2021 "
        "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'img')\">.",
        [
            _sum("20 miljoner kronor", 20_000_000, 2020, "1280", "granted"),
            _sum(
                "25 miljoner kronor",
                25_000_000,
                2020,
                "1280",
                "eligible",
                year_end=2021,
                per_year=True,
                qualifier="at_most",
            ),
        ],
        title="<script>document.title='pwned'; document.body.setAttribute('data-pwned', 'title')</script>Malmö",
        url="javascript:document.body.setAttribute('data-pwned','url')",
        persons=[{"name": "Katrin Stjernfeldt Jammeh", "party": "S", "role": "kommunstyrelsens ordförande"}],
        categories=["trygghet", "boende"],
    ),
    _doc(
        "malmo_b",
        "1280",
        "2020-05-05",
        "Malmö har fått 20 miljoner kronor 2020 för arbetet mot segregation.",
        [_sum("20 miljoner kronor", 20_000_000, 2020, "1280")],
        persons=[{"name": "Katrin Stjernfeldt Jammeh", "party": "S", "role": "kommunalråd"}],
        categories=["trygghet"],
    ),
    # Göteborg 2021, eligible: 31 M stated firmly beats 30 M and 32 M stated as preliminary.
    _doc(
        "goteborg_a",
        "1480",
        "2021-01-01",
        "Göteborg beräknas få söka 30 miljoner kronor 2021.",
        [_sum("30 miljoner kronor", 30_000_000, 2021, "1480", "eligible", tentative=True)],
    ),
    _doc(
        "goteborg_b",
        "1480",
        "2021-06-01",
        "Preliminärt kan Göteborg söka 32 miljoner kronor 2021.",
        [_sum("32 miljoner kronor", 32_000_000, 2021, "1480", "eligible", tentative=True)],
    ),
    _doc(
        "goteborg_c",
        "1480",
        "2020-12-01",
        "Göteborg kan söka 31 miljoner kronor 2021.",
        [_sum("31 miljoner kronor", 31_000_000, 2021, "1480", "eligible")],
    ),
    # Uppsala 2020, eligible: one release each for 10 M and 12 M -> the more recent, 12 M.
    # The 2 miljarder is for the programme as a whole: national table only.
    _doc(
        "uppsala_a",
        "0380",
        "2020-01-15",
        "Uppsala kan söka 10 miljoner kronor 2020. Totalt satsas 2 miljarder kronor 2020.",
        [
            _sum("10 miljoner kronor", 10_000_000, 2020, "0380", "eligible"),
            _sum("2 miljarder kronor", 2_000_000_000, 2020, "national", "allocated"),
        ],
    ),
    _doc(
        "uppsala_b",
        "0380",
        "2020-06-15",
        "Uppsala kan söka 12 miljoner kronor 2020.",
        [_sum("12 miljoner kronor", 12_000_000, 2020, "0380", "eligible")],
        title='=HYPERLINK("https://example.com/x","Uppsala kan söka")',  # must stay text in the workbook
    ),
]


def conflict_documents() -> list[dict[str, Any]]:
    return copy.deepcopy(CONFLICT_DOCS)
