"""`scrapy crawl auto`: the site's feed or sitemap if it has one, else its news listing."""

from crawler.newsroom import NewsroomSpider


class AutoSpider(NewsroomSpider):
    """Find the site's feed or sitemap, else follow its news listing; tell releases from other pages."""

    name = "auto"
    default_kind = "auto"
