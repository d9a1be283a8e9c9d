"""What the spider hands to the pipelines: one fetched page with its source, and what the pipelines decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from extract.model import Article
from storage.prepared import ArticleContent, StoredBody


@dataclass(frozen=True)
class PageReading:
    """What the extraction pool makes of a page: the body as archived, the article (None when the page has no OCOP
    signal anywhere, so was not extracted), whether it is an article about OCOP, and then its content."""

    stored_body: StoredBody
    article: Article | None = None
    relevant: bool = False
    content: ArticleContent | None = None


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
    reading: PageReading | None = None  # None for a page that was not read (an error, a 304)
    outcome: str | None = None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def archivable(self) -> Article | None:
        """The article to archive: the page's, when it is an article about OCOP."""
        return self.reading.article if self.reading is not None and self.reading.relevant else None

    @property
    def published_at(self) -> datetime | None:
        article = self.reading.article if self.reading is not None else None
        return article.published_at if article is not None else None
