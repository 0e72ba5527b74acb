"""`scrapy crawl sitemap`: A sitemap or sitemap index (gzip too), filtered by path and date."""

from crawler.newsroom import NewsroomSpider


class SitemapSpider(NewsroomSpider):
    """A sitemap or sitemap index (gzip too), filtered by path and date."""

    name = "sitemap"
    default_kind = "sitemap"
