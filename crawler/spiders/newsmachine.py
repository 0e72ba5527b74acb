"""`scrapy crawl newsmachine`: A NewsMachine / pressmachine press room archive."""

from crawler.newsroom import NewsroomSpider


class NewsmachineSpider(NewsroomSpider):
    """A NewsMachine / pressmachine press room archive."""

    name = "newsmachine"
    default_kind = "newsmachine"
