"""The values extraction produces: Article, Fact and Links, frozen and JSON-ready (the contract of cli.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

FACT_KINDS = ("product_count", "subject_count", "product_rating", "budget")
STATUSES = ("achieved", "candidate", "target")
SCOPES = ("total", "new")
QUALIFIERS = ("over", "under", "about")


@dataclass(frozen=True)
class Fact:
    """One OCOP fact read from one sentence, as facts.md defines it, with its evidence."""

    kind: str
    sentence: str
    span: tuple[int, int]
    count: int | None = None
    stars: int | None = None
    status: str | None = None
    scope: str | None = None
    qualifier: str | None = None
    province: str | None = None
    province_current: str | None = None
    nationwide: bool = False
    district: str | None = None
    year: int | None = None
    product: str | None = None
    amount_vnd: int | None = None

    def to_json(self) -> dict:
        """The fields of facts.md plus the evidence sentence and the post-2025 unit."""
        return {
            "kind": self.kind,
            "count": self.count,
            "stars": self.stars,
            "status": self.status,
            "scope": self.scope,
            "qualifier": self.qualifier,
            "province": self.province,
            "province_current": self.province_current,
            "nationwide": self.nationwide,
            "district": self.district,
            "year": self.year,
            "product": self.product,
            "amount_vnd": self.amount_vnd,
            "span": list(self.span),
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Article:
    """A page read as a news article (or recognised as not one), with the facts found in its text."""

    url: str
    canonical_url: str | None = None
    is_article: bool = False
    title: str | None = None
    lead: str | None = None
    text: str = ""
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    modified_at: datetime | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    facts: tuple[Fact, ...] = ()
    extractor_version: str = ""

    def to_json(self) -> dict:
        """The object `ocop extract article` prints."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "is_article": self.is_article,
            "title": self.title,
            "lead": self.lead,
            "text": self.text,
            "authors": list(self.authors),
            "published_at": _iso(self.published_at),
            "modified_at": _iso(self.modified_at),
            "section": self.section,
            "tags": list(self.tags),
            "language": self.language,
            "facts": [fact.to_json() for fact in self.facts],
            "extractor_version": self.extractor_version,
        }


@dataclass(frozen=True)
class Links:
    """What a listing, section or home page links to: article URLs in page order, and the next page."""

    article_urls: tuple[str, ...] = field(default_factory=tuple)
    next_page_url: str | None = None

    def to_json(self) -> dict:
        return {"article_urls": list(self.article_urls), "next_page_url": self.next_page_url}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
