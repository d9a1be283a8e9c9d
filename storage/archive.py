"""The Archive facade: the one object through which crawls, commands and the digest read and write the archive."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from extract.model import Article as ExtractedArticle
from extract.model import Fact as ExtractedFact
from storage import clusters
from storage.database import (
    BadArchiveURL,
    check_connection,
    create_archive_engine,
    resolve_url,
    upgrade_to_head,
    write_transaction,
)
from storage.models import Article, ArticleVersion, CrawlRun, Fact, RawResponse, Source, UrlState
from storage.prepared import PreparedPage, prepare_page
from storage.provinces import sync_provinces
from storage.queries import VIETNAM, article_rows, fact_rows, headline_rows
from storage.search import search_articles
from storage.upsert import SUPPORTED_DIALECTS, insert_or_keep, insert_or_update
from storage.values import FetchedPage, PageState, StoreOutcome

log = logging.getLogger(__name__)

sources = Source.__table__
runs = CrawlRun.__table__
raw_responses = RawResponse.__table__
url_states = UrlState.__table__
articles = Article.__table__
versions = ArticleVersion.__table__
facts_table = Fact.__table__

# A write that collides with a concurrent writer (PostgreSQL: the same new article from two crawls) is
# retried from the start; after this many attempts the collision is a bug, not a race.
WRITE_ATTEMPTS = 4
GONE_STATUSES = frozenset({404, 410})
NOT_MODIFIED = 304
ERROR_STATUS_FROM = 400
PAGE_STATE_BATCH = 500  # URLs looked up in one query: well under SQLite's limit of bound parameters


def as_of(fact: ExtractedFact, reported_at: datetime) -> datetime:
    """When a figure held: the end of the year it names, when that year is before the report; else the report."""
    reported_year = reported_at.astimezone(VIETNAM).year
    if fact.year is not None and fact.year < reported_year:
        return datetime(fact.year, 12, 31, 23, 59, 59, tzinfo=VIETNAM)
    return reported_at


class Archive:
    """An opened archive. Writes are one transaction each; reads return plain dict rows."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._source_ids: dict[str, int] = {}  # sources known to be registered (committed), by name

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Archive:
        """Open (and on first use create and migrate) the archive at url, OCOP_DATABASE_URL or ./data/ocop.sqlite3."""
        resolved = resolve_url(url)
        engine = create_archive_engine(resolved)
        if engine.dialect.name not in SUPPORTED_DIALECTS:
            raise BadArchiveURL(f"unsupported database {engine.dialect.name!r}: use sqlite or postgresql")
        check_connection(engine)
        archive = cls(engine, resolved)
        if migrate:
            archive.upgrade()
        return archive

    def upgrade(self) -> tuple[str | None, str | None]:
        """Migrate the schema to head and load the provinces; returns the revisions (before, after)."""
        try:
            revisions = upgrade_to_head(self.engine)
        except OperationalError as error:
            raise BadArchiveURL(f"cannot write the archive {self.display_url}: {error.orig}") from error
        sync_provinces(self.engine)
        return revisions

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # ---------------------------------------------------------------- crawl runs

    def begin_run(self, sources: Sequence[str | Mapping[str, Any]] = (), options: Mapping[str, Any] | None = None) -> int:
        """Record the start of a crawl and register its sources (name, title, homepage, kind and the reading rules
        `profile` and `home_province` that `ocop reextract` reads their pages with); returns the run id."""
        names = []
        with write_transaction(self.engine) as connection:
            for entry in sources:
                names.append(self._source_id_and_name(connection, entry)[1])
            return connection.execute(insert(runs).values(
                started_at=now_utc(), status="running", sources=names, options=_jsonable(dict(options or {})),
                stats={}).returning(runs.c.id)).scalar_one()

    def finish_run(self, run_id: int, stats: Mapping[str, Any] | None = None, status: str = "finished") -> None:
        """Record the end of a crawl with its counts."""
        with write_transaction(self.engine) as connection:
            connection.execute(update(runs).where(runs.c.id == run_id).values(
                finished_at=now_utc(), status=status, stats=_jsonable(dict(stats or {}))))

    def runs(self) -> list[dict]:
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(select(runs).order_by(runs.c.id)).mappings()]

    # ---------------------------------------------------------------- the seen-set

    def page_state(self, url: str) -> PageState | None:
        """What the archive knows of a URL, or None if it was never fetched."""
        return self.page_states([url]).get(url)

    def page_states(self, urls: Iterable[str]) -> dict[str, PageState]:
        """What the archive knows of each of the URLs it ever fetched, by URL: one query per PAGE_STATE_BATCH."""
        wanted = list(dict.fromkeys(urls))
        states = {}
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), PAGE_STATE_BATCH):
                batch = wanted[start:start + PAGE_STATE_BATCH]
                for row in connection.execute(_PAGE_STATES, {"urls": batch}).mappings():
                    states[row["url"]] = PageState(**row)
        return states

    # ---------------------------------------------------------------- storing a page

    def store_page(self, page: FetchedPage, article: ExtractedArticle | None = None, relevant: bool = False) -> StoreOutcome:
        """Store a fetched page in one transaction: raw response, URL state and, if relevant, article + facts."""
        return self.store_pages([prepare_page(page, article if relevant else None)])[0]

    def store_pages(self, batch: Sequence[PreparedPage]) -> list[StoreOutcome]:
        """Store several prepared pages in one transaction, all or none, each as store_page does: one commit for the
        batch (SQLite writes the search index's new segment and the journal once for all of them)."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                registered: dict[str, int] = {}
                with write_transaction(self.engine) as connection:
                    outcomes = []
                    for prepared in batch:
                        source_id = self._page_source_id(connection, prepared.page.source, registered)
                        outcomes.append(self._store_page(connection, prepared, source_id))
                self._source_ids.update(registered)  # committed: registered from now on
                return outcomes
            except IntegrityError:
                if attempt == WRITE_ATTEMPTS:
                    raise
                log.info("storing %s collided with a concurrent write; retrying",
                         ", ".join(prepared.page.url for prepared in batch))
        raise AssertionError("unreachable")

    def _page_source_id(self, connection: Connection, name: str | None, registered: dict[str, int]) -> int | None:
        """The id of a page's source, registering it on first sight and noting it in `registered` (this
        transaction's); one registered before or earlier in the transaction is read from memory."""
        if not name:
            return None
        known = registered.get(name) or self._source_ids.get(name)
        if known is None:
            known = self._source_id_and_name(connection, name)[0]
        registered[name] = known
        return known

    def _store_page(self, connection: Connection, prepared: PreparedPage, source_id: int | None) -> StoreOutcome:
        page = prepared.page
        fetched_at = page.fetched_at or now_utc()
        if page.status == NOT_MODIFIED:
            return self._touch_url(connection, page, fetched_at)

        digest = prepared.body.digest
        raw_id = self._raw_response_id(connection, prepared, source_id, fetched_at)
        if page.status in GONE_STATUSES:
            url_status = "gone"
        elif page.status >= ERROR_STATUS_FROM:
            url_status = "error"
        elif prepared.article is not None:
            url_status = "archived"
        else:
            url_status = "irrelevant"

        outcome = StoreOutcome(article_id=None, version=None, created=False, changed=False, url_status=url_status)
        if url_status == "archived":
            outcome = self._store_article(connection, prepared, source_id, raw_id, fetched_at)
        headers = {key.lower(): value for key, value in page.headers.items()}
        state = {
            "url": page.url, "source_id": source_id, "status": url_status, "http_status": page.status,
            "fetched_at": fetched_at, "etag": headers.get("etag"), "last_modified": headers.get("last-modified"),
            "sitemap_lastmod": page.sitemap_lastmod, "content_hash": digest, "article_id": outcome.article_id,
            "run_id": page.run_id,
        }
        update_columns = [name for name in state if name != "url"]
        if outcome.article_id is None:
            update_columns.remove("article_id")  # an error page does not unlink the article the URL once gave
        insert_or_update(connection, url_states, state, conflict=["url"], update=update_columns)
        return outcome

    def _touch_url(self, connection: Connection, page: FetchedPage, fetched_at: datetime) -> StoreOutcome:
        """A 304 Not Modified: the URL was checked again and nothing else changes.

        A 304 for a URL the archive never stored (a conditional request it did not ask for) is an error state.
        """
        row = connection.execute(select(url_states.c.status, url_states.c.article_id)
                                 .where(url_states.c.url == page.url)).first()
        if row is None:
            insert_or_keep(connection, url_states, {"url": page.url, "status": "error", "http_status": page.status,
                                                    "fetched_at": fetched_at, "run_id": page.run_id}, conflict=["url"])
            return StoreOutcome(article_id=None, version=None, created=False, changed=False, url_status="error")
        connection.execute(update(url_states).where(url_states.c.url == page.url).values(
            fetched_at=fetched_at, run_id=page.run_id))
        version = None
        if row.article_id is not None:
            version = connection.execute(select(articles.c.version).where(articles.c.id == row.article_id)).scalar()
        return StoreOutcome(article_id=row.article_id, version=version, created=False, changed=False,
                            url_status=row.status)

    def _source_id_and_name(self, connection: Connection, entry: str | Mapping[str, Any]) -> tuple[int, str]:
        if isinstance(entry, str):
            values = {"name": entry}
        else:
            values = {key: entry.get(key) for key in ("name", "title", "homepage", "kind") if entry.get(key) is not None}
            # The reading rules (for `ocop reextract`) are the registering crawl's, an absent rule included.
            values.update({key: entry[key] for key in ("profile", "home_province") if key in entry})
        insert_or_keep(connection, sources, values, conflict=["name"])
        if len(values) > 1:
            connection.execute(update(sources).where(sources.c.name == values["name"]).values(**values))
        return connection.execute(select(sources.c.id).where(sources.c.name == values["name"])).scalar_one(), values["name"]

    def _raw_response_id(self, connection: Connection, prepared: PreparedPage, source_id: int | None,
                         fetched_at: datetime) -> int:
        page, body = prepared.page, prepared.body
        values = {
            "url": page.url, "final_url": page.final_url or page.url, "source_id": source_id, "run_id": page.run_id,
            "status": page.status, "headers": dict(page.headers), "body": body.data, "body_encoding": body.encoding,
            "content_hash": body.digest, "fetched_at": fetched_at,
        }
        created = insert_or_keep(connection, raw_responses, values, conflict=["url", "content_hash"], returning=["id"])
        if created is not None:
            return created.id
        return connection.execute(select(raw_responses.c.id).where(
            raw_responses.c.url == page.url, raw_responses.c.content_hash == body.digest)).scalar_one()

    def _store_article(self, connection: Connection, prepared: PreparedPage, source_id: int | None, raw_id: int,
                       fetched_at: datetime) -> StoreOutcome:
        page, article, signature = prepared.page, prepared.article, prepared.content.signature
        key = article.canonical_url or page.final_url or page.url
        digest = prepared.content.content_hash
        content = {
            "title": article.title, "lead": article.lead, "text": article.text,
            "authors": list(article.authors), "tags": list(article.tags), "section": article.section,
            "language": article.language, "published_at": article.published_at, "modified_at": article.modified_at,
            "content_hash": digest, "search_text": prepared.content.search_text,
            "extractor_version": article.extractor_version, "minhash": signature,
        }
        created = insert_or_keep(connection, articles, {
            "canonical_url": key, "url": page.final_url or page.url, "source_id": source_id, "version": 1,
            "reported_at": article.published_at or fetched_at, "first_seen_at": fetched_at,
            "last_seen_at": fetched_at, **content}, conflict=["canonical_url"], returning=["id"])
        if created is not None:
            article_id, version, reported_at = created.id, 1, as_stored(article.published_at or fetched_at)
        else:
            current = connection.execute(
                select(articles.c.id, articles.c.version, articles.c.content_hash, articles.c.extractor_version,
                       articles.c.first_seen_at, articles.c.cluster_id, articles.c.source_id)
                .where(articles.c.canonical_url == key).with_for_update()).one()
            article_id, source_id = current.id, current.source_id  # facts carry their article's source
            if current.content_hash == digest:
                connection.execute(update(articles).where(articles.c.id == article_id).values(last_seen_at=fetched_at))
                if current.extractor_version != article.extractor_version:
                    self._replace_article_extraction(connection, article_id, current.version, article, fetched_at,
                                                     current.first_seen_at)
                return StoreOutcome(article_id=article_id, version=current.version, created=False, changed=False,
                                    url_status="archived", cluster_id=current.cluster_id)
            version = current.version + 1
            reported_at = as_stored(article.published_at or current.first_seen_at)
            connection.execute(update(articles).where(articles.c.id == article_id).values(
                version=version, last_seen_at=fetched_at, reported_at=reported_at, **content))
        connection.execute(_INSERT_VERSION, {
            "article_id": article_id, "version": version, "content_hash": digest, "raw_response_id": raw_id,
            "fetched_at": fetched_at, "title": article.title, "lead": article.lead, "text": article.text,
            "published_at": article.published_at, "modified_at": article.modified_at,
            "extractor_version": article.extractor_version})
        if created is None:
            connection.execute(delete(facts_table).where(facts_table.c.article_id == article_id))
        _insert_facts(connection, article_id, version, article.facts, article.extractor_version, reported_at,
                      source_id)
        cluster_id = clusters.assign_cluster(connection, article_id, digest, signature, now_utc(), new=created is not None)
        return StoreOutcome(article_id=article_id, version=version, created=created is not None, changed=True,
                            url_status="archived", cluster_id=cluster_id)

    def _replace_article_extraction(self, connection: Connection, article_id: int, version: int,
                                    article: ExtractedArticle, fetched_at: datetime, first_seen_at: datetime) -> None:
        """The same content read by another extractor version: new metadata and facts, same version."""
        reported_at = article.published_at or first_seen_at
        connection.execute(update(articles).where(articles.c.id == article_id)
                           .values(**extraction_metadata(article, reported_at)))
        connection.execute(update(versions).where(versions.c.article_id == article_id, versions.c.version == version)
                           .values(published_at=article.published_at, modified_at=article.modified_at,
                                   extractor_version=article.extractor_version))
        self.replace_facts(connection, article_id, version, article.facts, article.extractor_version, reported_at)

    def replace_facts(self, connection: Connection, article_id: int, version: int, facts: Sequence[ExtractedFact],
                       extractor_version: str, reported_at: datetime) -> None:
        """All facts of an article go and the new extraction's come, inside the caller's transaction."""
        connection.execute(delete(facts_table).where(facts_table.c.article_id == article_id))
        source_id = connection.execute(select(articles.c.source_id).where(articles.c.id == article_id)).scalar()
        _insert_facts(connection, article_id, version, facts, extractor_version, reported_at, source_id)

    # ---------------------------------------------------------------- reading

    def facts(self, **filters: Any) -> list[dict]:
        """Facts with their article (URL, title, date, source) and evidence; see storage.queries.FactFilters."""
        with self.engine.connect() as connection:
            return fact_rows(connection, **filters)

    def articles(self, **filters: Any) -> list[dict]:
        """Articles with their fact counts; see storage.queries.ArticleFilters."""
        with self.engine.connect() as connection:
            return article_rows(connection, **filters)

    def search(self, query: str, *, limit: int | None = None) -> list[dict]:
        """Articles matching a phrase, insensitive to diacritics and "đ", best first."""
        with self.engine.connect() as connection:
            return search_articles(connection, query, limit=limit)

    def headline(self, *, province: str | None = None, stars: int | str | None = None,
                 since: date | str | None = None, until: date | str | None = None) -> list[dict]:
        """The latest reported achieved total of OCOP products per (province, stars), with the article that said it.

        Reports dated since/until only; as of `until`, the view shows what was known then.
        """
        with self.engine.connect() as connection:
            return headline_rows(connection, province=province, stars=stars, since=since, until=until)

    def stream(self, statement) -> Iterator[Mapping[str, Any]]:
        """Rows of a select, fetched in batches from a server-side cursor (for exports)."""
        with self.engine.connect().execution_options(stream_results=True, yield_per=1000) as connection:
            yield from connection.execute(statement).mappings()


