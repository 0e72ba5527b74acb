"""The crawler's bookkeeping: runs, their frontier, pages fetched, newsrooms and files found.

Small functions over the tables of the `crawl` migration. They never commit on their
own: the crawler groups them with save_document in one transaction, so that a page
counts as done only together with what it yielded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

# Kinds of crawl_pages rows that need no new download: a release stored, a page that
# is not a release, a file recorded as a link, a copy of a stored release.
FINAL_KINDS = ("release", "other", "link", "duplicate", "gone")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Run:
    id: int
    status: str
    spec: dict[str, Any]
    pid: int | None
    started: str


def start_run(db: sqlite_utils.Database, spec: dict[str, Any], pid: int | None) -> int:
    cur = db.execute(
        "INSERT INTO crawl_runs (started, status, spec, pid) VALUES (?, 'running', ?, ?)",
        [now(), json.dumps(spec, ensure_ascii=False, sort_keys=True), pid],
    )
    return cur.lastrowid


def get_run(db: sqlite_utils.Database, run_id: int) -> Run | None:
    row = db.execute("SELECT id, status, spec, pid, started FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
    return Run(row[0], row[1], json.loads(row[2]), row[3], row[4]) if row else None


def latest_unfinished_run(db: sqlite_utils.Database) -> Run | None:
    """The newest crawl that did not reach its end (interrupted, killed or stopped at --max-pages)."""
    row = db.execute(
        "SELECT id FROM crawl_runs WHERE status != 'finished' AND id = (SELECT max(id) FROM crawl_runs)"
    ).fetchone()
    return get_run(db, row[0]) if row else None


def claim_run(db: sqlite_utils.Database, run_id: int, pid: int | None) -> None:
    db.execute("UPDATE crawl_runs SET status = 'running', pid = ?, finished = NULL WHERE id = ?", [pid, run_id])


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, stats: dict[str, Any]) -> None:
    db.execute(
        "UPDATE crawl_runs SET status = ?, finished = ?, stats = ? WHERE id = ?",
        [status, now(), json.dumps(stats, ensure_ascii=False, sort_keys=True), run_id],
    )


def queue_add(
    db: sqlite_utils.Database, run_id: int, url: str, callback: str, meta: dict[str, Any], priority: int = 0
) -> bool:
    """Add a URL to the run's frontier; False when the run has already seen it."""
    cur = db.execute(
        "INSERT OR IGNORE INTO crawl_queue (run_id, url, callback, meta, priority) VALUES (?, ?, ?, ?, ?)",
        [run_id, url, callback, json.dumps(meta, ensure_ascii=False, sort_keys=True), priority],
    )
    return cur.rowcount > 0


def queue_mark(db: sqlite_utils.Database, run_id: int, url: str, state: str) -> None:
    db.execute("UPDATE crawl_queue SET state = ? WHERE run_id = ? AND url = ?", [state, run_id, url])


def forget_queue(db: sqlite_utils.Database, run_id: int) -> None:
    """A finished run's frontier is not needed for resuming; crawl_pages keeps what was fetched."""
    db.execute("DELETE FROM crawl_queue WHERE run_id = ?", [run_id])


def queue_pending(db: sqlite_utils.Database, run_id: int) -> list[tuple[str, str, dict[str, Any], int]]:
    """(url, callback, meta, priority) of everything not yet done, in the order it was found."""
    rows = db.execute(
        "SELECT url, callback, meta, priority FROM crawl_queue WHERE run_id = ? AND state = 'pending' ORDER BY rowid",
        [run_id],
    ).fetchall()
    return [(u, c, json.loads(m), p) for u, c, m, p in rows]


def queue_urls(db: sqlite_utils.Database, run_id: int) -> set[str]:
    return {r[0] for r in db.execute("SELECT url FROM crawl_queue WHERE run_id = ?", [run_id])}


