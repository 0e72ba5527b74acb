"""Documents: one row per release, found again by URL or canonical URL.

Saving is idempotent: the same release saved twice (same URL, or another URL with
the same canonical URL) stays one row, and an unchanged text is not rewritten.
"""

from __future__ import annotations

import gzip
import hashlib
import unicodedata
from dataclasses import asdict, dataclass
from typing import Literal

import sqlite_utils

from corpus.transactions import write_transaction

Outcome = Literal["added", "updated", "unchanged", "duplicate"]


@dataclass
class Document:
    """A release as the corpus stores it. Only url and text are required."""

    url: str
    text: str
    title: str | None = None
    canonical_url: str | None = None
    source: str | None = None
    municipality_code: str | None = None
    published: str | None = None
    fetched_at: str | None = None
    language: str | None = None
    html: str | bytes | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    relevant: bool | None = None
    contact: str | None = None  # a release's contact block, kept apart from its text


def content_hash(text: str) -> str:
    """A hash of the text that ignores differences in Unicode form and white space."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def compress_html(html: str | bytes) -> bytes:
    """gzip, so a blob downloaded from Datasette opens with any unzip tool; mtime=0 keeps it stable."""
    data = html.encode("utf-8") if isinstance(html, str) else html
    return gzip.compress(data, mtime=0)


def decompress_html(blob: bytes | None) -> str | None:
    if blob is None:
        return None
    return gzip.decompress(blob).decode("utf-8", errors="replace")


def find_document(db: sqlite_utils.Database, url: str, canonical_url: str | None = None) -> dict | None:
    """The stored row for a URL, or for another URL of the same release."""
    rows = db.execute(
        "SELECT id, content_hash FROM documents WHERE url = ? "
        "UNION ALL SELECT id, content_hash FROM documents WHERE canonical_url = ? LIMIT 1",
        [url, canonical_url or url],
    ).fetchall()
    return {"id": rows[0][0], "content_hash": rows[0][1]} if rows else None


def save_document(db: sqlite_utils.Database, doc: Document, *, skip_same_content: bool = False) -> tuple[int, Outcome]:
    """Insert or update one document; returns its id and what happened.

    skip_same_content: a text already stored under another URL is reported as a
    duplicate and not added (for a researcher's own files; crawled copies of one
    release on several sites are kept and grouped later by dedup).
    """
    row = asdict(doc)
    row["content_hash"] = content_hash(doc.text)
    row["canonical_url"] = doc.canonical_url or doc.url
    if doc.html is not None:
        row["html"] = compress_html(doc.html)
    if doc.relevant is not None:
        row["relevant"] = int(doc.relevant)
    with write_transaction(db):
        existing = find_document(db, doc.url, row["canonical_url"])
        if existing is None:
            if skip_same_content:
                same = db.execute(
                    "SELECT id FROM documents WHERE content_hash = ? LIMIT 1", [row["content_hash"]]
                ).fetchone()
                if same:
                    return same[0], "duplicate"
            return db["documents"].insert(row).last_pk, "added"
        doc_id = existing["id"]
        if existing["content_hash"] == row["content_hash"]:
            fetch_meta = {
                k: row[k] for k in ("fetched_at", "http_status", "etag", "last_modified") if row[k] is not None
            }
            if fetch_meta:
                db["documents"].update(doc_id, fetch_meta)
            return doc_id, "unchanged"
        row.pop("url")  # keep the URL it was first stored under
        db["documents"].update(doc_id, {k: v for k, v in row.items() if v is not None})
        return doc_id, "updated"


def document_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM documents").fetchone()[0]
