"""Gathering one week's digest: the archive's articles, stories and facts -> a WeekDigest (each story counted once)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from extract.model import Fact
from extract.places import current_unit
from extract.text import fold
from ocop.digest.model import (STAR_LEVELS, AreaReport, ArticleRef, Citation, Figure, NewCount, Story, TotalsRow,
                               WeekDigest)
from ocop.digest.week import VIETNAM, IsoWeek

if TYPE_CHECKING:
    from storage import Archive


@dataclass(frozen=True)
class ArchivedArticle:
    """An article of the week as the digest needs it: its reference, its story (cluster) and its facts."""

    ref: ArticleRef
    story: object
    facts: tuple[Fact, ...]


# A slot is what one figure speaks about. A story speaks once per slot: its first figure there (title and lead come
# first) is counted; the same value again adds a citation; another value is shown among "other figures", not counted.
Slot = tuple
FigureKey = tuple  # (slot, value)
AreaKey = tuple[str | None, bool]


def _slot(fact: Fact, week: IsoWeek) -> Slot:
    dated_earlier = fact.year is not None and fact.year < week.monday.year
    return (fact.kind, fact.province, fact.nationwide, fact.district, fact.status, fact.scope, fact.stars,
            fact.product if fact.kind == "product_rating" else None, dated_earlier)


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
                  nationwide=fact.nationwide, district=fact.district)


def _published(ref: ArticleRef) -> datetime:
    return ref.published_at or datetime.min.replace(tzinfo=VIETNAM)


Reports = dict  # FigureKey -> (Fact, [Citation, ...]), in the order first seen


def _add(reports: Reports, key: FigureKey, fact: Fact, citations: list[Citation]) -> None:
    """Record a figure, or add citations from other articles to the same figure."""
    if key not in reports:
        reports[key] = (fact, [])
    known = reports[key][1]
    known.extend(citation for citation in citations if all(citation.article != seen.article for seen in known))


def _story_facts(members: list[ArchivedArticle], week: IsoWeek) -> tuple[Reports, Reports]:
    """The figures of one story (members earliest first): those counted (one per slot) and the other values."""
    counted: Reports = {}
    others: Reports = {}
    counted_value: dict[Slot, int | None] = {}
    for member in members:
        for fact in member.facts:
            slot, value = _slot(fact, week), _value(fact)
            citation = [Citation(member.ref, fact.sentence)]
            counted_value.setdefault(slot, value)
            _add(counted if counted_value[slot] == value else others, (slot, value), fact, citation)
    return counted, others


def _combined_qualifier(figures: Iterable[Figure]) -> str | None:
    """The qualifier of a sum: exact when every part is, the shared qualifier when they agree, else 'about'."""
    qualifiers = {figure.qualifier for figure in figures} - {None}
    if not qualifiers:
        return None
    return qualifiers.pop() if len(qualifiers) == 1 else "about"


def _area_report(key: AreaKey, counted: list[Figure], others: list[Figure], week_totals: list[Figure],
                 week: IsoWeek) -> AreaReport:
    """What the week said about one place. Only province-wide figures count; a district's or commune's figures are
    a part of the province and listed apart; additions dated to an earlier year are history, not this week's news."""
    province, nationwide = key
    figures = [figure for figure in counted if figure.district is None]

    def pick(kind: str, status: str | None = None, scope: object = ...) -> list[Figure]:
        return [figure for figure in figures if figure.kind == kind
                and (status is None or figure.status == status) and (scope is ... or figure.scope == scope)]

    new_counts = []
    additions = pick("product_count", "achieved", "new")
    earlier = [figure for figure in additions if figure.year is not None and figure.year < week.monday.year]
    new_figures = [figure for figure in additions if figure not in earlier]
    for stars in (None, *STAR_LEVELS):
        parts = [figure for figure in new_figures if figure.stars == stars]
        if parts:
            new_counts.append(NewCount(stars=stars, total=sum(figure.value or 0 for figure in parts),
                                       qualifier=_combined_qualifier(parts), figures=tuple(parts)))
    current = next((figure.province_current for figure in [*counted, *others, *week_totals]
                    if figure.province_current), None)
    return AreaReport(
        province=province, province_current=current, nationwide=nationwide,
        new_products=tuple(new_counts), earlier_new=tuple(earlier),
        latest_total=next((figure for figure in week_totals if figure.stars is None), None),
        totals_by_star=tuple(sorted((figure for figure in week_totals if figure.stars is not None),
                                    key=lambda figure: figure.stars)),
        targets=tuple(pick("product_count", "target")), candidates=tuple(pick("product_count", "candidate")),
        unscoped=tuple(pick("product_count", "achieved", None)),
        subjects=tuple(pick("subject_count")), ratings=tuple(pick("product_rating")),
        local=tuple(figure for figure in [*counted, *others] if figure.district is not None),
        others=tuple(figure for figure in others if figure.district is None),
    )


def _area_key(figure: Figure) -> AreaKey:
    return (None if figure.nationwide else figure.province, figure.nationwide)


def _totals_table(latest_totals: Iterable[Figure], week: IsoWeek) -> tuple[TotalsRow, ...]:
    """One row per province as reported: its latest achieved totals (picked by the archive, never summed)."""
    by_area: dict[AreaKey, list[Figure]] = defaultdict(list)
    for figure in latest_totals:
        by_area[_area_key(figure)].append(figure)
    rows = []
    for (province, nationwide), figures in by_area.items():
        rows.append(TotalsRow(
            province=province, nationwide=nationwide,
            province_current=next((figure.province_current for figure in figures if figure.province_current), None),
            total=next((figure for figure in figures if figure.stars is None), None),
            by_star=tuple(sorted((figure for figure in figures if figure.stars is not None),
                                 key=lambda figure: figure.stars)),
            reported_this_week=any(week.start <= _published(figure.citation.article) < week.end for figure in figures)))
    return tuple(sorted(rows, key=lambda row: (not row.nationwide, fold(row.province_current or row.province or ""),
                                               fold(row.province or ""))))


