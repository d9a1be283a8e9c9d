"""What the archive stores of a page that needs no database: the body compressed with its digest, and an article's
content hash, search text and MinHash signature. Computed once, wherever the page was read (the crawl computes it
in its extraction processes), so that the archive's writer only writes."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

from extract.model import Article as ExtractedArticle
from extract.text import fold
from storage import clusters
from storage.values import FetchedPage

BODY_ENCODING = "zlib"
# On the saved Vietnamese news pages (114 KB on average), zlib level 3 shrinks HTML 4.1x in 0.9 ms a page, level 6
# (the default) 4.5x in 1.8 ms (bench/body_compression.py): a tenth more disk for half the CPU of the crawl's busiest
# process. Any level reads back.
BODY_COMPRESSION_LEVEL = 3


@dataclass(frozen=True)
class StoredBody:
    """A response body as the archive keeps it: compressed, with the SHA-256 of the body as received."""

    digest: str
    data: bytes
    encoding: str = BODY_ENCODING

    @classmethod
    def of(cls, body: bytes) -> StoredBody:
        return cls(digest=hashlib.sha256(body).hexdigest(), data=zlib.compress(body, BODY_COMPRESSION_LEVEL))


def decompress_body(data: bytes, encoding: str) -> bytes:
    if encoding != BODY_ENCODING:
        raise ValueError(f"unknown body encoding {encoding!r}")
    return zlib.decompress(data)


@dataclass(frozen=True)
class ArticleContent:
    """What identifies and finds an article's text: its content hash, its folded search text and the MinHash
    signature that clusters it (None for a text too short to compare)."""

    content_hash: str
    search_text: str
    signature: bytes | None

    @classmethod
    def of(cls, article: ExtractedArticle) -> ArticleContent:
        search_text = fold("\n".join(part for part in (article.title, article.lead, article.text) if part))
        return cls(content_hash=content_hash(article.title, article.lead, article.text), search_text=search_text,
                   signature=clusters.signature(search_text))


def content_hash(*parts: str | None) -> str:
    """SHA-256 of the parts with whitespace runs collapsed: the identity of an article's content."""
    joined = "\x1f".join(" ".join((part or "").split()) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PreparedPage:
    """A fetched page ready to store: its body as kept, and the article to archive (None when the page is not an
    article about OCOP) with its content."""

    page: FetchedPage
    body: StoredBody
    article: ExtractedArticle | None = None
    content: ArticleContent | None = None


def prepare_page(page: FetchedPage, article: ExtractedArticle | None = None, *, body: StoredBody | None = None,
                 content: ArticleContent | None = None) -> PreparedPage:
    """The page with everything computed; `article`: the article to archive, if the page is one about OCOP.
    `body` and `content`, when given, were computed already (by the crawl's extraction pool) and are kept."""
    if article is not None and content is None:
        content = ArticleContent.of(article)
    return PreparedPage(page=page, body=body or StoredBody.of(page.body), article=article,
                        content=content if article is not None else None)
