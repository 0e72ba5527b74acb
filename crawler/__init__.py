"""Collecting releases: Scrapy spiders for newsrooms, and readers for local files.

Importing this package does not import Scrapy; spiders load only when a crawl runs.
"""
