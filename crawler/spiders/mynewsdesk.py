"""`scrapy crawl mynewsdesk`: A Mynewsdesk newsroom, old or new layout, following its ?page= or ?after= cursor."""

from crawler.newsroom import NewsroomSpider


class MynewsdeskSpider(NewsroomSpider):
    """A Mynewsdesk newsroom, old or new layout, following its ?page= or ?after= cursor."""

    name = "mynewsdesk"
    default_kind = "mynewsdesk"
