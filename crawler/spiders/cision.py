"""`scrapy crawl cision`: A Cision newsroom on news.cision.com."""

from crawler.newsroom import NewsroomSpider


class CisionSpider(NewsroomSpider):
    """A Cision newsroom on news.cision.com."""

    name = "cision"
    default_kind = "cision"
