"""A crawl's memory in the corpus file: its run, its frontier, and what is already known.

Everything a resumed crawl needs lives in SQLite, written in the same transaction as
the documents it concerns: Scrapy's JOBDIR keeps its queue in files that are only
consistent after a clean shutdown, while a crawl here must survive kill -9.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections import Counter, deque
from datetime import date
from typing import Any

import sqlite_utils

from corpus import crawlstate as cs
from corpus.connection import open_db
from corpus.errors import CorpusError

logger = logging.getLogger(__name__)


class CrawlState:
    """The run a spider works for, its frontier, and the URLs the corpus already holds."""

    def __init__(self, db: sqlite_utils.Database, run_id: int, spec: dict[str, Any], resumed: bool) -> None:
        self.db = db
        self.run_id = run_id
        self.spec = spec
        self.resumed = resumed
        self.seen: set[str] = cs.seen_urls(db)
        self.stored: set[str] = cs.release_urls(db)
        self.queued: set[str] = cs.queue_urls(db, run_id) if resumed else set()
        self.listed: set[str] = set()
        self.stats: Counter[str] = Counter()
        self.recent_errors: deque[str] = deque(maxlen=6)
        self.start_failures: dict[str, str] = {}
        self.reached: set[str] = set()  # sources that answered at least once
        self.budget_hit = False
        self._municipalities: dict[str, bool] = {}
        self._completed: dict[str, bool] = {}

    @classmethod
    def open(cls, db_path: str, spec: dict[str, Any], resume: str | int | None = None) -> CrawlState:
        """Open the corpus and start a run, or take up an unfinished one (resume="latest" or a run id)."""
        db = open_db(db_path, create=True)
        db.conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: safe against a killed process
        if resume:
            run = cs.latest_unfinished_run(db) if resume in ("latest", True, "1") else cs.get_run(db, int(resume))
            if run is None:
                db.conn.close()
                raise CorpusError("nothing to resume: the last crawl in this corpus ran to its end")
            cs.claim_run(db, run.id, os.getpid())
            db.conn.commit()
            return cls(db, run.id, run.spec, resumed=True)
        run_id = cs.start_run(db, spec, os.getpid())
        for target in spec.get("targets", []):
            cs.touch_source(db, target["url"], target["kind"], target.get("municipality"), run_id)
        db.conn.commit()
        return cls(db, run_id, spec, resumed=False)

    # ---- the frontier -----------------------------------------------------------------
    def enqueue(self, key: str, callback: str, meta: dict[str, Any], priority: int = 0) -> bool:
        """Add a request to the frontier; False if this run has queued it before."""
        if key in self.queued:
            return False
        self.queued.add(key)
        return cs.queue_add(self.db, self.run_id, key, callback, meta, priority)

    def pending(self) -> list[tuple[str, str, dict[str, Any], int]]:
        return cs.queue_pending(self.db, self.run_id)

    def mark(self, key: str, state: str = "done") -> None:
        cs.queue_mark(self.db, self.run_id, key, state)

    def commit(self) -> None:
        try:
            self.db.conn.commit()
        except sqlite3.OperationalError as e:  # locked by a reader holding a write lock: try again later
            logger.warning("could not commit yet: %s", e)

    # ---- what is known ----------------------------------------------------------------
    def is_seen(self, url: str) -> bool:
        return url in self.seen

    def remember(self, *urls: str | None) -> None:
        self.seen.update(u for u in urls if u)

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        return cs.page_validators(self.db, url)

    def source_completed(self, source: str | None, since: date | None) -> bool:
        """True when an earlier crawl went through this newsroom to its end (back to `since` or further)."""
        if not source:
            return False
        if source not in self._completed:
            st = cs.source_state(self.db, source)
            done = bool(st and st.completed)
            if done and st.completed_since:  # that crawl went back only to completed_since
                done = since is not None and since.isoformat() >= st.completed_since
            self._completed[source] = done
        return self._completed[source]

    def municipality_known(self, code: str | None) -> bool:
        if not code:
            return False
        if code not in self._municipalities:
            self._municipalities[code] = cs.known_municipality(self.db, code)
            if not self._municipalities[code]:
                logger.warning("municipality %s is not in the corpus; run `kommunpress init` to load them", code)
        return self._municipalities[code]

    # ---- counting ---------------------------------------------------------------------
    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] += n

    def error(self, reason: str, url: str) -> None:
        self.stats[f"error: {reason}"] += 1
        self.recent_errors.append(f"{reason}: {url}")
        logger.warning("%s: %s", reason, url)

    def snapshot(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "stats": dict(self.stats),
            "recent_errors": list(self.recent_errors),
            "start_failures": dict(self.start_failures),
            "reached": sorted(self.reached),
        }

    # ---- the end ----------------------------------------------------------------------
    def close(self, reason: str) -> str:
        """Record how the run ended; returns the status stored (finished, stopped, interrupted)."""
        if reason == "finished" and not self.budget_hit:
            counts = cs.queue_counts(self.db, self.run_id)
            status = "finished" if not counts.get("pending") else "stopped"
        elif reason == "finished" or self.budget_hit:
            status = "stopped"
        else:
            status = "interrupted"
        if status == "finished":
            targets = [t["url"] for t in self.spec.get("targets", [])]
            reached = [t for t in targets if t in self.reached and t not in self.start_failures]
            cs.complete_sources(self.db, reached, self.spec.get("since"))
            cs.forget_queue(self.db, self.run_id)
        cs.finish_run(self.db, self.run_id, status, dict(self.stats))
        self.db.conn.commit()
        self.db.conn.close()
        return status
