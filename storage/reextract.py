"""Re-reading archived raw pages with the current extractors: new facts per article, and what changed."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update

from extract.model import Article as ExtractedArticle
from extract.model import Fact as ExtractedFact
from storage import clusters
from storage.archive import FACT_FIELDS, Archive, extraction_metadata, fact_fields, now_utc
from storage.database import write_transaction
from storage.models import Article, ArticleVersion, Fact, RawResponse, Source
from storage.prepared import ArticleContent, content_hash, decompress_body
from storage.queries import Filters

articles = Article.__table__
versions = ArticleVersion.__table__
facts_table = Fact.__table__
raw_responses = RawResponse.__table__
sources = Source.__table__


@dataclass(frozen=True)
class RawPage:
    """The archived response an article's current version was read from."""

    article_id: int
    url: str
    body: bytes
    fetched_at: datetime
    content_type: str | None
    source: str | None
    # The reading rules its source was registered with by the crawl (None when that crawl recorded none).
    profile: str | None = None
    home_province: str | None = None


@dataclass(frozen=True)
class Reextraction:
    """What re-reading one article changed."""

    article_id: int
    url: str
    old_extractor_version: str
    new_extractor_version: str
    added: tuple[dict, ...]
    removed: tuple[dict, ...]
    text_changed: bool

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.text_changed)


def raw_pages(archive: Archive, since: date | str | None = None) -> Iterator[RawPage]:
    """The raw page behind each archived article's current version, oldest article first."""
    filters = Filters.parse(since=since)
    current_version = articles.join(versions, (versions.c.article_id == articles.c.id)
                                    & (versions.c.version == articles.c.version))
    statement = (select(articles.c.id).select_from(current_version)
                 .where(versions.c.raw_response_id.is_not(None)).order_by(articles.c.id))
    if filters.since is not None:
        statement = statement.where(articles.c.reported_at >= filters.since)
    with archive.engine.connect() as connection:
        article_ids = list(connection.execute(statement).scalars())
    for article_id in article_ids:
        with archive.engine.connect() as connection:
            row = connection.execute(
                select(raw_responses.c.final_url, raw_responses.c.body, raw_responses.c.body_encoding,
                       raw_responses.c.fetched_at, raw_responses.c.headers, sources.c.name,
                       sources.c.profile, sources.c.home_province)
                .select_from(current_version.join(raw_responses, raw_responses.c.id == versions.c.raw_response_id)
                             .outerjoin(sources, sources.c.id == articles.c.source_id))
                .where(articles.c.id == article_id)).one()
        headers = {str(key).lower(): value for key, value in (row.headers or {}).items()}
        yield RawPage(article_id=article_id, url=row.final_url, body=decompress_body(row.body, row.body_encoding),
                      fetched_at=row.fetched_at, content_type=headers.get("content-type"), source=row.name,
                      profile=row.profile, home_province=row.home_province)


def reextract(archive: Archive, extract: Callable[[RawPage], ExtractedArticle],
              since: date | str | None = None) -> Iterator[Reextraction]:
    """Re-read every archived article (published since a date) with `extract`; each article is one transaction."""
    for page in raw_pages(archive, since):
        yield replace_extraction(archive, page, extract(page))


def replace_extraction(archive: Archive, page: RawPage, article: ExtractedArticle) -> Reextraction:
    """Store a new reading of an article's current version: its content fields and all its facts, together."""
    with write_transaction(archive.engine) as connection:
        current = connection.execute(select(articles).where(articles.c.id == page.article_id)
                                     .with_for_update()).mappings().one()
        old_facts = [dict(row) for row in connection.execute(
            select(facts_table).where(facts_table.c.article_id == page.article_id)
            .order_by(facts_table.c.position)).mappings()]
        digest = content_hash(article.title, article.lead, article.text)
        text_changed = digest != current["content_hash"]
        reported_at = article.published_at or current["first_seen_at"]
        values: dict[str, Any] = extraction_metadata(article, reported_at)
        content = ArticleContent.of(article) if text_changed else None
        if content is not None:
            values.update(title=article.title, lead=article.lead, text=article.text, content_hash=digest,
                          search_text=content.search_text, minhash=content.signature)
        connection.execute(update(articles).where(articles.c.id == page.article_id).values(**values))
        connection.execute(update(versions).where(versions.c.article_id == page.article_id,
                                                  versions.c.version == current["version"]).values(
            extractor_version=article.extractor_version, published_at=article.published_at,
            modified_at=article.modified_at,
            **({"title": article.title, "lead": article.lead, "text": article.text, "content_hash": digest}
               if text_changed else {})))
        archive.replace_facts(connection, page.article_id, current["version"], article.facts,
                              article.extractor_version, reported_at)
        if content is not None:
            clusters.assign_cluster(connection, page.article_id, digest, content.signature, now_utc())
        added, removed = fact_difference(old_facts, article.facts)
    return Reextraction(article_id=page.article_id, url=current["canonical_url"],
                        old_extractor_version=current["extractor_version"],
                        new_extractor_version=article.extractor_version,
                        added=added, removed=removed, text_changed=text_changed)


def fact_difference(old_rows: list[Mapping[str, Any]], new_facts: tuple[ExtractedFact, ...]
                    ) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    """Facts the new reading adds and facts it drops, compared field by field (a multiset difference)."""
    new_rows = [fact_fields(fact) for fact in new_facts]
    old_count = Counter(identity(row) for row in old_rows)
    new_count = Counter(identity(row) for row in new_rows)
    added = _pick(new_rows, new_count - old_count)
    removed = _pick(old_rows, old_count - new_count)
    return added, removed


def identity(row: Mapping[str, Any]) -> str:
    """Two facts are the same fact when every extracted field is equal."""
    return json.dumps([row[name] for name in FACT_FIELDS], ensure_ascii=False, default=str)


def _pick(rows, wanted: Counter) -> tuple[dict, ...]:
    picked = []
    wanted = Counter(wanted)
    for row in rows:
        key = identity(row)
        if wanted[key] > 0:
            wanted[key] -= 1
            picked.append({name: row[name] for name in FACT_FIELDS})
    return tuple(picked)
