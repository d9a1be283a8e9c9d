"""`ocop sources check`: fetches each source's start pages and a few of the articles they lead to, and
reports what could not be fetched and which article fields came back empty. Nothing is archived."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import meta
from crawler.spiders.ocop import OcopSpider
from extract.article import extract_article

# Two articles per start page: enough to see a field that a site's template never fills, few enough
# to stay a light visit.
ARTICLES_PER_SEED = 2
# The article fields a source should fill; an empty one points at a missing or outdated profile.
CHECKED_FIELDS = ("title", "lead", "text", "published_at", "authors", "section")


@dataclass
class SeedReport:
    url: str
    kind: str | None = None
    status: int | None = None
    error: str | None = None
    article_links: int = 0


@dataclass
class ArticleReport:
    url: str
    status: int | None = None
    error: str | None = None
    is_article: bool = False
    empty_fields: tuple[str, ...] = ()


@dataclass
class SourceReport:
    """What checking one source found."""

    name: str
    seeds: dict[str, SeedReport] = field(default_factory=dict)
    articles: dict[str, ArticleReport] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        """At least one seed answered and at least one article read with a title, text and date."""
        return any(seed.status == 200 for seed in self.seeds.values()) and any(
            report.is_article and not {"title", "text", "published_at"} & set(report.empty_fields)
            for report in self.articles.values())


class SourceCheckSpider(OcopSpider):
    """The generic spider's discovery, one listing page deep, with a sample of articles read on the spot."""

    name = "ocop-check"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {"crawler.extensions.CrawlRunExtension": None},
        "SPIDER_MIDDLEWARES": {"crawler.middlewares.SeenBeforeMiddleware": None},
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reports: dict[str, SourceReport] = {}

    def _report(self, request: scrapy.Request) -> SourceReport:
        name = request.meta[meta.SOURCE]
        return self.reports.setdefault(name, SourceReport(name))

    async def start(self):
        async for request in super().start():
            self._report(request).seeds[request.url] = SeedReport(request.url)
            yield request

    def settled(self, urls: list[str]) -> set[str]:
        return set()  # a check reads no archive

    def parse_seed(self, response: Response) -> Iterator[scrapy.Request]:
        report = self._report(response.request)
        seed = report.seeds.setdefault(response.request.url, SeedReport(response.request.url))
        seed.kind, _ = self.seed_kind(response)
        seed.status = response.status
        sampled = 0
        for request in super().parse_seed(response):
            role = request.meta[meta.ROLE]
            if role == meta.ROLE_ARTICLE:
                seed.article_links += 1
                if sampled < ARTICLES_PER_SEED and request.url not in report.articles:
                    sampled += 1
                    report.articles[request.url] = ArticleReport(request.url)
                    yield request
            elif role == meta.ROLE_SEED:  # the sitemaps of a sitemap index
                report.seeds.setdefault(request.url, SeedReport(request.url))
                yield request

    def parse_article(self, response: Response) -> None:
        report = self._report(response.request).articles[response.request.meta.get("redirect_urls",
                                                                                     [response.request.url])[0]]
        report.status = response.status
        if response.status != 200:
            report.error = f"HTTP {response.status}"
            return
        article = extract_article(response.body, response.url, content_type=_content_type(response),
                                  profile=self.sources[response.meta[meta.SOURCE]].profile)
        report.is_article = article.is_article
        report.empty_fields = tuple(name for name in CHECKED_FIELDS if not getattr(article, name))

    def article_failed(self, failure: Failure) -> None:
        request = failure.request
        report = self._report(request).articles.get(request.url)
        if report is not None:
            report.error = _failure_text(failure)

    def discovery_failed(self, failure: Failure) -> None:
        request = failure.request
        seed = self._report(request).seeds.setdefault(request.url, SeedReport(request.url))
        if failure.check(HttpError):
            seed.status = failure.value.response.status
        seed.error = _failure_text(failure)


def _failure_text(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(IgnoreRequest):
        return f"not fetched: {failure.getErrorMessage()}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None
