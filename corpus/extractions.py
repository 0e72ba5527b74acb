"""Storing what the analyser found, with its run and its evidence.

A document's findings are replaced as a whole, in one transaction, so a re-run
never duplicates rows and a crash mid-write leaves the previous findings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from corpus.schema import EXTRACTION_TABLES
from corpus.transactions import write_transaction

# What the analyser's record calls each list -> the table it is stored in.
RECORD_KEYS = {
    "amounts": "amounts",
    "persons": "persons",
    "organizations": "organizations",
    "municipality_mentions": "municipality_mentions",
    "measures": "measures",
    "quotes": "quotes",
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def start_run(db: sqlite_utils.Database, pipeline_version: str, config_hash: str) -> int:
    return (
        db["extraction_runs"]
        .insert({"pipeline_version": pipeline_version, "config_hash": config_hash, "started": _now()})
        .last_pk
    )


def finish_run(db: sqlite_utils.Database, run_id: int, n_documents: int) -> None:
    db["extraction_runs"].update(run_id, {"finished": _now(), "n_documents": n_documents})


@dataclass
class PendingDocument:
    id: int
    text: str
    content_hash: str
    published: str | None
    municipality_code: str | None


def pending_documents(
    db: sqlite_utils.Database, *, everything: bool = False, config_hash: str | None = None
) -> list[PendingDocument]:
    """Documents whose findings are missing or stale.

    Stale means the text changed since it was analysed, or (given config_hash) it
    was analysed by a differently configured pipeline.
    """
    sql = """
        SELECT d.id, d.text, d.content_hash, d.published, d.municipality_code
        FROM documents d
        LEFT JOIN analyses a ON a.document_id = d.id
        LEFT JOIN extraction_runs r ON r.id = a.run_id
    """
    params: list = []
    if not everything:
        sql += " WHERE a.document_id IS NULL OR a.content_hash != d.content_hash"
        if config_hash is not None:
            sql += " OR r.config_hash != ?"
            params.append(config_hash)
    sql += " ORDER BY d.id"
    return [PendingDocument(*row) for row in db.execute(sql, params).fetchall()]


def _column_names(table: str) -> list[str]:
    cols = [line.strip().split()[0] for line in EXTRACTION_TABLES[table].strip().splitlines()]
    return [c for c in cols if c]


def _row(item: Mapping, columns: list[str]) -> dict:
    row = {"sentence": item.get("sentence", 0), "start_char": item.get("start", 0), "end_char": item.get("end", 0)}
    for col in columns:
        value = item.get(col)
        if value is None:
            continue  # the column's default: NULL, or "not per year" / "not tentative"
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        row[col] = value
    return row


def store_analysis(
    db: sqlite_utils.Database, document_id: int, run_id: int, content_hash: str, record: Mapping
) -> None:
    """Replace a document's findings with those in record (the analyser's output).

    record carries the lists named in RECORD_KEYS (each item with sentence, start,
    end and its own fields), optional sentences [{sentence, start, end, text}], and
    the document-level municipality, published and categories.
    """
    with write_transaction(db):
        for table in [*EXTRACTION_TABLES, "sentences", "analyses"]:
            db.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
        for key, table in RECORD_KEYS.items():
            columns = _column_names(table)
            rows = [
                {"document_id": document_id, "run_id": run_id, **_row(item, columns)} for item in record.get(key) or []
            ]
            if rows:
                db[table].insert_all(rows)
        sentences = [
            {
                "document_id": document_id,
                "sentence": s["sentence"],
                "start_char": s["start"],
                "end_char": s["end"],
                "text": s["text"],
            }
            for s in record.get("sentences") or []
        ]
        if sentences:
            db["sentences"].insert_all(sentences)
        db["analyses"].insert(
            {
                "document_id": document_id,
                "run_id": run_id,
                "content_hash": content_hash,
                "municipality_code": record.get("municipality"),
                "published": record.get("published"),
                "categories": json.dumps(list(record.get("categories") or []), ensure_ascii=False),
            }
        )


def iter_findings(db: sqlite_utils.Database, table: str) -> Iterator[dict]:
    """All rows of one extraction table, for reports and tests."""
    if table not in EXTRACTION_TABLES:
        raise ValueError(f"not an extraction table: {table}")
    yield from db[table].rows
