"""Middlewares: the seen-before filter backed by the archive (spider side), retries with exponential backoff
(downloader side)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timedelta, timezone

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawler import meta
from crawler.archive import crawler_archive
from storage import PageState

# URL states after which an article URL is not fetched again (unless refreshed): the archive holds it,
# judged it not about OCOP, or the site said it is gone. An "error" URL is always tried again.
SETTLED_STATES = ("archived", "irrelevant", "gone")
NEVER_REFRESHED_STATES = ("gone",)
# A spider's output is judged this many elements at a time, with one archive lookup for the article URLs among them.
LOOKUP_CHUNK = 500


class SeenBeforeMiddleware:
    """A spider middleware that drops article requests the archive already settled, before they are scheduled,
    unless a sitemap or feed says the page changed since, or the refresh age has passed: those go out as
    conditional requests (If-None-Match / If-Modified-Since). The seen-set is the archive's, so it survives
    every run, and a skipped request never reaches the duplicate filter, where it would shadow the same URL
    found again with a newer lastmod."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        days = crawler.settings.getfloat("OCOP_REFRESH_AFTER_DAYS")
        self.refresh_after = timedelta(days=days) if days > 0 else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenBeforeMiddleware:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable) -> Iterator:
        chunk = []
        for element in result:
            chunk.append(element)
            if len(chunk) == LOOKUP_CHUNK:
                yield from self._wanted(chunk)
                chunk = []
        yield from self._wanted(chunk)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator) -> AsyncIterator:
        chunk = []
        async for element in result:
            chunk.append(element)
            if len(chunk) == LOOKUP_CHUNK:
                for wanted in self._wanted(chunk):
                    yield wanted
                chunk = []
        for wanted in self._wanted(chunk):
            yield wanted

    def _wanted(self, chunk: list) -> Iterator:
        """The chunk's items and wanted requests, in order; the archive is asked about all its articles at once."""
        articles = [element.url for element in chunk
                    if isinstance(element, Request) and element.meta.get(meta.ROLE) == meta.ROLE_ARTICLE]
        states = crawler_archive(self.crawler).page_states(articles) if articles else {}
        for element in chunk:
            if not isinstance(element, Request) or self._is_wanted(element, states.get(element.url)):
                yield element

    def _is_wanted(self, request: Request, state: PageState | None) -> bool:
        """False for an article the archive settled (`state`: what it knows of the URL) and that needs no
        re-check; a re-check gets validators."""
        if request.meta.get(meta.ROLE) != meta.ROLE_ARTICLE:
            return True
        if state is None or state.status not in SETTLED_STATES:
            return True
        if state.status not in NEVER_REFRESHED_STATES and self._needs_refresh(state, request):
            if state.etag:
                request.headers["If-None-Match"] = state.etag
            if state.last_modified:
                request.headers["If-Modified-Since"] = state.last_modified
            self.crawler.stats.inc_value("ocop/refreshed")
            return True
        self.crawler.stats.inc_value("ocop/skipped_seen")
        return False

    def _needs_refresh(self, state, request: Request) -> bool:
        lastmod = _parse_iso(request.meta.get(meta.SITEMAP_LASTMOD))
        if lastmod is not None and lastmod > (state.sitemap_lastmod or state.fetched_at):
            return True
        if self.refresh_after is not None:
            return datetime.now(timezone.utc) - state.fetched_at >= self.refresh_after
        return False


class PageBudgetMiddleware:
    """--max-pages: lets at most OCOP_MAX_PAGES requests reach the network (robots.txt included), then ends the
    crawl. Counting requests sent, not responses received, keeps the bound exact under concurrency."""

    def __init__(self, crawler: Crawler, budget: int) -> None:
        self.crawler = crawler
        self.budget = budget
        self.sent = 0
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudgetMiddleware:
        budget = crawler.settings.getint("OCOP_MAX_PAGES")
        if budget <= 0:
            raise NotConfigured
        return cls(crawler, budget)

    def process_request(self, request: Request) -> None:
        if self.sent >= self.budget:
            if not self.closing:
                self.closing = True
                asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="max_pages"))
            raise IgnoreRequest(f"--max-pages {self.budget} reached")
        self.sent += 1


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, 408, 429, timeouts, connection errors), each retry after an exponentially
    growing pause: OCOP_RETRY_BACKOFF_BASE seconds, doubled per attempt, at most OCOP_RETRY_BACKOFF_MAX."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.backoff_base = crawler.settings.getfloat("OCOP_RETRY_BACKOFF_BASE")
        middleware.backoff_max = crawler.settings.getfloat("OCOP_RETRY_BACKOFF_MAX")
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        outcome = super().process_response(request, response)
        return await self._after_backoff(outcome)

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        outcome = super().process_exception(request, exception)
        return await self._after_backoff(outcome)

    async def _after_backoff(self, outcome):
        if isinstance(outcome, Request):
            attempt = outcome.meta.get("retry_times", 1)
            await asyncio.sleep(min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1)))
        return outcome


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
