"""The spiders `scrapy list` shows: one per kind of newsroom, all one NewsroomSpider underneath.

scrapy crawl listing -a url=https://www.vasteras.se/nyheter.html -a municipality=1980
scrapy crawl mynewsdesk -a url=https://www.mynewsdesk.com/se/malmo -s KOMMUNPRESS_DB=malmo.db
"""
