"""The archive's tables as SQLAlchemy 2 typed models; the Alembic migrations create exactly these."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A moment stored in UTC and read back timezone-aware on every dialect (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONDocument, list[Any]: JSONDocument}


class Source(Base):
    """A news site of the registry (or an ad-hoc site), by its unique registry name."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    homepage: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(40))
    # The reading rules of the crawl that last registered the source, so `ocop reextract` reads its pages alike:
    # the extraction profile and a provincial paper's province (the place of a fact that names none).
    profile: Mapped[str | None] = mapped_column(String(80))
    home_province: Mapped[str | None] = mapped_column(Text)


class CrawlRun(Base):
    """One crawl: when, over which sources, with which options, and what it counted."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")  # running, finished, failed, interrupted
    sources: Mapped[list[Any]] = mapped_column(default=list)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RawResponse(Base):
    """A fetched page exactly as the server sent it (body compressed); one row per distinct body of a URL."""

    __tablename__ = "raw_responses"
    __table_args__ = (UniqueConstraint("url", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    body_encoding: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime]


class UrlState(Base):
    """The seen-set: what the archive knows of each URL it fetched, for conditional and skipped fetches."""

    __tablename__ = "url_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # archived, irrelevant, gone or error
    http_status: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime]
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    sitemap_lastmod: Mapped[datetime | None]
    content_hash: Mapped[str | None] = mapped_column(String(64))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)


class StoryCluster(Base):
    """One story, however many sites carried it: exact and near-duplicate articles share a cluster."""

    __tablename__ = "story_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    representative_article_id: Mapped[int | None] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]


class Article(Base):
    """An article by its canonical URL, with the content of its latest version (history in article_versions)."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_source_reported", "source_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str | None] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[list[Any]] = mapped_column(default=list)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    section: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    published_at: Mapped[datetime | None]
    modified_at: Mapped[datetime | None]
    reported_at: Mapped[datetime] = mapped_column(index=True)  # published_at, else when first fetched
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded title, lead and text: the search column
    extractor_version: Mapped[str] = mapped_column(String(80), default="")
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("story_clusters.id"), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)


class ArticleVersion(Base):
    """One distinct content of an article; an unchanged re-fetch adds none, a changed one adds the next."""

    __tablename__ = "article_versions"
    __table_args__ = (
        UniqueConstraint("article_id", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    raw_response_id: Mapped[int | None] = mapped_column(ForeignKey("raw_responses.id"), index=True)
    fetched_at: Mapped[datetime]
    title: Mapped[str | None] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    modified_at: Mapped[datetime | None]
    extractor_version: Mapped[str] = mapped_column(String(80), default="")


class Fact(Base):
    """One OCOP fact (every field of extract.model.Fact) with its evidence and the extraction that made it."""

    __tablename__ = "facts"
    __table_args__ = (
        UniqueConstraint("article_id", "position"),
        # A province's facts in date order, stars at hand: `ocop facts --province P [--stars N]` reads its newest
        # rows without sorting a whole province (see storage.queries._newest_fact_ids).
        Index("ix_facts_province_reported", "province", "reported_at", "stars", "article_id"),
        Index("ix_facts_province_current_reported", "province_current", "reported_at", "stars", "article_id"),
        Index("ix_facts_source_reported", "source_id", "reported_at"),
        Index("ix_facts_headline", "kind", "status", "scope", "province", "stars", "as_of", "id"),
        Index("ix_facts_reported", "reported_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))  # the article's, for fast --source
    article_version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # order of the fact in its article's extraction
    kind: Mapped[str] = mapped_column(String(30))
    count: Mapped[int | None] = mapped_column(BigInteger)
    stars: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(20))
    scope: Mapped[str | None] = mapped_column(String(20))
    qualifier: Mapped[str | None] = mapped_column(String(20))
    province: Mapped[str | None] = mapped_column(String(100))  # as mentioned (an old unit keeps its name)
    province_current: Mapped[str | None] = mapped_column(String(100))  # the unit it belongs to since 2025
    nationwide: Mapped[bool] = mapped_column(Boolean, default=False)
    district: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    product: Mapped[str | None] = mapped_column(Text)
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    extractor_version: Mapped[str] = mapped_column(String(80), default="")
    reported_at: Mapped[datetime]  # the article's reported_at, kept beside the fact for fast filters
    as_of: Mapped[datetime]  # when the figure held: the end of a past year it names, else reported_at
    extracted_at: Mapped[datetime]


class Province(Base):
    """The gazetteer in the archive: 63 old units, 34 new, and which new unit each old one belongs to."""

    __tablename__ = "provinces"
    __table_args__ = (UniqueConstraint("era", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    era: Mapped[str] = mapped_column(String(10))  # old: the 63 units before 1 July 2025; new: the 34 after
    name: Mapped[str] = mapped_column(String(100))
    folded_name: Mapped[str] = mapped_column(String(100), index=True)
    current_name: Mapped[str] = mapped_column(String(100))  # for a new unit, itself


class ArticleShingleBand(Base):
    """Locality-sensitive hash bands of an article's MinHash: articles sharing a band are near-duplicate candidates."""

    __tablename__ = "article_shingle_bands"
    __table_args__ = (Index("ix_article_shingle_bands_band", "band", "band_hash"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    band_hash: Mapped[int] = mapped_column(BigInteger)
