"""Researchers' queries over the archive: facts, articles and the headline view, with validated filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Integer, Select, func, literal, null, or_, select, true, union, union_all

from extract.model import FACT_KINDS, STATUSES
from storage.models import Article, Fact, Province, Source, StoryCluster

articles = Article.__table__
facts = Fact.__table__
sources = Source.__table__
provinces = Province.__table__
clusters = StoryCluster.__table__

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")  # dates given and shown are Vietnamese calendar dates
STAR_LEVELS = (3, 4, 5)
SOURCE_NAME_MAX = 200  # the length of sources.name
# `ocop articles` with fact filters first reads this many matching facts per wanted article (OCOP articles
# rarely hold more), then twice as many until it has enough articles.
FACTS_PER_ARTICLE_FIRST_ROUND = 4
HEADLINE_KIND, HEADLINE_STATUS, HEADLINE_SCOPE = "product_count", "achieved", "total"

FACT_COLUMNS = (
    "fact_id", "province", "province_current", "nationwide", "district", "kind", "count", "stars", "status",
    "scope", "qualifier", "year", "product", "amount_vnd", "sentence", "span", "extractor_version",
    "article_id", "url", "title", "published_at", "source", "cluster_id",
)
ARTICLE_COLUMNS = (
    "article_id", "url", "title", "published_at", "source", "version", "facts", "cluster_id", "extractor_version",
)
HEADLINE_COLUMNS = (
    "province", "province_current", "nationwide", "stars", "count", "qualifier", "year", "as_of", "sentence",
    "url", "title", "published_at", "source", "fact_id",
)


class BadFilter(ValueError):
    """A filter value the archive cannot use (unknown province, stars 7, a malformed date)."""


@dataclass(frozen=True)
class Filters:
    """Validated filters shared by every query; build with Filters.parse from user values."""

    provinces: frozenset[str] | None = None
    stars: int | None = None
    kind: str | None = None
    status: str | None = None
    since: datetime | None = None  # inclusive, start of the Vietnamese day
    until: datetime | None = None  # exclusive, start of the day after the given one
    source: str | None = None
    one_per_story: bool = False
    limit: int | None = None

    @classmethod
    def parse(cls, *, province: str | None = None, stars: int | str | None = None, kind: str | None = None,
              status: str | None = None, since: date | str | None = None, until: date | str | None = None,
              source: str | None = None, one_per_story: bool = False, limit: int | None = None) -> Filters:
        return cls(
            provinces=_province_names(province) if province is not None else None,
            stars=_stars(stars),
            kind=_choice("kind", kind, FACT_KINDS),
            status=_choice("status", status, STATUSES),
            since=_day_start(_date("since", since)) if since is not None else None,
            until=_day_start(_date("until", until) + timedelta(days=1)) if until is not None else None,
            source=_source(source),
            one_per_story=bool(one_per_story),
            limit=_limit(limit),
        )

    @property
    def about_facts(self) -> bool:
        return any(value is not None for value in (self.provinces, self.stars, self.kind, self.status))


def _province_names(province: str) -> frozenset[str]:
    from extract.places import matching_names
    names = frozenset(matching_names(province))
    if not names:
        raise BadFilter(f"unknown province {province!r}: give an old (63) or current (34) province name")
    return names


def _stars(stars: int | str | None) -> int | None:
    if stars is None:
        return None
    try:
        level = int(stars)
    except (TypeError, ValueError):
        level = None
    if level not in STAR_LEVELS:
        raise BadFilter(f"stars must be 3, 4 or 5, not {stars!r}")
    return level


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise BadFilter(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _date(name: str, value: date | str) -> date:
    if isinstance(value, datetime):
        return value.astimezone(VIETNAM).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise BadFilter(f"--{name} must be a date YYYY-MM-DD, not {value!r}") from None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VIETNAM)


def _source(source: str | None) -> str | None:
    if source is not None and (not source.isprintable() or len(source) > SOURCE_NAME_MAX):
        raise BadFilter(f"--source must be a registry name, not {source[:SOURCE_NAME_MAX]!r}")
    return source


def _limit(limit: int | None) -> int | None:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise BadFilter(f"limit must be a whole number ≥ 0, not {limit!r}")
    return limit or None  # 0 means no limit


def _fact_conditions(filters: Filters, *, with_province: bool = True) -> list:
    conditions = []
    if filters.provinces is not None and with_province:
        names = sorted(filters.provinces)
        conditions.append(or_(facts.c.province.in_(names), facts.c.province_current.in_(names)))
    if filters.stars is not None:
        conditions.append(facts.c.stars == filters.stars)
    if filters.kind is not None:
        conditions.append(facts.c.kind == filters.kind)
    if filters.status is not None:
        conditions.append(facts.c.status == filters.status)
    return conditions


def _source_id(name: str):
    return select(sources.c.id).where(sources.c.name == name).scalar_subquery()


def _date_conditions(filters: Filters, reported_at) -> list:
    conditions = []
    if filters.since is not None:
        conditions.append(reported_at >= filters.since)
    if filters.until is not None:
        conditions.append(reported_at < filters.until)
    return conditions


def _article_conditions(filters: Filters, reported_at) -> list:
    conditions = _date_conditions(filters, reported_at)
    if filters.source is not None:
        conditions.append(articles.c.source_id == _source_id(filters.source))
    if filters.one_per_story:
        conditions.append(or_(articles.c.cluster_id.is_(None),
                              articles.c.id == select(clusters.c.representative_article_id)
                              .where(clusters.c.id == articles.c.cluster_id).scalar_subquery()))
    return conditions


FACT_ORDER = (facts.c.reported_at.desc(), facts.c.article_id.desc(), facts.c.position)


def _fact_columns():
    return (facts.c.id.label("fact_id"), facts.c.province, facts.c.province_current, facts.c.nationwide,
            facts.c.district, facts.c.kind, facts.c.count, facts.c.stars, facts.c.status, facts.c.scope,
            facts.c.qualifier, facts.c.year, facts.c.product, facts.c.amount_vnd, facts.c.sentence,
            facts.c.span_start, facts.c.span_end, facts.c.extractor_version, facts.c.article_id,
            articles.c.canonical_url.label("url"), articles.c.title, articles.c.published_at,
            sources.c.name.label("source"), articles.c.cluster_id, facts.c.reported_at, facts.c.as_of)


def _newest_facts(filters: Filters, limit: int):
    """The newest `limit` matching facts (id, article_id, reported_at), found in the facts table alone.

    With a province, one backward range of ix_facts_province_reported (or ..._current_reported) per name and
    column, each cut at `limit` and merged: a few thousand index entries instead of sorting a whole province.
    --source reads ix_facts_source_reported the same way.
    """
    conditions = [*_fact_conditions(filters, with_province=False), *_date_conditions(filters, facts.c.reported_at)]
    if filters.source is not None:
        conditions.append(facts.c.source_id == _source_id(filters.source))
    keys = (facts.c.id, facts.c.article_id, facts.c.reported_at)
    newest = (facts.c.reported_at.desc(), facts.c.article_id.desc(), facts.c.id.desc())
    if filters.provinces is None:
        return select(*keys).where(*conditions).order_by(*newest).limit(limit).subquery("chosen")
    ranges = [select(*keys).where(column == name, *conditions).order_by(*newest).limit(limit).subquery()
              for column in (facts.c.province, facts.c.province_current) for name in sorted(filters.provinces)]
    pool = union(*(select(*rows.c) for rows in ranges)).subquery("pool")
    return (select(*pool.c).order_by(pool.c.reported_at.desc(), pool.c.article_id.desc(), pool.c.id.desc())
            .limit(limit).subquery("chosen"))


def fact_statement(filters: Filters) -> Select:
    """Facts with their article, newest report first."""
    with_article = (facts.join(articles, articles.c.id == facts.c.article_id)
                    .outerjoin(sources, sources.c.id == articles.c.source_id))
    if filters.limit and not filters.one_per_story:
        chosen = _newest_facts(filters, filters.limit)
        return (select(*_fact_columns()).select_from(chosen.join(facts, facts.c.id == chosen.c.id)
                                                     .join(articles, articles.c.id == facts.c.article_id)
                                                     .outerjoin(sources, sources.c.id == articles.c.source_id))
                .order_by(*FACT_ORDER))
    statement = (select(*_fact_columns()).select_from(with_article)
                 .where(*_fact_conditions(filters), *_article_conditions(filters, facts.c.reported_at))
                 .order_by(*FACT_ORDER))
    return statement.limit(filters.limit) if filters.limit else statement


def fact_rows(connection: Connection, **raw_filters: Any) -> list[dict]:
    return [present_fact(row) for row in connection.execute(fact_statement(Filters.parse(**raw_filters))).mappings()]


def present_fact(row: Mapping[str, Any]) -> dict:
    """A fact row as researchers see it: span as a pair, dates in Vietnamese time."""
    result = {name: row[name] for name in FACT_COLUMNS if name in row}
    result["span"] = [row["span_start"], row["span_end"]]
    result["published_at"] = vietnam_time(row["published_at"])
    result["nationwide"] = bool(row["nationwide"])
    return {name: result[name] for name in FACT_COLUMNS}


def article_statement(filters: Filters, chosen_ids: list[int] | None = None) -> Select:
    """Articles (with how many facts each holds), newest first; fact filters keep articles with a matching fact."""
    fact_count = select(func.count()).where(facts.c.article_id == articles.c.id).scalar_subquery()
    statement = (
        select(articles.c.id.label("article_id"), articles.c.canonical_url.label("url"), articles.c.title,
               articles.c.published_at, sources.c.name.label("source"), articles.c.version,
               fact_count.label("facts"), articles.c.cluster_id, articles.c.extractor_version)
        .select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
        .order_by(articles.c.reported_at.desc(), articles.c.id.desc())
    )
    if chosen_ids is not None:
        return statement.where(articles.c.id.in_(chosen_ids))
    statement = statement.where(*_article_conditions(filters, articles.c.reported_at))
    if filters.about_facts:
        statement = statement.where(select(facts.c.id).where(facts.c.article_id == articles.c.id,
                                                             *_fact_conditions(filters)).exists())
    return statement.limit(filters.limit) if filters.limit else statement


def _newest_article_ids(connection: Connection, filters: Filters) -> list[int]:
    """The newest `limit` articles holding a matching fact: the newest matching facts are read in growing rounds
    until they name `limit` articles or run out (an article's facts share its reported_at)."""
    wanted = filters.limit * FACTS_PER_ARTICLE_FIRST_ROUND
    while True:
        chosen = _newest_facts(filters, wanted)
        article_ids = connection.execute(select(chosen.c.article_id).order_by(
            chosen.c.reported_at.desc(), chosen.c.article_id.desc())).scalars().all()
        distinct = list(dict.fromkeys(article_ids))
        if len(distinct) >= filters.limit or len(article_ids) < wanted:
            return distinct[:filters.limit]
        wanted *= 2


def article_rows(connection: Connection, **raw_filters: Any) -> list[dict]:
    filters = Filters.parse(**raw_filters)
    chosen_ids = None
    if filters.about_facts and filters.limit and not filters.one_per_story:
        chosen_ids = _newest_article_ids(connection, filters)
    rows = connection.execute(article_statement(filters, chosen_ids)).mappings()
    return [{**row, "published_at": vietnam_time(row["published_at"])} for row in rows]


def headline_statement(dialect: str, filters: Filters = Filters()) -> Select:
    """Per (province, stars): the achieved total with the latest as_of. Totals are picked, never added.

    SQLite: one index seek per (province, star level) group (a correlated subquery over ix_facts_headline).
    PostgreSQL: a window ranking each group's facts by as_of.
    """
    wanted = [facts.c.kind == HEADLINE_KIND, facts.c.status == HEADLINE_STATUS, facts.c.scope == HEADLINE_SCOPE,
              or_(facts.c.province.is_not(None), facts.c.nationwide.is_(True)),
              facts.c.district.is_(None)]  # a district's or commune's total is a part, not the province's total
    if filters.until is not None:
        wanted.append(facts.c.reported_at < filters.until)
    if filters.since is not None:
        wanted.append(facts.c.reported_at >= filters.since)
    if filters.provinces is not None:
        names = sorted(filters.provinces)
        wanted.append(or_(facts.c.province.in_(names), facts.c.province_current.in_(names)))
    if filters.stars is not None:
        wanted.append(facts.c.stars == filters.stars)
    if dialect == "postgresql":
        ranked = (select(facts.c.id, func.row_number().over(
                      partition_by=(facts.c.province, facts.c.stars),
                      order_by=(facts.c.as_of.desc(), facts.c.id.desc())).label("recency"))
                  .where(*wanted).subquery("ranked"))
        chosen = facts.c.id.in_(select(ranked.c.id).where(ranked.c.recency == 1))
        source_table = facts
    else:
        named = select(provinces.c.name.label("province")).distinct()
        groups = named.union(select(null().label("province"))).subquery("groups")
        levels = union_all(select(null().label("stars")),
                           *(select(literal(level, Integer).label("stars")) for level in STAR_LEVELS)).subquery("levels")
        latest = (select(facts.c.id)
                  .where(*wanted, facts.c.province.is_not_distinct_from(groups.c.province),
                         facts.c.stars.is_not_distinct_from(levels.c.stars))
                  .order_by(facts.c.as_of.desc(), facts.c.id.desc()).limit(1)
                  .correlate(groups, levels).scalar_subquery())
        source_table = groups.join(levels, true()).join(facts, facts.c.id == latest)
        chosen = true()
    return (
        select(facts.c.province, facts.c.province_current, facts.c.nationwide, facts.c.stars, facts.c.count,
               facts.c.qualifier, facts.c.year, facts.c.as_of, facts.c.sentence, articles.c.canonical_url.label("url"),
               articles.c.title, articles.c.published_at, sources.c.name.label("source"), facts.c.id.label("fact_id"))
        .select_from(source_table.join(articles, articles.c.id == facts.c.article_id)
                     .outerjoin(sources, sources.c.id == articles.c.source_id))
        .where(chosen)
        .order_by(facts.c.nationwide.desc(), facts.c.province, facts.c.stars.is_not(None), facts.c.stars)
    )


def headline_rows(connection: Connection, *, province: str | None = None, stars: int | str | None = None,
                  since: date | str | None = None, until: date | str | None = None) -> list[dict]:
    filters = Filters.parse(province=province, stars=stars, since=since, until=until)
    if connection.dialect.name != "postgresql" and connection.execute(select(func.count()).select_from(provinces)).scalar() == 0:
        raise BadFilter("the provinces table is empty: run `ocop db upgrade` once the gazetteer is installed")
    rows = connection.execute(headline_statement(connection.dialect.name, filters)).mappings()
    return [{**row, "nationwide": bool(row["nationwide"]), "published_at": vietnam_time(row["published_at"]),
             "as_of": vietnam_time(row["as_of"])} for row in rows]


def vietnam_time(moment: datetime | None) -> datetime | None:
    return moment.astimezone(VIETNAM) if moment is not None else None
