"""From an analysed Doc to the record of ../shared/eval/SCHEMA.md (plus provenance).

Every item carries "sentence" (index of its sentence in the doc), "start" and
"end" (character offsets in the analysed text), so any figure can be cited back.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from spacy.tokens import Doc, Span

# record key -> span group written by the components
GROUPS = {
    "amounts": "money",
    "persons": "persons",
    "organizations": "organizations",
    "municipality_mentions": "municipalities",
    "measures": "measures",
    "quotes": "quotes",
}
MERGED = {"persons", "organizations"}  # listed once each, by their _key
# the field a group's span label holds: spaCy keys span._ by character offsets only, so two spans
# over the same words ("arbete och utbildning" as a measure of both areas) share one kp dict,
# while each keeps its own label
LABEL_FIELDS = {"measures": "category"}


def _sentence_starts(doc: Doc) -> list[int]:
    return [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]


def _item(span: Span, starts: list[int], label_field: str | None = None) -> dict[str, Any]:
    fields = {k: v for k, v in (span._.kp or {}).items() if not k.startswith("_")}
    if label_field:
        fields[label_field] = span.label_
    return {
        "text": span.text,
        **fields,
        "sentence": max(bisect_right(starts, span.start_char) - 1, 0),
        "start": span.start_char,
        "end": span.end_char,
    }


def _merge(spans: list[Span], starts: list[int]) -> list[dict[str, Any]]:
    """One entry per _key, at its first mention; later mentions fill fields still empty."""
    merged: dict[Any, dict[str, Any]] = {}
    for span in spans:
        key = (span._.kp or {}).get("_key") or span.text.casefold()
        item = _item(span, starts)
        if key not in merged:
            merged[key] = item
        else:
            for field, value in item.items():
                if merged[key].get(field) in (None, [], "") and value not in (None, [], ""):
                    merged[key][field] = value
    return list(merged.values())


def to_record(doc: Doc, doc_id: str | None = None, *, with_sentences: bool = False) -> dict[str, Any]:
    """The document's findings as one JSON-ready dict."""
    starts = _sentence_starts(doc)
    record: dict[str, Any] = {
        "id": doc_id,
        "municipality": doc._.municipality,
        "published": doc._.published,
    }
    for key, group in GROUPS.items():
        spans = sorted(doc.spans[group], key=lambda s: (s.start_char, s.end_char)) if group in doc.spans else []
        record[key] = (
            _merge(spans, starts) if key in MERGED else [_item(s, starts, LABEL_FIELDS.get(group)) for s in spans]
        )
    codes: list[str] = []
    for mention in record["municipality_mentions"]:
        if mention.get("code") and mention["code"] not in codes:
            codes.append(mention["code"])
    record["municipalities"] = codes
    record["categories"] = list(doc._.categories or [])
    if with_sentences:
        record["sentences"] = [
            {"sentence": i, "start": s.start_char, "end": s.end_char, "text": s.text} for i, s in enumerate(doc.sents)
        ]
    return record
