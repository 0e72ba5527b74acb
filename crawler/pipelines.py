"""From fetched pages to corpus documents: extract, then store with the crawl's bookkeeping.

ExtractPipeline turns HTML into a release (or decides it is none); CorpusPipeline
stores it with save_document and, in the same transaction, marks its frontier entry
done. A crawl killed between two pages therefore never loses a stored release nor
leaves one half-written.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading

from scrapy.crawler import Crawler

from corpus import crawlstate as cs
from corpus.documents import Document, save_document
from corpus.transactions import write_transaction
from crawler.analysis import analyse_page, warm_up
from crawler.extract import Page
from crawler.extractworker import JobFailed, WorkerDied, WorkerPool
from crawler.items import FileItem, NotModifiedItem, PageItem

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """Main text, title, date and contact block; whether it is a release; whether it is on topic.

    Extraction is the crawl's heaviest work, so with KOMMUNPRESS_EXTRACT_PROCESSES > 0 it
    runs in worker processes (crawler.extractworker) while this one goes on downloading
    and storing ("auto": one worker on a machine with two or more cores). The result is
    the same either way; a worker that dies is replaced and its page read here.
    """

    def __init__(self, crawler: Crawler, processes: int) -> None:
        self.crawler = crawler
        self.pool: WorkerPool | None = WorkerPool(processes) if processes > 0 else None
        if self.pool is None:
            # Load the language model (a second or so) while the first pages download.
            threading.Thread(target=warm_up, daemon=True, name="warm-up").start()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        setting = str(crawler.settings.get("KOMMUNPRESS_EXTRACT_PROCESSES", "auto")).strip().lower()
        auto = 1 if (os.cpu_count() or 1) >= 2 else 0
        return cls(crawler, auto if setting == "auto" else max(0, int(setting or 0)))

    async def process_item(self, item):
        if not isinstance(item, PageItem):
            return item
        spider = self.crawler.spider
        job = (
            item.html,
            item.url,
            item.date_hint,
            item.title_hint,
            item.presumed,
            item.single,
            spider.since.isoformat() if spider.since else None,
            spider.spec.get("topic"),
        )
        result = None
        if self.pool is not None:
            try:
                result = await asyncio.wrap_future(self.pool.submit(job))
            except (WorkerDied, JobFailed) as e:
                logger.warning("extraction worker: %s; reading %s in the crawl process", e, item.url)
        if result is None:
            try:
                result = analyse_page(*job)
            except Exception as e:  # never lose the crawl over one page; the log says which
                logger.exception("could not extract %s", item.url)
                result = (
                    Page(item.title_hint, "", None, None),
                    "other",
                    f"could not extract ({type(e).__name__})",
                    None,
                )
        item.page, item.kind, item.reason, item.relevant = result
        return item

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()


class CorpusPipeline:
    """Store releases, files and 304s in the corpus together with the frontier's progress."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CorpusPipeline:
        return cls(crawler)

    def process_item(self, item):
        state = self.crawler.spider.state
        with write_transaction(state.db):
            if isinstance(item, PageItem):
                self._page(state, item)
            elif isinstance(item, FileItem):
                self._file(state, item)
            elif isinstance(item, NotModifiedItem):
                cs.touch_page(state.db, item.url, 304, item.fetched_at, state.run_id)
                state.count("releases unchanged (not modified)")
            if getattr(item, "queue_key", None):
                state.mark(item.queue_key)
        state.commit()
        return item

    def _page(self, state, item: PageItem) -> None:
        page = item.page
        db = state.db
        if item.kind != "release":
            cs.record_page(
                db,
                item.url,
                "other",
                http_status=item.http_status,
                etag=item.etag,
                last_modified=item.last_modified,
                source=item.source,
                run_id=state.run_id,
                note=item.reason,
                fetched_at=item.fetched_at,
            )
            if item.reason != "published before --since":
                state.remember(item.url, *item.other_urls)
            state.count(f"skipped: {item.reason}")
            return
        code = item.municipality if state.municipality_known(item.municipality) else None
        canonical = _trusted_canonical(db, page.canonical_url, page.title) or item.url
        doc = Document(
            url=canonical,
            text=page.text,
            title=page.title,
            canonical_url=canonical,
            source=item.source,
            municipality_code=code,
            published=page.published,
            fetched_at=item.fetched_at,
            language=page.language,
            html=item.html,
            http_status=item.http_status,
            etag=item.etag,
            last_modified=item.last_modified,
            relevant=item.relevant,
            contact=page.contact,
        )
        doc_id, outcome = save_document(db, doc)
        if outcome == "added" and cs.mark_exact_duplicate(db, doc_id):
            outcome = "added (a copy of a release on another site)"
        for url in dict.fromkeys((item.url, *item.other_urls)):
            kind = "release" if url == canonical else "duplicate"
            cs.record_page(
                db,
                url,
                kind,
                http_status=item.http_status,
                etag=item.etag,
                last_modified=item.last_modified,
                document_id=doc_id,
                source=item.source,
                run_id=state.run_id,
                fetched_at=item.fetched_at,
            )
        for file_url, label in page.files:
            cs.record_link(
                db,
                file_url,
                label=label,
                found_on=item.url,
                document_id=doc_id,
                municipality_code=code,
                source=item.source,
            )
        state.remember(item.url, canonical, *item.other_urls)
        state.count(f"releases {outcome}")
        if item.relevant:
            state.count("relevant to the topic")

    def _file(self, state, item: FileItem) -> None:
        code = item.municipality if state.municipality_known(item.municipality) else None
        new = cs.record_link(
            state.db,
            item.url,
            content_type=item.content_type,
            size=item.size,
            label=item.label,
            found_on=item.found_on,
            municipality_code=code,
            source=item.source,
            http_status=item.http_status,
            fetched_at=item.fetched_at,
        )
        cs.record_page(
            state.db, item.url, "link", http_status=item.http_status, run_id=state.run_id, fetched_at=item.fetched_at
        )
        state.remember(item.url)
        if new:
            state.count("files recorded (not parsed)")


def _trusted_canonical(db, canonical: str | None, title: str | None) -> str | None:
    """The page's canonical URL, unless another release with another title already claims it.

    The canonical URL is the address the publisher wants cited, and it makes two URLs of
    one release one document whichever is fetched first. A CMS that gives every page
    the same canonical would merge all releases into one, so a clash of titles
    means the canonical is not to be trusted.
    """
    if not canonical:
        return None
    row = db.execute("SELECT title FROM documents WHERE canonical_url = ? LIMIT 1", [canonical]).fetchone()
    if row and row[0] and title and " ".join(row[0].split()).lower() != " ".join(title.split()).lower():
        return None
    return canonical
