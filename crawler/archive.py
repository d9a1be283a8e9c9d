"""One Archive per crawl, opened from the settings and shared by the spider, middlewares, pipelines and extension."""

from __future__ import annotations

from scrapy.crawler import Crawler

from storage import Archive

_ATTRIBUTE = "_ocop_archive"


def crawler_archive(crawler: Crawler) -> Archive:
    """The crawl's archive (OCOP_DATABASE_URL setting, else the Archive's default), opened on first use."""
    archive = getattr(crawler, _ATTRIBUTE, None)
    if archive is None:
        archive = Archive.open(crawler.settings.get("OCOP_DATABASE_URL"))
        setattr(crawler, _ATTRIBUTE, archive)
    return archive
