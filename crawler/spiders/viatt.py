"""`scrapy crawl viatt`: A press room on Via TT (via.tt.se)."""

from crawler.newsroom import NewsroomSpider


class ViattSpider(NewsroomSpider):
    """A press room on Via TT (via.tt.se)."""

    name = "viatt"
    default_kind = "viatt"
