"""The generic spider: discovers article pages of registry sources (or of ad-hoc --url sites) through sitemaps,
feeds and paginated listings, and hands each fetched article page to the pipelines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from lxml import etree
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from twisted.python.failure import Failure

from crawler import meta
from crawler.archive import archived_source, crawler_archive
from crawler.items import PageItem
from crawler.middlewares import SETTLED_STATES
from crawler.registry import Source, choose_sources
from extract.links import extract_links

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Articles are fetched before deeper listing pages, so a listing's stop rules see its articles' outcomes
# and the frontier stays small.
ARTICLE_PRIORITY = 10
LISTING_PRIORITY = 0
# Statuses an article request hands to its callback rather than to the error path: "not modified"
# (a conditional re-check) and "gone" (recorded so the URL is never asked for again).
ARTICLE_HANDLED_STATUSES = [304, 404, 410]
# The status recorded for a fetch that got no usable response (timeout, refused, too large, truncated).
NO_RESPONSE_STATUS = 599
# A fetch without a usable response is recorded with its reason in this pseudo-header of the raw response.
ERROR_HEADER = "x-ocop-error"
MAX_ERROR_LENGTH = 500
GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 4096
SITEMAP_ROOTS = ("urlset", "sitemapindex")
FEED_ROOTS = ("rss", "feed", "rdf")
FIRST_TAG = re.compile(rb"<\s*(?:[\w.-]+:)?([A-Za-z][\w.-]*)")
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=True)


def parse_since(text: str | None) -> datetime | None:
    """A --since value (YYYY-MM-DD, or an ISO date-time) as a moment; a bare date is midnight in Vietnam."""
    if not text:
        return None
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


class OcopSpider(scrapy.Spider):
    """`scrapy crawl ocop [-a source=NAME[,NAME]] [-a url=URL[,URL]] [-a since=DATE] [-a sources_file=FILE]`."""

    name = "ocop"

    def __init__(self, source: str | Iterable[str] | None = None, url: str | Iterable[str] | None = None,
                 since: str | None = None, sources_file: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source_names = _as_list(source)
        self.start_page_urls = _as_list(url)
        self.since = parse_since(since)
        self.sources_file = sources_file
        self.sources: dict[str, Source] = {}
        self.published: dict[str, datetime | None] = {}  # article URL -> published_at, for the --since stop

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs) -> OcopSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        registry_file = spider.sources_file or crawler.settings.get("OCOP_SOURCES_FILE")
        spider.sources = {source.name: source for source in
                          choose_sources(registry_file, spider.source_names, spider.start_page_urls)}
        spider.max_listing_pages = crawler.settings.getint("OCOP_MAX_LISTING_PAGES")
        crawler.signals.connect(spider._remember_published, signal=signals.item_scraped)
        return spider

    def run_description(self) -> tuple[list[dict], dict]:
        """The sources and options of this crawl, for its crawl-run record."""
        sources = [archived_source(source) for source in self.sources.values()]
        settings = self.crawler.settings
        options = {
            "urls": self.start_page_urls,
            "since": self.since.isoformat() if self.since else None,
            "max_pages": settings.getint("OCOP_MAX_PAGES") or None,
            "max_articles": settings.getint("OCOP_MAX_ARTICLES") or None,
            "jobdir": settings.get("JOBDIR"),
        }
        return sources, options

    # ------------------------------------------------------------------ discovery

    async def start(self):
        for source in self.sources.values():
            for url in source.seeds:
                yield scrapy.Request(url, callback=self.parse_seed, errback=self.discovery_failed, dont_filter=True,
                                     priority=LISTING_PRIORITY,
                                     meta={meta.ROLE: meta.ROLE_SEED, meta.SOURCE: source.name})

    def parse_seed(self, response: Response) -> Iterator[scrapy.Request]:
        """A start page, feed or sitemap: which one is read from the response itself."""
        source = self.sources[response.meta[meta.SOURCE]]
        try:
            kind, body = self.seed_kind(response)
        except (OSError, EOFError) as error:  # a gzip body that does not unpack (or unpacks past the size cap)
            self._unreadable(response, error)
            return
        if kind == "sitemap":
            yield from self._parse_sitemap(body, source)
        elif kind == "feed":
            yield from self._parse_feed(body, source)
        else:
            yield from self._parse_listing(response, source, start_url=response.url, page=1)

    def seed_kind(self, response: Response) -> tuple[str, bytes]:
        """("sitemap" | "feed" | "listing", the body un-gzipped) of a start response."""
        body = response.body
        if body[:2] == GZIP_MAGIC:
            body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        root = _first_tag(body)
        if root in SITEMAP_ROOTS:
            return "sitemap", body
        if root in FEED_ROOTS:
            return "feed", body
        return "listing", body

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """A further page of a listing."""
        source = self.sources[response.meta[meta.SOURCE]]
        if self._previous_page_older_than_since(response.meta.get(meta.PREVIOUS_ARTICLES, ())):
            self.crawler.stats.inc_value("ocop/pagination_stopped/since")
            return
        yield from self._parse_listing(response, source, start_url=response.meta[meta.START_URL],
                                       page=response.meta[meta.PAGE])

    def _parse_sitemap(self, body: bytes, source: Source) -> Iterator[scrapy.Request]:
        root = _xml_root(body)
        if root is None:
            return
        is_index = etree.QName(root).localname == "sitemapindex"
        for entry in root.xpath("./*[local-name()='url' or local-name()='sitemap']"):
            url = entry.xpath("string(./*[local-name()='loc'])").strip()
            lastmod = _parse_date(entry.xpath("string(./*[local-name()='lastmod'])")
                                  or entry.xpath("string(.//*[local-name()='publication_date'])"))
            if not url or self._older_than_since(lastmod):
                continue
            if is_index:
                if source.owns_host(_host(url)):
                    yield scrapy.Request(url, callback=self.parse_seed, errback=self.discovery_failed,
                                         priority=LISTING_PRIORITY,
                                         meta={meta.ROLE: meta.ROLE_SEED, meta.SOURCE: source.name})
            elif source.is_article_url(url):
                yield self._article_request(url, source, lastmod=lastmod)

    def _parse_feed(self, body: bytes, source: Source) -> Iterator[scrapy.Request]:
        root = _xml_root(body)
        if root is None:
            return
        for entry in root.xpath("//*[local-name()='item' or local-name()='entry']"):
            url = (entry.xpath("string(./*[local-name()='link'][not(@rel) or @rel='alternate']/@href)")
                   or entry.xpath("string(./*[local-name()='link'])")).strip()
            # Atom's <updated> says when the entry changed; RSS dates say when it was published, which
            # bounds --since but says nothing of a later change.
            updated = _parse_date(entry.xpath("string(./*[local-name()='updated'])"))
            published = _parse_date(entry.xpath("string(./*[local-name()='pubDate'])")
                                    or entry.xpath("string(./*[local-name()='published'])")
                                    or entry.xpath("string(./*[local-name()='date'])"))
            if url and not self._older_than_since(updated or published) and source.is_article_url(url):
                yield self._article_request(url, source, lastmod=updated)

    def _parse_listing(self, response: Response, source: Source, start_url: str, page: int) -> Iterator[scrapy.Request]:
        links = extract_links(response.body, response.url, profile=source.profile)
        article_urls = [url for url in links.article_urls if source.is_article_url(url)]
        settled = self.settled(article_urls)
        for url in article_urls:
            yield self._article_request(url, source)
        stats = self.crawler.stats
        if not article_urls:
            return
        if settled.issuperset(article_urls):
            stats.inc_value("ocop/pagination_stopped/seen")
            return
        if page >= self.max_listing_pages:
            stats.inc_value("ocop/pagination_stopped/depth")
            return
        next_url = links.next_page_url or source.page_url(start_url, page + 1)
        if next_url and next_url != response.url and source.owns_host(_host(next_url)):
            yield scrapy.Request(next_url, callback=self.parse_listing, errback=self.discovery_failed,
                                 priority=LISTING_PRIORITY,
                                 meta={meta.ROLE: meta.ROLE_LISTING, meta.SOURCE: source.name,
                                       meta.START_URL: start_url, meta.PAGE: page + 1,
                                       meta.PREVIOUS_ARTICLES: article_urls})

    def settled(self, urls: list[str]) -> set[str]:
        """The article URLs that the archive already holds or has judged."""
        states = crawler_archive(self.crawler).page_states(urls)
        return {url for url, state in states.items() if state.status in SETTLED_STATES}

    def _article_request(self, url: str, source: Source, *, lastmod: datetime | None = None) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              priority=ARTICLE_PRIORITY,
                              meta={meta.ROLE: meta.ROLE_ARTICLE, meta.SOURCE: source.name,
                                    meta.SITEMAP_LASTMOD: lastmod.isoformat() if lastmod else None,
                                    "handle_httpstatus_list": ARTICLE_HANDLED_STATUSES})

    # ------------------------------------------------------------------ articles

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        if response.status == 304:
            self.crawler.stats.inc_value("ocop/not_modified")
        yield self._item(response.request, status=response.status, final_url=response.url,
                         headers=_headers(response), body=response.body if response.status == 200 else b"")

    def article_failed(self, failure: Failure) -> Iterator[PageItem]:
        """A fetch that failed for good (after retries) is recorded as an error; a skipped one is not."""
        request = failure.request
        if failure.check(IgnoreRequest):
            return
        self.crawler.stats.inc_value("ocop/errors")
        if failure.check(HttpError):
            response = failure.value.response
            yield self._item(request, status=response.status, final_url=response.url, headers=_headers(response),
                             body=response.body)
            return
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        if failure.check(DownloadCancelledError):
            limit = request.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            reason = f"page larger than DOWNLOAD_MAXSIZE ({limit} bytes): download cancelled"
        self.logger.warning("article %s failed: %s", request.url, reason)
        yield self._item(request, status=NO_RESPONSE_STATUS, final_url=request.url,
                         headers={ERROR_HEADER: reason[:MAX_ERROR_LENGTH]}, body=b"")

    def _unreadable(self, response: Response, error: Exception) -> None:
        self.crawler.stats.inc_value("ocop/errors")
        self.logger.warning("discovery page %s is unreadable: %s", response.url, error)

    def discovery_failed(self, failure: Failure) -> None:
        if failure.check(IgnoreRequest):
            return
        self.crawler.stats.inc_value("ocop/errors")
        self.logger.warning("discovery page %s failed: %s", failure.request.url, failure.getErrorMessage())

    def _item(self, request: scrapy.Request, *, status: int, final_url: str, headers: dict[str, str],
              body: bytes) -> PageItem:
        source = self.sources[request.meta[meta.SOURCE]]
        redirects = request.meta.get("redirect_urls") or [request.url]
        lastmod = request.meta.get(meta.SITEMAP_LASTMOD)
        return PageItem(url=redirects[0], final_url=final_url, source=source.name, status=status, headers=headers,
                        body=body, fetched_at=datetime.now(timezone.utc),
                        sitemap_lastmod=datetime.fromisoformat(lastmod) if lastmod else None,
                        profile=source.profile, home_province=source.home_province)

    # ------------------------------------------------------------------ --since

    def _older_than_since(self, moment: datetime | None) -> bool:
        return self.since is not None and moment is not None and moment < self.since

    def _remember_published(self, item, response, spider) -> None:
        if isinstance(item, PageItem):
            self.published[item.url] = item.published_at

    def _previous_page_older_than_since(self, urls: Iterable[str]) -> bool:
        """True when every article of the previous listing page whose date is known predates --since."""
        if self.since is None:
            return False
        dates = [moment for moment in (self.published.get(url) for url in urls) if moment is not None]
        return bool(dates) and all(moment < self.since for moment in dates)


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [part for part in value if part]


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _first_tag(body: bytes) -> str | None:
    """The local name of the first element of a document (skipping the XML declaration and comments)."""
    head = re.sub(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", b"", body[:SNIFF_BYTES], flags=re.S)
    match = FIRST_TAG.search(head)
    return match.group(1).decode("ascii", "replace").lower() if match else None


def _xml_root(body: bytes):
    """The root element of a sitemap or feed, or None when nothing of it can be read."""
    try:
        return etree.fromstring(body, parser=XML_PARSER)
    except etree.XMLSyntaxError:
        return None


def _headers(response: Response) -> dict[str, str]:
    return {name.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
            for name, values in response.headers.items()}


def _parse_date(text: str | None) -> datetime | None:
    """A sitemap (W3C/ISO 8601) or feed (RFC 822) date as an aware moment; None when absent or unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)
