"""Downloader middlewares: the seen-before filter backed by the archive, and retries with exponential backoff."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler import meta
from crawler.archive import crawler_archive

# URL states after which an article URL is not fetched again (unless refreshed): the archive holds it,
# judged it not about OCOP, or the site said it is gone. An "error" URL is always tried again.
SETTLED_STATES = ("archived", "irrelevant", "gone")
NEVER_REFRESHED_STATES = ("gone",)


class SeenBeforeMiddleware:
    """Skips article URLs the archive already settled; re-checks them conditionally when a sitemap says they
    changed or the refresh age has passed. The seen-set is the archive's, so it survives every run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        days = crawler.settings.getfloat("OCOP_REFRESH_AFTER_DAYS")
        self.refresh_after = timedelta(days=days) if days > 0 else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenBeforeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get(meta.ROLE) != meta.ROLE_ARTICLE or request.meta.get("ocop_conditional"):
            return None
        state = crawler_archive(self.crawler).page_state(request.url)
        if state is None or state.status not in SETTLED_STATES:
            return None
        if state.status not in NEVER_REFRESHED_STATES and self._needs_refresh(state, request):
            request.meta["ocop_conditional"] = True
            if state.etag:
                request.headers["If-None-Match"] = state.etag
            if state.last_modified:
                request.headers["If-Modified-Since"] = state.last_modified
            self.crawler.stats.inc_value("ocop/refreshed")
            return None
        self.crawler.stats.inc_value("ocop/skipped_seen")
        raise IgnoreRequest(f"already {state.status}: {request.url}")

    def _needs_refresh(self, state, request: Request) -> bool:
        lastmod = _parse_iso(request.meta.get(meta.SITEMAP_LASTMOD))
        if lastmod is not None and lastmod > (state.sitemap_lastmod or state.fetched_at):
            return True
        if self.refresh_after is not None:
            return datetime.now(timezone.utc) - state.fetched_at >= self.refresh_after
        return False


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