_PAGE_STATES = select(*(url_states.c[field.name] for field in fields(PageState))).where(
    url_states.c.url.in_(bindparam("urls", expanding=True)))
_INSERT_VERSION = insert(versions)
_INSERT_FACTS = insert(facts_table)


def _insert_facts(connection: Connection, article_id: int, version: int, facts: Sequence[ExtractedFact],
                  extractor_version: str, reported_at: datetime, source_id: int | None) -> None:
    """The facts of an article's extraction, in one statement executed over all their rows."""
    now = now_utc()
    rows = [{**fact_row(fact, article_id, version, position, extractor_version, reported_at, now),
             "source_id": source_id} for position, fact in enumerate(facts)]
    if rows:
        connection.execute(_INSERT_FACTS, rows)


def extraction_metadata(article: ExtractedArticle, reported_at: datetime) -> dict:
    """The articles columns an extraction sets besides the content: dates, people, tags, language, version."""
    return {"published_at": article.published_at, "modified_at": article.modified_at, "reported_at": reported_at,
            "authors": list(article.authors), "tags": list(article.tags), "section": article.section,
            "language": article.language, "extractor_version": article.extractor_version}


def as_stored(moment: datetime) -> datetime:
    """A moment as the archive reads it back: timezone-aware UTC (a naive moment is taken as UTC)."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


FACT_FIELDS = ("kind", "count", "stars", "status", "scope", "qualifier", "province", "province_current", "nationwide",
               "district", "year", "product", "amount_vnd", "span_start", "span_end", "sentence")


def fact_fields(fact: ExtractedFact) -> dict:
    """The columns that hold the extracted fact itself (every field of extract.model.Fact)."""
    return {
        "kind": fact.kind, "count": fact.count, "stars": fact.stars, "status": fact.status, "scope": fact.scope,
        "qualifier": fact.qualifier, "province": fact.province, "province_current": province_current(fact),
        "nationwide": bool(fact.nationwide), "district": fact.district, "year": fact.year, "product": fact.product,
        "amount_vnd": fact.amount_vnd, "span_start": fact.span[0], "span_end": fact.span[1], "sentence": fact.sentence,
    }


def province_current(fact: ExtractedFact) -> str | None:
    """The fact's post-2025 unit; filled from the gazetteer when the extraction left it out, so that a filter by a
    current province finds every fact about the old units merged into it."""
    if fact.province_current or not fact.province:
        return fact.province_current
    from extract.places import current_unit  # the gazetteer builds its finders on import; most writes skip this
    return current_unit(fact.province)


def fact_row(fact: ExtractedFact, article_id: int, version: int, position: int, extractor_version: str,
             reported_at: datetime, extracted_at: datetime) -> dict:
    """The facts-table row of one extracted fact."""
    return {**fact_fields(fact), "article_id": article_id, "article_version": version, "position": position,
            "extractor_version": extractor_version, "reported_at": reported_at,
            "as_of": as_of(fact, reported_at), "extracted_at": extracted_at}


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def _jsonable(value: Any) -> Any:
    """Options and stats as JSON: dates and paths become strings."""
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
