"""Live progress of a crawl as JSON lines, for `kommunpress crawl` to draw its display from.

The crawl runs in its own process (Twisted's reactor cannot be restarted, and a crash
or kill -9 of the crawl must not take the CLI with it); this extension tells the CLI
what is happening, a few times a second and once at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

INTERVAL = 0.25


class ProgressReporter:
    def __init__(self, crawler: Crawler, fd: int) -> None:
        self.crawler = crawler
        self.fd = fd
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        fd = str(crawler.settings.get("KOMMUNPRESS_PROGRESS_FD") or "")
        if not fd.isdigit():
            raise NotConfigured
        ext = cls(crawler, int(fd))
        crawler.kommunpress_progress = ext  # the spider reports its final status through it
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def emit(self, event: str, **extra: object) -> None:
        spider = self.crawler.spider
        state = getattr(spider, "state", None)
        payload = {"event": event, "elapsed": round(time.monotonic() - self.started, 2), **extra}
        if state is not None:
            payload.update(state.snapshot())
        with contextlib.suppress(OSError):  # nobody listening any more: the crawl goes on regardless
            os.write(self.fd, (json.dumps(payload, ensure_ascii=False) + "\n").encode())

    def spider_opened(self) -> None:
        self.emit("start")
        self.loop = task.LoopingCall(self.emit, "progress")
        self.loop.start(INTERVAL, now=False)

    def spider_closed(self, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()

    def finish(self, reason: str, status: str) -> None:
        """The last word, sent by the spider once the run's status is stored."""
        self.emit("done", reason=reason, status=status)
