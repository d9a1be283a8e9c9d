"""Scrapy settings of the OCOP crawler: politeness, memory across runs, pipelines, archive and Redis URLs."""

import os

BOT_NAME = "ocop"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Who we are -------------------------------------------------------------------------------------
# Site owners who see the crawler in their logs can read what it is and how to reach its operators.
OCOP_CONTACT_URL = os.environ.get("OCOP_CONTACT_URL", "https://github.com/ocop-monitor/ocop-monitor")
USER_AGENT = f"ocop-monitor/0.1 (OCOP news monitor; +{OCOP_CONTACT_URL})"

# --- Politeness ---------------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # news sites are shared infrastructure: two requests at a time at most
DOWNLOAD_DELAY = 1.0  # seconds between requests to one domain (randomised 0.5x-1.5x by Scrapy)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0  # a slow or struggling site is visited at most this slowly, never dropped
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # on average one request in flight per site
DOWNLOAD_TIMEOUT = 30
# A news article page weighs well under 2 MB; anything past 10 MB is not one, so stop reading it.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Items processed in parallel per response. An article page yields one item and a listing yields requests only,
# so parallelism within a response gains nothing, while Scrapy starts this many worker tasks for every response
# (scrapy#5182): at its default of 100 a bare fetch runs at half the rate (bench/crawl_throughput.py prints both).
CONCURRENT_ITEMS = 1

# --- Retries: 5xx, 408/429 and network errors, with exponential backoff ------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
OCOP_RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry; doubled for each further one
OCOP_RETRY_BACKOFF_MAX = 60.0

# --- Memory across runs ------------------------------------------------------------------------------
OCOP_DATABASE_URL = os.environ.get("OCOP_DATABASE_URL")  # None: the Archive's default SQLite file
OCOP_SOURCES_FILE = os.environ.get("OCOP_SOURCES_FILE")  # None: crawler/sources.toml
# An archived or already-judged URL is checked again (conditionally) once this many days have passed;
# 0 turns refreshing by age off (a newer sitemap lastmod still triggers a check).
OCOP_REFRESH_AFTER_DAYS = 30
# A listing (section, tag, search) is paged at most this deep in one run: a guard against endless pagers.
OCOP_MAX_LISTING_PAGES = 50
OCOP_MAX_PAGES = 0  # stop the crawl once this many requests went out; 0: no bound
OCOP_MAX_ARTICLES = 0  # stop the crawl once this many articles were stored (new or changed); 0: no bound
# Processes that extract articles beside the crawl (CPU work off the reactor thread); 0: extract in-process.
OCOP_EXTRACT_PROCESSES = max(1, (os.cpu_count() or 1) - 1)
OCOP_PROGRESS_INTERVAL = 5.0  # seconds between progress lines on stderr; 0 turns them off

# --- Distributed frontier (ocop crawl --distributed) -------------------------------------------------
OCOP_REDIS_URL = os.environ.get("OCOP_REDIS_URL", "redis://127.0.0.1:6379/0")
OCOP_REDIS_PREFIX = os.environ.get("OCOP_REDIS_PREFIX", "ocop")

# --- Components --------------------------------------------------------------------------------------
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.SeenBeforeMiddleware": 950,  # next to the spider: skipped before scheduling
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PageBudgetMiddleware": 150,  # after robots.txt: a forbidden URL costs no budget
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 200,
    "crawler.pipelines.ArchivePipeline": 300,
}
EXTENSIONS = {
    "crawler.extensions.CrawlRunExtension": 500,
}

DUPEFILTER_CLASS = "crawler.dupefilter.RunDupeFilter"

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
