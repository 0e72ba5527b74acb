"""The crawl process `kommunpress crawl` starts: python -m crawler.run SPEC_JSON.

The crawl runs in a child process because Twisted's reactor runs once per process (so
the CLI, tests and `kommunpress demo` can crawl again and again), and because a crawl
that is killed, even with kill -9, must not take the caller down with it. The child
writes progress as JSON lines to stdout and its log to a file; it stops gracefully
when its parent goes away (stdin closes), as on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
from typing import Any

SPIDERS = ("auto", "listing", "mynewsdesk", "cision", "viatt", "newsmachine", "feed", "sitemap", "release")


def _emit(fd: int | None, event: dict[str, Any]) -> None:
    if fd is None:
        return
    with contextlib.suppress(OSError):
        os.write(fd, (json.dumps(event, ensure_ascii=False) + "\n").encode())


def _watch_parent() -> None:
    """Shut down gracefully (as on Ctrl-C) when the parent closes our stdin or dies."""

    def watch() -> None:
        # os.read, not sys.stdin.buffer.read: a daemon thread blocked inside the buffered
        # reader holds its lock, and Python aborts (SIGABRT) at exit when it cannot take it.
        try:
            while os.read(sys.stdin.fileno(), 1024):
                pass
        except (OSError, ValueError):
            pass
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    spec = json.loads(argv[0])
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.newsroom import NewsroomSpider

    settings = get_project_settings()
    settings.setdict(spec.get("settings", {}), priority="cmdline")
    fd_setting = str(settings.get("KOMMUNPRESS_PROGRESS_FD") or "")
    fd = int(fd_setting) if fd_setting.isdigit() else None
    if spec.get("watch_parent"):
        _watch_parent()
    name = spec.get("spider", "auto")
    if name not in SPIDERS:
        _emit(fd, {"event": "fatal", "message": f"unknown spider {name!r}"})
        return 2
    spider_cls = next(c for c in _spider_classes() if c.name == name) if name != "auto" else NewsroomSpider
    process = AsyncCrawlerProcess(settings)
    failures: list[str] = []
    task = process.crawl(spider_cls, **spec.get("args", {}))

    def record(t) -> None:
        if not t.cancelled() and t.exception() is not None:
            failures.append(str(t.exception()))

    task.add_done_callback(record)
    process.start()
    if failures:
        _emit(fd, {"event": "fatal", "message": failures[0]})
        return 2
    return 0


def _spider_classes():
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    loader = SpiderLoader.from_settings(get_project_settings())
    return [loader.load(n) for n in loader.list()]


if __name__ == "__main__":
    sys.exit(main())
