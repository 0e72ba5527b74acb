"""`scrapy crawl listing`: A municipal news listing (Sitevision, WordPress, EPiServer) with its pagination."""

from crawler.newsroom import NewsroomSpider


class ListingSpider(NewsroomSpider):
    """A municipal news listing (Sitevision, WordPress, EPiServer) with its pagination."""

    name = "listing"
    default_kind = "listing"
