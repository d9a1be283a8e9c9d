"""Item pipelines, in order: relevance (a cheap no-signal filter) -> extract (page -> Article, relevance
decided on its title, lead and text) -> archive (raw response, URL state, article version and facts).

Extraction is CPU work and archiving is database work: both run off the reactor thread (extraction in a
pool of OCOP_EXTRACT_PROCESSES processes, writes in one writer thread), so fetching goes on meanwhile."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.archive import crawler_archive
from crawler.items import PageItem
from extract.article import extract_article
from extract.encoding import decode_page
from extract.model import Article
from extract.relevance import is_about_ocop, may_be_about_ocop
from storage import FetchedPage

OK = 200
_EXTRACTION_POOL = "_ocop_extraction_pool"


def has_ocop_signal(body: bytes, content_type: str | None) -> bool:
    """Whether any OCOP signal occurs anywhere in the page (run in the extraction pool)."""
    return may_be_about_ocop(decode_page(body, content_type))


def read_article(body: bytes, url: str, fetched_at: datetime, content_type: str | None,
                 profile: str | None, home_province: str | None) -> tuple[Article, bool]:
    """The page as an Article, and whether it is an article about OCOP (run in the extraction pool)."""
    article = extract_article(body, url, fetched_at=fetched_at, content_type=content_type, profile=profile,
                              home_province=home_province)
    return article, article.is_article and is_about_ocop(article.title, article.lead, article.text)


def extraction_pool(crawler: Crawler) -> Executor | None:
    """The crawl's pool of extraction processes (spawned, so no reactor state is copied), or None to extract
    on the reactor thread (OCOP_EXTRACT_PROCESSES = 0)."""
    processes = crawler.settings.getint("OCOP_EXTRACT_PROCESSES")
    if processes <= 0:
        return None
    pool = getattr(crawler, _EXTRACTION_POOL, None)
    if pool is None:
        pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
        setattr(crawler, _EXTRACTION_POOL, pool)
    return pool


async def _call(pool: Executor | None, function, *args):
    if pool is None:
        return function(*args)
    return await asyncio.get_running_loop().run_in_executor(pool, function, *args)


class RelevanceFilterPipeline:
    """Marks a page irrelevant, without extracting it, when no OCOP signal occurs anywhere in it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pool = extraction_pool(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevanceFilterPipeline:
        return cls(crawler)

    async def process_item(self, item: PageItem) -> PageItem:
        if item.status == OK and not await _call(self.pool, has_ocop_signal, item.body, item.content_type):
            item.relevant = False
            self.crawler.stats.inc_value("ocop/prefiltered")
        return item


class ExtractPipeline:
    """Reads the page as an Article (with its facts) and decides whether it is about OCOP."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pool = extraction_pool(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: PageItem) -> PageItem:
        if item.status != OK or item.relevant is False:
            return item
        item.article, item.relevant = await _call(self.pool, read_article, item.body, item.final_url,
                                                  item.fetched_at, item.content_type, item.profile,
                                                  item.home_province)
        item.published_at = item.article.published_at
        return item

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class ArchivePipeline:
    """Stores every fetched article page: the raw response and URL state always, the article when relevant
    and not older than --since. Counts articles and facts and stops the crawl at OCOP_MAX_ARTICLES."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_articles = crawler.settings.getint("OCOP_MAX_ARTICLES")
        self.closing = False
        self.reserved = 0  # relevant items counted against --max-articles, stored or being stored
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="ocop-archive")  # one writer: SQLite has one

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    async def process_item(self, item: PageItem) -> PageItem:
        stats = self.crawler.stats
        relevant = bool(item.relevant) and item.article is not None
        if relevant and self._older_than_since(item.published_at):
            stats.inc_value("ocop/older_than_since")
            raise DropItem(f"{item.url} was published before --since; left for a crawl without it")
        if relevant and self.max_articles:
            if self.reserved >= self.max_articles:
                raise DropItem(f"--max-articles {self.max_articles} reached; {item.url} left for the next crawl")
            self.reserved += 1  # before the write: items are stored concurrently
        page = FetchedPage(url=item.url, final_url=item.final_url, source=item.source, status=item.status,
                           headers=item.headers, body=item.body, fetched_at=item.fetched_at,
                           run_id=getattr(self.crawler, "ocop_run_id", None), sitemap_lastmod=item.sitemap_lastmod)
        archive = crawler_archive(self.crawler)
        outcome = await asyncio.get_running_loop().run_in_executor(
            self.writer, archive.store_page, page, item.article if relevant else None, relevant)
        item.outcome = outcome.url_status
        item.body = b""  # archived; the item travels on to signal handlers without its weight
        stats.inc_value(f"ocop/url_status/{outcome.url_status}")
        if outcome.created or outcome.changed:
            stats.inc_value("ocop/articles_new" if outcome.created else "ocop/articles_updated")
            stats.inc_value("ocop/facts", len(item.article.facts))
        elif relevant and self.max_articles:
            self.reserved -= 1  # unchanged: it does not count against the bound
        if self.max_articles and not self.closing and self._articles_stored() >= self.max_articles:
            self.closing = True
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="max_articles"))
        return item

    def close_spider(self) -> None:
        self.writer.shutdown(wait=True)

    def _older_than_since(self, published_at: datetime | None) -> bool:
        since = getattr(self.crawler.spider, "since", None)
        return since is not None and published_at is not None and published_at < since

    def _articles_stored(self) -> int:
        stats = self.crawler.stats
        return stats.get_value("ocop/articles_new", 0) + stats.get_value("ocop/articles_updated", 0)