def summarize(week: IsoWeek, articles: Iterable[ArchivedArticle], week_totals: Iterable[Figure],
              latest_totals: Iterable[Figure], generated_at: datetime) -> WeekDigest:
    """The digest of a week from its articles (story keys and facts), the latest achieved totals reported within the
    week and the latest achieved totals reported up to its end (both one figure per province and star level)."""
    articles = list(articles)
    stories_members: dict[object, list[ArchivedArticle]] = defaultdict(list)
    for article in articles:
        stories_members[article.story].append(article)

    def earliest_first(member: ArchivedArticle) -> tuple:
        return (_published(member.ref), member.ref.url)

    for members in stories_members.values():
        members.sort(key=earliest_first)
    stories, week_counted, week_others, story_others = [], {}, {}, []
    for members in sorted(stories_members.values(), key=lambda members: earliest_first(members[0])):
        counted, others = _story_facts(members, week)
        stories.append(Story(article=members[0].ref, also=tuple(member.ref for member in members[1:]),
                             fact_count=len(counted) + len(others)))
        for key, (fact, citations) in counted.items():  # the same value in the same slot in two stories: one report
            _add(week_counted, key, fact, citations)
        story_others.append(others)
    for others in story_others:  # a value another story counted is that report again
        for key, (fact, citations) in others.items():
            _add(week_counted if key in week_counted else week_others, key, fact, citations)

    by_area: dict[AreaKey, tuple[list[Figure], list[Figure]]] = defaultdict(lambda: ([], []))
    budgets = []
    for reports, position in ((week_counted, 0), (week_others, 1)):
        for fact, citations in reports.values():
            figure = _figure(fact, citations)
            if fact.kind == "budget":
                budgets.append(figure)
            else:
                by_area[_area_key(figure)][position].append(figure)
    totals_by_area: dict[AreaKey, list[Figure]] = defaultdict(list)
    for figure in week_totals:
        totals_by_area[_area_key(figure)].append(figure)

    reports = {key: _area_report(key, *by_area.get(key, ([], [])), totals_by_area.get(key, []), week)
               for key in by_area.keys() | totals_by_area.keys()}
    nationwide = next((report for (_, is_nationwide), report in reports.items() if is_nationwide), None)
    unplaced = reports.get((None, False))
    areas = sorted((report for (province, _), report in reports.items() if province is not None),
                   key=lambda report: (-report.new_products_count, fold(report.province)))
    budgets.sort(key=lambda figure: (not figure.nationwide, fold(figure.province or ""), -(figure.value or 0)))
    return WeekDigest(week=week, generated_at=generated_at, stories=tuple(stories), areas=tuple(areas),
                      nationwide=nationwide, unplaced=unplaced, latest_totals=_totals_table(latest_totals, week),
                      article_count=len(articles), fact_count=len(week_counted) + len(week_others),
                      budgets=tuple(budgets))


def _current_unit(row: dict) -> str | None:
    """The post-2025 unit of a row's province: as stored, else from the gazetteer (rows stored before it was known)."""
    return row["province_current"] or (current_unit(row["province"]) if row["province"] else None)


def fact_from_row(row: dict) -> Fact:
    """A fact row of the archive (archive.facts) as the extractor's Fact."""
    return Fact(kind=row["kind"], sentence=row["sentence"], span=tuple(row["span"]), count=row["count"],
                stars=row["stars"], status=row["status"], scope=row["scope"], qualifier=row["qualifier"],
                province=row["province"], province_current=_current_unit(row), nationwide=row["nationwide"],
                district=row["district"], year=row["year"], product=row["product"], amount_vnd=row["amount_vnd"])


def reference(row: dict) -> ArticleRef:
    """The article of an archive row (an article, fact or headline row) as the digest cites it."""
    return ArticleRef(title=row["title"] or row["url"], url=row["url"], published_at=row["published_at"],
                      source=row["source"])


def headline_figure(row: dict) -> Figure:
    """A row of archive.headline (the latest achieved total of a province at a star level) as a cited figure."""
    return Figure(kind="product_count", value=row["count"], citations=(Citation(reference(row), row["sentence"]),),
                  stars=row["stars"], status="achieved", scope="total", qualifier=row["qualifier"], year=row["year"],
                  province=row["province"], province_current=_current_unit(row), nationwide=row["nationwide"])


def gather(archive: Archive, week: IsoWeek, generated_at: datetime | None = None) -> WeekDigest:
    """Read one week from the archive (articles reported Monday to Sunday, Vietnamese time) and summarize it."""
    first_day, last_day = week.monday, week.sunday
    facts_by_article: dict[int, list[dict]] = defaultdict(list)
    for row in archive.facts(since=first_day, until=last_day):
        facts_by_article[row["article_id"]].append(row)
    articles = [
        ArchivedArticle(
            ref=reference(row),
            story=("cluster", row["cluster_id"]) if row["cluster_id"] is not None else ("article", row["article_id"]),
            facts=tuple(fact_from_row(fact) for fact in sorted(facts_by_article[row["article_id"]],
                                                               key=lambda fact: fact["fact_id"])))
        for row in archive.articles(since=first_day, until=last_day)
    ]
    week_totals = [headline_figure(row) for row in archive.headline(since=first_day, until=last_day)]
    latest_totals = [headline_figure(row) for row in archive.headline(until=last_day)]
    return summarize(week, articles, week_totals, latest_totals, generated_at or datetime.now(VIETNAM))
