"""`scrapy crawl release`: Single release pages, stored whatever links to them."""

from crawler.newsroom import NewsroomSpider


class ReleaseSpider(NewsroomSpider):
    """Single release pages, stored whatever links to them."""

    name = "release"
    default_kind = "release"
