"""What the spider hands to the pipelines: one fetched page with its source, and what the pipelines decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from extract.model import Article
from storage.prepared import ArticleContent, StoredBody


@dataclass
class PageItem:
    """A fetched article page (raw bytes as sent), filled in by the pipelines as it goes through them."""

    url: str  # the URL that was requested first (before redirects)
    final_url: str  # where the redirects ended
    source: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    sitemap_lastmod: datetime | None = None
    profile: str | None = None  # the source's extraction profile
    home_province: str | None = None  # a provincial paper's province, for facts that name none
    # Filled in by the pipelines:
    relevant: bool | None = None
    article: Article | None = None
    stored_body: StoredBody | None = None  # the body as archived, computed beside the extraction
    content: ArticleContent | None = None  # an article about OCOP's content hash, search text and signature
    outcome: str | None = None
    published_at: datetime | None = field(default=None)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")
