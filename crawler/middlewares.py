"""Downloader middleware: the --max-pages budget."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest


class PageBudgetMiddleware:
    """Stop downloading after --max-pages pages; what is left stays in the frontier for --resume.

    Retries and redirects of a page already counted do not count again, and robots.txt
    requests are not pages.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.used = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudgetMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        budget = getattr(spider, "max_pages", None)
        if (
            not budget
            or "kp" not in request.meta
            or request.meta.get("retry_times")
            or request.meta.get("redirect_times")
        ):
            return
        if self.used >= budget:
            spider.state.budget_hit = True
            raise IgnoreRequest("page budget reached (--max-pages)")
        self.used += 1
