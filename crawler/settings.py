"""Scrapy settings for kommunpress: polite by default, fast only when asked.

Municipal web servers are public services: one request at a time per site, a delay
that AutoThrottle stretches when the server slows down, robots.txt obeyed, and a
User-Agent that names the tool and a contact. The environment variables below let
`kommunpress crawl`, tests and benchmarks change that without editing this file.
"""

from __future__ import annotations

import os

from crawler.useragent import user_agent


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


BOT_NAME = "kommunpress"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# The corpus file the pipelines write to.
KOMMUNPRESS_DB = os.environ.get("KOMMUNPRESS_DB", "kommunpress.db")
# Where the live progress goes: a file descriptor number (the CLI uses 1), or "" for none.
KOMMUNPRESS_PROGRESS_FD = os.environ.get("KOMMUNPRESS_PROGRESS_FD", "")
KOMMUNPRESS_MAX_LISTING_PAGES = 2000
# Worker processes for extraction: "auto" is one when the machine has two cores or more, 0 none.
KOMMUNPRESS_EXTRACT_PROCESSES = os.environ.get("KOMMUNPRESS_EXTRACT_PROCESSES", "auto")

# Politeness.
ROBOTSTXT_OBEY = True
USER_AGENT = user_agent(os.environ.get("KOMMUNPRESS_CONTACT"))
DOWNLOAD_DELAY = _env_float("KOMMUNPRESS_DELAY", 1.0)
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = int(_env_float("KOMMUNPRESS_CONCURRENCY", 1))
AUTOTHROTTLE_ENABLED = DOWNLOAD_DELAY > 0
AUTOTHROTTLE_START_DELAY = max(DOWNLOAD_DELAY, 1.0)
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Faults: give up early on what will not work, retry what might.
DOWNLOAD_TIMEOUT = _env_float("KOMMUNPRESS_TIMEOUT", 30.0)
DNS_TIMEOUT = 15
DOWNLOAD_MAXSIZE = int(_env_float("KOMMUNPRESS_MAX_PAGE_BYTES", 8_000_000))
DOWNLOAD_WARNSIZE = 2_000_000
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# An optional cache of every response, for developing spiders or repeating a crawl offline.
HTTPCACHE_ENABLED = bool(os.environ.get("KOMMUNPRESS_HTTPCACHE"))
HTTPCACHE_DIR = os.environ.get("KOMMUNPRESS_HTTPCACHE") or "httpcache"
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.DummyPolicy"
HTTPCACHE_IGNORE_HTTP_CODES = [500, 502, 503, 504, 408, 429]

# A page yields at most one item; Scrapy's default of 100 parallel item slots per response
# costs more in task bookkeeping than it ever saves.
CONCURRENT_ITEMS = 4
WARN_ON_GENERATOR_RETURN_VALUE = False  # re-parses each callback's source on every call

DOWNLOADER_MIDDLEWARES = {"crawler.middlewares.PageBudgetMiddleware": 120}
ITEM_PIPELINES = {"crawler.pipelines.ExtractPipeline": 100, "crawler.pipelines.CorpusPipeline": 300}
EXTENSIONS = {"crawler.progress.ProgressReporter": 500, "scrapy.extensions.telnet.TelnetConsole": None}

LOG_LEVEL = os.environ.get("KOMMUNPRESS_LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
