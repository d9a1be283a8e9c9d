"""One Archive per crawl, opened from the settings and shared by the spider, middlewares, pipelines and extension;
and the registry entries as the archive registers them."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.registry import Source
from storage import Archive

_ATTRIBUTE = "_ocop_archive"


def crawler_archive(crawler: Crawler) -> Archive:
    """The crawl's archive (OCOP_DATABASE_URL setting, else the Archive's default), opened on first use."""
    archive = getattr(crawler, _ATTRIBUTE, None)
    if archive is None:
        archive = Archive.open(crawler.settings.get("OCOP_DATABASE_URL"))
        setattr(crawler, _ATTRIBUTE, archive)
    return archive


def archived_source(source: Source) -> dict[str, Any]:
    """A registry source as `Archive.begin_run` registers it: who it is, and the rules its pages were read with
    (profile, home province), so that `ocop reextract` reads them alike whichever registry file the crawl had."""
    return {"name": source.name, "title": source.title, "homepage": source.homepage, "kind": source.kind,
            "profile": source.profile, "home_province": source.home_province}
