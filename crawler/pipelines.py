"""Item pipelines, in order: extract (a cheap no-signal filter, then page -> Article with relevance decided on its
title, lead and text) -> archive (raw response, URL state, article version and facts).

Extraction is CPU work and archiving is database work: both run off the reactor thread (extraction in a
pool of OCOP_EXTRACT_PROCESSES processes, writes in one writer thread), so fetching goes on meanwhile. A page
travels to the pool once and is decoded there once, for the filter and the extraction both; the pool also
computes what the archive keeps of it (the compressed body, an article's hashes and signature), so that the
writer, which shares the reactor's process, only writes."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.archive import crawler_archive
from crawler.items import PageItem, PageReading
from extract.article import extract_article
from extract.encoding import decode_page
from extract.places import load_communes
from extract.relevance import is_about_ocop, may_be_about_ocop
from storage import FetchedPage, StoreOutcome, clusters
from storage.prepared import ArticleContent, PreparedPage, StoredBody, prepare_page

OK = 200
# Pages waiting for the writer while it commits are stored together in its next transaction (group commit), at
# most this many: one commit per batch instead of per page, and a kill loses at most one batch's uncommitted pages.
MAX_PAGES_PER_WRITE = 50


def read_page(body: bytes, url: str, fetched_at: datetime, content_type: str | None,
              profile: str | None, home_province: str | None) -> PageReading:
    """The page read (run in the extraction pool)."""
    stored_body = StoredBody.of(body)
    page_text = decode_page(body, content_type)
    if not may_be_about_ocop(page_text):
        return PageReading(stored_body)
    article = extract_article(page_text, url, fetched_at=fetched_at, content_type=content_type, profile=profile,
                              home_province=home_province)
    if not (article.is_article and is_about_ocop(article.title, article.lead, article.text)):
        return PageReading(stored_body, article)
    return PageReading(stored_body, article, relevant=True, content=ArticleContent.of(article))


def load_extraction() -> None:
    """What the first pages would otherwise wait for, loaded when an extraction process starts: the commune index and
    datasketch (with scipy), both built on first use and together some two thirds of a second."""
    load_communes()
    clusters.load_hashing()


def extraction_pool(crawler: Crawler) -> Executor | None:
    """A pool of OCOP_EXTRACT_PROCESSES extraction processes (spawned, so no reactor state is copied), or None
    to extract on the reactor thread (OCOP_EXTRACT_PROCESSES = 0). Its processes start at once and load while the
    crawl fetches robots.txt, feeds and sitemaps, not when the first article arrives."""
    processes = crawler.settings.getint("OCOP_EXTRACT_PROCESSES")
    if processes <= 0:
        return None
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"), initializer=load_extraction)
    for _ in range(processes):
        pool.submit(load_extraction)  # the pool starts a process for each task submitted while none is idle
    return pool


async def _call(pool: Executor | None, function, *args):
    if pool is None:
        return function(*args)
    return await asyncio.get_running_loop().run_in_executor(pool, function, *args)


class ExtractPipeline:
    """Reads the page as an Article (with its facts) and decides whether it is about OCOP; a page without any OCOP
    signal is irrelevant without being extracted."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pool = extraction_pool(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: PageItem) -> PageItem:
        if item.status != OK:
            return item
        item.reading = await _call(self.pool, read_page, item.body, item.final_url, item.fetched_at,
                                   item.content_type, item.profile, item.home_province)
        if item.reading.article is None:
            self.crawler.stats.inc_value("ocop/prefiltered")
        return item

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class ArchivePipeline:
    """Stores every fetched article page: the raw response and URL state always, the article when relevant
    and not older than --since. Counts articles and facts and stops the crawl at OCOP_MAX_ARTICLES.

    One writer thread stores the pages; those that arrive while it writes wait and go together into its next
    transaction. An item goes on (and its URL counts as seen) only once its transaction has committed."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_articles = crawler.settings.getint("OCOP_MAX_ARTICLES")
        self.closing = False
        self.reserved = 0  # relevant items counted against --max-articles, stored or being stored
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="ocop-archive")  # one writer: SQLite has one
        self.waiting: list[tuple[PreparedPage, asyncio.Future]] = []
        self.writing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    async def process_item(self, item: PageItem) -> PageItem:
        stats = self.crawler.stats
        article = item.archivable
        relevant = article is not None
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
        reading = item.reading
        outcome = await self._store(prepare_page(page, article, body=reading.stored_body if reading else None,
                                                 content=reading.content if reading else None))
        item.outcome = outcome.url_status
        item.body = b""  # archived; the item travels on to signal handlers without its weight
        stats.inc_value(f"ocop/url_status/{outcome.url_status}")
        if outcome.created or outcome.changed:
            stats.inc_value("ocop/articles_new" if outcome.created else "ocop/articles_updated")
            stats.inc_value("ocop/facts", len(article.facts))
        elif relevant and self.max_articles:
            self.reserved -= 1  # unchanged: it does not count against the bound
        if self.max_articles and not self.closing and self._articles_stored() >= self.max_articles:
            self.closing = True
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="max_articles"))
        return item

    def close_spider(self) -> None:
        self.writer.shutdown(wait=True)

    async def _store(self, prepared: PreparedPage) -> StoreOutcome:
        """The page stored, in the writer's next transaction."""
        stored = asyncio.get_running_loop().create_future()
        self.waiting.append((prepared, stored))
        if not self.writing:
            self._write_next()
        return await stored

    def _write_next(self) -> None:
        batch, self.waiting = self.waiting[:MAX_PAGES_PER_WRITE], self.waiting[MAX_PAGES_PER_WRITE:]
        self.writing = True
        written = asyncio.get_running_loop().run_in_executor(self.writer, self._write, [page for page, _ in batch])
        written.add_done_callback(lambda done: self._written(batch, done))

    def _written(self, batch, done: asyncio.Future) -> None:
        self.writing = False
        outcomes = [done.exception()] * len(batch) if done.exception() else done.result()
        for (_, stored), outcome in zip(batch, outcomes):
            if isinstance(outcome, Exception):
                stored.set_exception(outcome)
            else:
                stored.set_result(outcome)
        if self.waiting:
            self._write_next()

    def _write(self, batch: list[PreparedPage]) -> list[StoreOutcome | Exception]:
        """In the writer thread: the batch in one transaction; if that fails, each page alone, so that a page that
        cannot be stored fails by itself (its error is its outcome) and the others are stored."""
        try:
            return crawler_archive(self.crawler).store_pages(batch)
        except Exception as error:  # noqa: BLE001 - handed to the items' own pipeline calls, which raise it
            if len(batch) == 1:
                return [error]
            return [self._store_alone(prepared) for prepared in batch]  # the batch was rolled back whole

    def _store_alone(self, prepared: PreparedPage) -> StoreOutcome | Exception:
        try:
            return crawler_archive(self.crawler).store_pages([prepared])[0]
        except Exception as error:  # noqa: BLE001 - handed to the item's own pipeline call, which raises it
            return error

    def _older_than_since(self, published_at: datetime | None) -> bool:
        since = getattr(self.crawler.spider, "since", None)
        return since is not None and published_at is not None and published_at < since

    def _articles_stored(self) -> int:
        stats = self.crawler.stats
        return stats.get_value("ocop/articles_new", 0) + stats.get_value("ocop/articles_updated", 0)