def queue_counts(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    return dict(db.execute("SELECT state, count(*) FROM crawl_queue WHERE run_id = ? GROUP BY state", [run_id]))


def record_page(
    db: sqlite_utils.Database,
    url: str,
    kind: str,
    *,
    http_status: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    document_id: int | None = None,
    source: str | None = None,
    run_id: int | None = None,
    note: str | None = None,
    fetched_at: str | None = None,
) -> None:
    """Remember that a URL was fetched and what it turned out to be."""
    db.execute(
        "INSERT INTO crawl_pages (url, kind, http_status, etag, last_modified, fetched_at, document_id, source, "
        "run_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, http_status = excluded.http_status, "
        "etag = coalesce(excluded.etag, etag), last_modified = coalesce(excluded.last_modified, last_modified), "
        "fetched_at = excluded.fetched_at, document_id = coalesce(excluded.document_id, document_id), "
        "source = coalesce(excluded.source, source), run_id = excluded.run_id, note = excluded.note",
        [url, kind, http_status, etag, last_modified, fetched_at or now(), document_id, source, run_id, note],
    )


def touch_page(db: sqlite_utils.Database, url: str, http_status: int, fetched_at: str, run_id: int) -> None:
    """A page asked for again and found unchanged (HTTP 304): only when, nothing else."""
    db.execute(
        "UPDATE crawl_pages SET http_status = ?, fetched_at = ?, run_id = ? WHERE url = ?",
        [http_status, fetched_at, run_id, url],
    )
    db.execute("UPDATE documents SET fetched_at = ? WHERE url = ? OR canonical_url = ?", [fetched_at, url, url])


def page_validators(db: sqlite_utils.Database, url: str) -> tuple[str | None, str | None] | None:
    """(ETag, Last-Modified) stored for a URL, from crawl_pages or the document itself."""
    row = db.execute("SELECT etag, last_modified FROM crawl_pages WHERE url = ?", [url]).fetchone()
    if row and (row[0] or row[1]):
        return row[0], row[1]
    row = db.execute(
        "SELECT etag, last_modified FROM documents WHERE url = ? OR canonical_url = ? LIMIT 1", [url, url]
    ).fetchone()
    if row and (row[0] or row[1]):
        return row[0], row[1]
    return None


def release_urls(db: sqlite_utils.Database) -> set[str]:
    """Every URL a stored release was fetched or is known under."""
    urls: set[str] = set()
    for url, canonical in db.execute("SELECT url, canonical_url FROM documents"):
        urls.add(url)
        if canonical:
            urls.add(canonical)
    urls.update(r[0] for r in db.execute("SELECT url FROM crawl_pages WHERE kind IN ('release', 'duplicate')"))
    return urls


def seen_urls(db: sqlite_utils.Database) -> set[str]:
    """Every URL whose content is already in the corpus or known not to be a release."""
    seen = release_urls(db)
    marks = ",".join("?" * len(FINAL_KINDS))
    seen.update(r[0] for r in db.execute(f"SELECT url FROM crawl_pages WHERE kind IN ({marks})", FINAL_KINDS))
    seen.update(r[0] for r in db.execute("SELECT url FROM links"))
    return seen


def record_link(
    db: sqlite_utils.Database,
    url: str,
    *,
    content_type: str | None = None,
    size: int | None = None,
    label: str | None = None,
    found_on: str | None = None,
    document_id: int | None = None,
    municipality_code: str | None = None,
    source: str | None = None,
    http_status: int | None = None,
    fetched_at: str | None = None,
) -> bool:
    """Record a file (PDF, Word, image...) without parsing it; True if it was new.

    A later sighting fills in what the first did not know (the content type once the
    file has been fetched, the release it belongs to) and keeps the rest.
    """
    exists = db.execute("SELECT 1 FROM links WHERE url = ?", [url]).fetchone()
    db.execute(
        "INSERT INTO links (url, content_type, size, label, found_on, document_id, municipality_code, source, "
        "http_status, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(url) DO UPDATE SET content_type = coalesce(content_type, excluded.content_type), "
        "size = coalesce(size, excluded.size), label = coalesce(label, excluded.label), "
        "found_on = coalesce(found_on, excluded.found_on), document_id = coalesce(document_id, excluded.document_id), "
        "municipality_code = coalesce(municipality_code, excluded.municipality_code), "
        "source = coalesce(source, excluded.source), http_status = coalesce(excluded.http_status, http_status), "
        "fetched_at = coalesce(excluded.fetched_at, fetched_at)",
        [url, content_type, size, label, found_on, document_id, municipality_code, source, http_status, fetched_at],
    )
    return exists is None


@dataclass
class SourceState:
    url: str
    completed: str | None
    completed_since: str | None


def source_state(db: sqlite_utils.Database, url: str) -> SourceState | None:
    row = db.execute("SELECT url, completed, completed_since FROM crawl_sources WHERE url = ?", [url]).fetchone()
    return SourceState(*row) if row else None


def touch_source(db: sqlite_utils.Database, url: str, kind: str, municipality_code: str | None, run_id: int) -> None:
    db.execute(
        "INSERT INTO crawl_sources (url, kind, municipality_code, last_run_id, last_crawled) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, "
        "municipality_code = coalesce(excluded.municipality_code, municipality_code), "
        "last_run_id = excluded.last_run_id, last_crawled = excluded.last_crawled",
        [url, kind, municipality_code, run_id, now()],
    )


def complete_sources(db: sqlite_utils.Database, urls: Iterable[str], since: str | None) -> None:
    """Mark newsrooms as crawled to the end (back to `since`), so later crawls may stop at known releases."""
    stamp = now()
    for url in urls:
        db.execute(
            "UPDATE crawl_sources SET completed = ?, completed_since = ? WHERE url = ?", [stamp, since or "", url]
        )


def known_municipality(db: sqlite_utils.Database, code: str | None) -> bool:
    if not code:
        return False
    return db.execute("SELECT 1 FROM municipalities WHERE code = ?", [code]).fetchone() is not None


def mark_exact_duplicate(db: sqlite_utils.Database, doc_id: int) -> int | None:
    """Point a new document at an earlier one with the very same text (a copy on another site).

    Near-duplicates are left to the dedup stage; identical text under another canonical
    URL is certain enough to group at once, so counts over canonical_documents are right
    straight after a crawl. Returns the id of the document it copies, if any.
    """
    row = db.execute(
        "SELECT d.id FROM documents d JOIN documents n ON n.id = ? "
        "WHERE d.content_hash = n.content_hash AND d.id != n.id AND d.duplicate_of IS NULL "
        "ORDER BY d.id LIMIT 1",
        [doc_id],
    ).fetchone()
    if row is None:
        return None
    db.execute("UPDATE documents SET duplicate_of = ? WHERE id = ? AND duplicate_of IS NULL", [row[0], doc_id])
    return row[0]
