"""`scrapy crawl feed`: An RSS or Atom feed: each entry's page, dated by the feed."""

from crawler.newsroom import NewsroomSpider


class FeedSpider(NewsroomSpider):
    """An RSS or Atom feed: each entry's page, dated by the feed."""

    name = "feed"
    default_kind = "feed"
