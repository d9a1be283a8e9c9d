"""The digest as plain data: cited figures, per-province reports, stories and the latest totals of one ISO week."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from ocop.digest.week import IsoWeek

SCHEMA = "ocop-digest/1"
STAR_LEVELS = (3, 4, 5)


class DigestFormat(str, enum.Enum):
    """How a digest is written out."""

    md = "md"
    html = "html"
    json = "json"


class Language(str, enum.Enum):
    """The languages of the digest's words (messages.toml)."""

    vi = "vi"
    en = "en"


@dataclass(frozen=True)
class ArticleRef:
    """An archived article as a digest cites it."""

    title: str
    url: str
    published_at: datetime | None
    source: str | None = None

    def to_json(self) -> dict:
        return {"title": self.title, "url": self.url, "source": self.source,
                "published_at": self.published_at.isoformat() if self.published_at else None}


@dataclass(frozen=True)
class Citation:
    """Where a number was read: the article and the sentence that states it."""

    article: ArticleRef
    sentence: str

    def to_json(self) -> dict:
        return {**self.article.to_json(), "sentence": self.sentence}


@dataclass(frozen=True)
class Figure:
    """One reported number (a count, an amount or a product's stars) with every article that reported it; the first cites it."""

    kind: str
    value: int | None
    citations: tuple[Citation, ...]
    stars: int | None = None
    status: str | None = None
    scope: str | None = None
    qualifier: str | None = None
    year: int | None = None
    product: str | None = None
    province: str | None = None
    province_current: str | None = None
    nationwide: bool = False
    district: str | None = None

    @property
    def citation(self) -> Citation:
        return self.citations[0]

    def to_json(self) -> dict:
        return {
            "kind": self.kind, "value": self.value, "stars": self.stars, "status": self.status,
            "scope": self.scope, "qualifier": self.qualifier, "year": self.year, "product": self.product,
            "province": self.province, "province_current": self.province_current, "nationwide": self.nationwide,
            "district": self.district, "citation": self.citation.to_json(),
            "also_reported_by": [citation.to_json() for citation in self.citations[1:]],
        }


@dataclass(frozen=True)
class NewCount:
    """New certifications at one star level (or over all levels when stars is None): the sum of distinct reports."""

    stars: int | None
    total: int
    qualifier: str | None
    figures: tuple[Figure, ...]

    def to_json(self) -> dict:
        return {"stars": self.stars, "total": self.total, "qualifier": self.qualifier,
                "figures": [figure.to_json() for figure in self.figures]}


@dataclass(frozen=True)
class AreaReport:
    """What the week's stories reported about one province as named (or the whole country, or no named place)."""

    province: str | None
    province_current: str | None = None
    nationwide: bool = False
    new_products: tuple[NewCount, ...] = ()
    earlier_new: tuple[Figure, ...] = ()
    latest_total: Figure | None = None
    totals_by_star: tuple[Figure, ...] = ()
    targets: tuple[Figure, ...] = ()
    candidates: tuple[Figure, ...] = ()
    unscoped: tuple[Figure, ...] = ()
    subjects: tuple[Figure, ...] = ()
    ratings: tuple[Figure, ...] = ()
    local: tuple[Figure, ...] = ()
    others: tuple[Figure, ...] = ()

    @property
    def new_by_stars(self) -> dict[int | None, NewCount]:
        return {count.stars: count for count in self.new_products}

    @property
    def new_products_count(self) -> int:
        """New certifications of the week: the all-levels figure, or the sum over star levels when that is larger."""
        by_stars = self.new_by_stars
        all_levels = by_stars[None].total if None in by_stars else 0
        return max(all_levels, sum(count.total for stars, count in by_stars.items() if stars is not None))

    def to_json(self) -> dict:
        def figures(items: tuple[Figure, ...]) -> list[dict]:
            return [figure.to_json() for figure in items]

        return {
            "province": self.province, "province_current": self.province_current, "nationwide": self.nationwide,
            "new_products_count": self.new_products_count,
            "new_products": [count.to_json() for count in self.new_products],
            "earlier_new": figures(self.earlier_new),
            "latest_total": self.latest_total.to_json() if self.latest_total else None,
            "totals_by_star": figures(self.totals_by_star),
            "targets": figures(self.targets), "candidates": figures(self.candidates),
            "unscoped": figures(self.unscoped), "subjects": figures(self.subjects), "ratings": figures(self.ratings),
            "local": figures(self.local), "others": figures(self.others),
        }


@dataclass(frozen=True)
class Story:
    """One story: the article that reported it first, and the other articles of its cluster."""

    article: ArticleRef
    also: tuple[ArticleRef, ...] = ()
    fact_count: int = 0

    def to_json(self) -> dict:
        return {**self.article.to_json(), "facts": self.fact_count,
                "also_reported_by": [ref.to_json() for ref in self.also]}


@dataclass(frozen=True)
class TotalsRow:
    """The most recent achieved total of one province up to the week's end, over all levels and per star level."""

    province: str | None
    province_current: str | None
    nationwide: bool
    total: Figure | None
    by_star: tuple[Figure, ...]
    reported_this_week: bool

    def to_json(self) -> dict:
        return {"province": self.province, "province_current": self.province_current, "nationwide": self.nationwide,
                "total": self.total.to_json() if self.total else None,
                "by_star": [figure.to_json() for figure in self.by_star],
                "reported_this_week": self.reported_this_week}


@dataclass(frozen=True)
class WeekDigest:
    """Everything one week's digest says, before it is rendered."""

    week: IsoWeek
    generated_at: datetime
    stories: tuple[Story, ...] = ()
    areas: tuple[AreaReport, ...] = ()
    nationwide: AreaReport | None = None
    unplaced: AreaReport | None = None
    latest_totals: tuple[TotalsRow, ...] = ()
    article_count: int = 0
    fact_count: int = 0
    budgets: tuple[Figure, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.stories

    def to_json(self) -> dict:
        return {
            "schema": SCHEMA,
            "week": {"iso": str(self.week), "start": self.week.monday.isoformat(),
                     "end": self.week.sunday.isoformat(), "timezone": "Asia/Ho_Chi_Minh"},
            "generated_at": self.generated_at.isoformat(),
            "summary": {"articles": self.article_count, "stories": len(self.stories), "facts": self.fact_count,
                        "provinces": len(self.areas)},
            "provinces": [area.to_json() for area in self.areas],
            "nationwide": self.nationwide.to_json() if self.nationwide else None,
            "unplaced": self.unplaced.to_json() if self.unplaced else None,
            "budgets": [figure.to_json() for figure in self.budgets],
            "latest_totals": [row.to_json() for row in self.latest_totals],
            "stories": [story.to_json() for story in self.stories],
        }
