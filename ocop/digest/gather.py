"""Gathering one week's digest: the archive's articles, stories and facts -> a WeekDigest (each story counted once)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from extract.model import Fact
from ocop.digest.model import (STAR_LEVELS, AreaReport, ArticleRef, Citation, Figure, NewCount, Story, TotalsRow,
                               WeekDigest)
from ocop.digest.week import VIETNAM, IsoWeek


@dataclass(frozen=True)
class ArchivedArticle:
    """An article of the week as the digest needs it: its reference, its story (cluster) and its facts."""

    ref: ArticleRef
    story: object
    facts: tuple[Fact, ...]


# A slot is what one report speaks about; a story speaks once per slot (its earliest article carrying the slot).
Slot = tuple
AreaKey = tuple[str | None, bool]


def _slot(fact: Fact) -> Slot:
    return (fact.kind, fact.province, fact.nationwide, fact.status, fact.scope, fact.stars, fact.year,
            fact.product if fact.kind == "product_rating" else None)


def _value(fact: Fact) -> int | None:
    if fact.kind == "budget":
        return fact.amount_vnd
    if fact.kind == "product_rating":
        return fact.stars
    return fact.count


def _figure(fact: Fact, citations: list[Citation]) -> Figure:
    return Figure(kind=fact.kind, value=_value(fact), citations=tuple(citations), stars=fact.stars,
                  status=fact.status, scope=fact.scope, qualifier=fact.qualifier, year=fact.year,
                  product=fact.product, province=fact.province, province_current=fact.province_current,
                  nationwide=fact.nationwide)


def _published(ref: ArticleRef) -> datetime:
    return ref.published_at or datetime.min.replace(tzinfo=VIETNAM)


def _story_facts(members: list[ArchivedArticle]) -> dict[tuple, tuple[Fact, list[Citation]]]:
    """The facts of one story, once: per slot, only the earliest member carrying it speaks; equal values add citations."""
    owner_of_slot: dict[Slot, int] = {}
    reports: dict[tuple, tuple[Fact, list[Citation]]] = {}
    for position, member in enumerate(members):
        for fact in member.facts:
            slot = _slot(fact)
            key = (slot, _value(fact), fact.qualifier)
            owner = owner_of_slot.setdefault(slot, position)
            citation = Citation(member.ref, fact.sentence)
            if key in reports:
                if all(existing.article != member.ref for existing in reports[key][1]):
                    reports[key][1].append(citation)
            elif owner == position:
                reports[key] = (fact, [citation])
    return reports


def _combined_qualifier(figures: Iterable[Figure]) -> str | None:
    """The qualifier of a sum: exact when every part is, the shared qualifier when they agree, else 'about'."""
    qualifiers = {figure.qualifier for figure in figures} - {None}
    if not qualifiers:
        return None
    return qualifiers.pop() if len(qualifiers) == 1 else "about"


def _latest(candidates: Iterable[Figure]) -> Figure | None:
    """The most recent report: the latest article, then the latest year it states, then the larger count."""
    def recency(figure: Figure) -> tuple:
        return (_published(figure.citation.article), figure.year or 10_000, figure.value or 0)
    return max(candidates, key=recency, default=None)


def _latest_per_star(figures: list[Figure]) -> tuple[Figure | None, tuple[Figure, ...]]:
    overall = _latest(figure for figure in figures if figure.stars is None)
    by_star = tuple(latest for stars in STAR_LEVELS
                    if (latest := _latest(figure for figure in figures if figure.stars == stars)) is not None)
    return overall, by_star


def _area_report(key: AreaKey, figures: list[Figure]) -> AreaReport:
    province, nationwide = key
    def pick(kind: str, status: str | None = None, scope: object = ...) -> list[Figure]:
        return [figure for figure in figures if figure.kind == kind
                and (status is None or figure.status == status) and (scope is ... or figure.scope == scope)]

    new_counts = []
    new_figures = pick("product_count", "achieved", "new")
    for stars in (None, *STAR_LEVELS):
        parts = [figure for figure in new_figures if figure.stars == stars]
        if parts:
            new_counts.append(NewCount(stars=stars, total=sum(figure.value or 0 for figure in parts),
                                       qualifier=_combined_qualifier(parts), figures=tuple(parts)))
    latest_total, totals_by_star = _latest_per_star(pick("product_count", "achieved", "total"))
    current = next((figure.province_current for figure in figures if figure.province_current), None)
    return AreaReport(
        province=province, province_current=current, nationwide=nationwide,
        new_products=tuple(new_counts), latest_total=latest_total, totals_by_star=totals_by_star,
        targets=tuple(pick("product_count", "target")), candidates=tuple(pick("product_count", "candidate")),
        unscoped=tuple(pick("product_count", "achieved", None)),
        subjects=tuple(pick("subject_count")), ratings=tuple(pick("product_rating")),
    )


def _totals_table(totals: Iterable[tuple[Fact, ArticleRef]], week: IsoWeek) -> tuple[TotalsRow, ...]:
    """Per province as reported, the most recent achieved total up to the week's end; totals are never summed."""
    by_area: dict[AreaKey, list[Figure]] = defaultdict(list)
    for fact, ref in totals:
        if fact.kind == "product_count" and fact.status == "achieved" and fact.scope == "total" \
                and (fact.province or fact.nationwide):
            by_area[(fact.province, fact.nationwide)].append(_figure(fact, [Citation(ref, fact.sentence)]))
    rows = []
    for (province, nationwide), figures in by_area.items():
        overall, by_star = _latest_per_star(figures)
        shown = [figure for figure in (overall, *by_star) if figure is not None]
        rows.append(TotalsRow(
            province=province, nationwide=nationwide,
            province_current=next((figure.province_current for figure in figures if figure.province_current), None),
            total=overall, by_star=by_star,
            reported_this_week=any(week.start <= _published(figure.citation.article) < week.end for figure in shown)))
    return tuple(sorted(rows, key=lambda row: (not row.nationwide, row.province_current or row.province or "",
                                               row.province or "")))


