"""Item pipelines, in order: relevance (a cheap no-signal filter) -> extract (page -> Article, relevance
decided on its title, lead and text) -> archive (raw response, URL state, article version and facts)."""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.archive import crawler_archive
from crawler.items import PageItem
from extract.article import extract_article
from extract.encoding import decode_page
from extract.relevance import is_about_ocop, may_be_about_ocop
from storage import FetchedPage

OK = 200


class RelevanceFilterPipeline:
    """Marks a page irrelevant, without extracting it, when no OCOP signal occurs anywhere in it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevanceFilterPipeline:
        return cls(crawler)

    def process_item(self, item: PageItem) -> PageItem:
        if item.status == OK and not may_be_about_ocop(decode_page(item.body, item.content_type)):
            item.relevant = False
            self.crawler.stats.inc_value("ocop/prefiltered")
        return item


class ExtractPipeline:
    """Reads the page as an Article (with its facts) and decides whether it is about OCOP."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: PageItem) -> PageItem:
        if item.status != OK or item.relevant is False:
            return item
        article = extract_article(item.body, item.final_url, fetched_at=item.fetched_at,
                                  content_type=item.content_type, profile=item.profile)
        item.article = article
        item.published_at = article.published_at
        item.relevant = article.is_article and is_about_ocop(article.title, article.lead, article.text)
        return item


class ArchivePipeline:
    """Stores every fetched article page: the raw response and URL state always, the article when relevant.
    Counts articles and facts for the progress line and stops the crawl at OCOP_MAX_ARTICLES."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_articles = crawler.settings.getint("OCOP_MAX_ARTICLES")
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def process_item(self, item: PageItem) -> PageItem:
        stats = self.crawler.stats
        relevant = bool(item.relevant) and item.article is not None
        if relevant and self.max_articles and self._articles_stored() >= self.max_articles:
            raise DropItem(f"--max-articles {self.max_articles} reached; {item.url} left for the next crawl")
        outcome = crawler_archive(self.crawler).store_page(
            FetchedPage(url=item.url, final_url=item.final_url, source=item.source, status=item.status,
                        headers=item.headers, body=item.body, fetched_at=item.fetched_at,
                        run_id=getattr(self.crawler, "ocop_run_id", None), sitemap_lastmod=item.sitemap_lastmod),
            item.article if relevant else None,
            relevant,
        )
        item.outcome = outcome.url_status
        item.body = b""  # archived; the item travels on to signal handlers without its weight
        stats.inc_value(f"ocop/url_status/{outcome.url_status}")
        if outcome.created or outcome.changed:
            stats.inc_value("ocop/articles_new" if outcome.created else "ocop/articles_updated")
            stats.inc_value("ocop/facts", len(item.article.facts))
        if self.max_articles and not self.closing and self._articles_stored() >= self.max_articles:
            self.closing = True
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="max_articles"))
        return item

    def _articles_stored(self) -> int:
        stats = self.crawler.stats
        return stats.get_value("ocop/articles_new", 0) + stats.get_value("ocop/articles_updated", 0)
