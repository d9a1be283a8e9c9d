"""The crawl-run record: opened in the archive when a crawl starts, a progress line on stderr while it runs,
and its summary stored (and printed) when it ends."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from crawler.archive import crawler_archive

# Close reasons that mean the crawl stopped early but cleanly; anything else unexpected means failure.
COMPLETED_REASONS = ("finished", "max_articles", "max_pages", "closespider_pagecount", "closespider_itemcount")
INTERRUPTED_REASONS = ("shutdown", "cancelled")


class CrawlRunExtension:
    """Records the crawl run and reports pages, articles, facts, errors and rate as it goes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("OCOP_PROGRESS_INTERVAL")
        self.started = time.monotonic()
        self.ticker: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunExtension:
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        describe = getattr(spider, "run_description", None)
        sources, options = describe() if describe else ([], {})
        self.crawler.ocop_run_id = crawler_archive(self.crawler).begin_run(sources=sources, options=options)
        if self.interval > 0:
            self.ticker = task.LoopingCall(self.print_progress)
            self.ticker.start(self.interval, now=False)

    def spider_closed(self, spider, reason: str) -> None:
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()
        summary = self.summary()
        summary["close_reason"] = reason
        if reason in COMPLETED_REASONS:
            status = "finished"
        elif reason in INTERRUPTED_REASONS:
            status = "interrupted"
        else:
            status = "failed"
        crawler_archive(self.crawler).finish_run(self.crawler.ocop_run_id, stats=summary, status=status)
        print(f"ocop crawl: {status}: {self.describe(summary)}", file=sys.stderr, flush=True)

    def summary(self) -> dict:
        """The run's counts, as stored in the crawl-run record."""
        stats = self.crawler.stats
        elapsed = max(time.monotonic() - self.started, 1e-9)
        pages = stats.get_value("response_received_count", 0)
        new = stats.get_value("ocop/articles_new", 0)
        updated = stats.get_value("ocop/articles_updated", 0)
        return {
            "pages": pages,
            "articles": new + updated,
            "articles_new": new,
            "articles_updated": updated,
            "facts": stats.get_value("ocop/facts", 0),
            "irrelevant": stats.get_value("ocop/url_status/irrelevant", 0),
            "gone": stats.get_value("ocop/url_status/gone", 0),
            "errors": stats.get_value("ocop/errors", 0),
            "skipped_seen": stats.get_value("ocop/skipped_seen", 0),
            "refreshed": stats.get_value("ocop/refreshed", 0),
            "not_modified": stats.get_value("ocop/not_modified", 0),
            "retries": stats.get_value("retry/count", 0),
            "seconds": round(elapsed, 1),
            "pages_per_second": round(pages / elapsed, 2),
        }

    def print_progress(self) -> None:
        print(f"ocop crawl: {self.describe(self.summary())}", file=sys.stderr, flush=True)

    @staticmethod
    def describe(summary: dict) -> str:
        return (f"{summary['pages']} pages, {summary['articles']} articles, {summary['facts']} facts, "
                f"{summary['errors']} errors, {summary['pages_per_second']:.1f} pages/s")
