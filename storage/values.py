"""The values that cross the archive's boundary: a fetched page in, what storing it did and what a URL's state is out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FetchedPage:
    """One HTTP response as the crawler received it."""

    url: str
    final_url: str
    source: str | None
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    fetched_at: datetime | None = None
    run_id: int | None = None
    sitemap_lastmod: datetime | None = None


@dataclass(frozen=True)
class StoreOutcome:
    """What store_page did: the article (if any), its current version, whether it was new or changed."""

    article_id: int | None
    version: int | None
    created: bool
    changed: bool
    url_status: str
    cluster_id: int | None = None


@dataclass(frozen=True)
class PageState:
    """What the archive knows of a URL: enough for a conditional or skipped fetch."""

    url: str
    status: str
    http_status: int | None
    fetched_at: datetime
    etag: str | None
    last_modified: str | None
    sitemap_lastmod: datetime | None
    content_hash: str | None
    article_id: int | None