def summarize(week: IsoWeek, articles: Iterable[ArchivedArticle], totals: Iterable[tuple[Fact, ArticleRef]],
              generated_at: datetime) -> WeekDigest:
    """Turn the week's articles (with their story keys and facts) and all totals up to the week's end into a digest."""
    articles = list(articles)
    stories_members: dict[object, list[ArchivedArticle]] = defaultdict(list)
    for article in articles:
        stories_members[article.story].append(article)

    stories, week_reports = [], {}
    for members in stories_members.values():
        members.sort(key=lambda member: (_published(member.ref), member.ref.url))
        reports = _story_facts(members)
        stories.append(Story(article=members[0].ref, also=tuple(member.ref for member in members[1:]),
                             fact_count=len(reports)))
        for key, (fact, citations) in reports.items():
            if key in week_reports:  # the same value in the same slot from another story: the same report
                week_reports[key][1].extend(citations)
            else:
                week_reports[key] = (fact, list(citations))
    stories.sort(key=lambda story: (_published(story.article), story.article.url))

    by_area: dict[AreaKey, list[Figure]] = defaultdict(list)
    budgets = []
    for fact, citations in week_reports.values():
        figure = _figure(fact, citations)
        if fact.kind == "budget":
            budgets.append(figure)
        else:
            by_area[(None if fact.nationwide else fact.province, fact.nationwide)].append(figure)

    reports = {key: _area_report(key, figures) for key, figures in by_area.items()}
    nationwide = next((report for (_, is_nationwide), report in reports.items() if is_nationwide), None)
    unplaced = reports.get((None, False))
    areas = sorted((report for (province, _), report in reports.items() if province is not None),
                   key=lambda report: (-report.new_products_count, report.province))
    budgets.sort(key=lambda figure: (not figure.nationwide, figure.province or "", -(figure.value or 0)))
    return WeekDigest(week=week, generated_at=generated_at, stories=tuple(stories), areas=tuple(areas),
                      nationwide=nationwide, unplaced=unplaced, latest_totals=_totals_table(totals, week),
                      article_count=len(articles), fact_count=len(week_reports), budgets=tuple(budgets))
