"""The week's summary: stories counted once, new certifications summed over distinct reports, totals picked not summed."""

import pytest

from ocop.digest.gather import summarize
from ocop.digest.week import parse_week
from tests.digest.sample_week import ARTICLES, WEEK, at, sample_digest


@pytest.fixture(scope="module")
def digest():
    return sample_digest()


def area(digest, province):
    return next(report for report in digest.areas if report.province == province)


def test_a_story_carried_by_two_sites_counts_once(digest):
    assert digest.article_count == 5 and len(digest.stories) == 4
    story = next(story for story in digest.stories if story.also)
    assert story.article.source == "baox" and [ref.source for ref in story.also] == ["baoy"]
    all_levels = area(digest, "Sóc Trăng").new_by_stars[None]
    assert all_levels.total == 36  # not 72
    assert [citation.article.source for citation in all_levels.figures[0].citations] == ["baox", "baoy"]


def test_new_certifications_add_up_over_distinct_stories(digest):
    soc_trang = area(digest, "Sóc Trăng")
    by_stars = {stars: count.total for stars, count in soc_trang.new_by_stars.items()}
    assert by_stars == {None: 36, 3: 20, 4: 21}  # 16 + 5 from the later story
    assert soc_trang.new_products_count == 41
    assert soc_trang.province_current == "Cần Thơ"


def test_the_same_figure_in_two_stories_is_one_report(digest):
    # Sóc Trăng 5 + Thái Nguyên 3 + nationwide 2 + the later Sóc Trăng story 1 (its 250 repeats the first story's)
    assert digest.fact_count == 11
    assert area(digest, "Sóc Trăng").latest_total.value == 250
    assert sum(story.fact_count for story in digest.stories) == 12


def test_provinces_are_ordered_by_new_certifications(digest):
    assert [report.province for report in digest.areas] == ["Sóc Trăng", "Thái Nguyên"]
    thai_nguyen = area(digest, "Thái Nguyên")
    assert [figure.product for figure in thai_nguyen.ratings] == ["Trà Tân Cương"]
    assert [figure.value for figure in thai_nguyen.targets] == [500]


def test_nationwide_figures_and_budgets(digest):
    assert digest.nationwide.latest_total.value == 18243
    assert [(figure.value, figure.stars) for figure in digest.nationwide.candidates] == [(15, 5)]
    assert [(figure.province, figure.value) for figure in digest.budgets] == [("Sóc Trăng", 3_800_000_000)]


def test_latest_totals_table_picks_per_province_and_never_sums(digest):
    rows = {(row.province, row.nationwide): row for row in digest.latest_totals}
    assert rows[(None, True)].total.value == 18243
    assert rows[("Sóc Trăng", False)].total.value == 250 and rows[("Sóc Trăng", False)].reported_this_week
    can_tho = rows[("Cần Thơ", False)]
    assert can_tho.total.value == 92 and not can_tho.reported_this_week  # reported on 3 November
    assert list(rows)[0] == (None, True)  # the country first


def test_articles_outside_the_week_are_left_out(digest):
    urls = {story.article.url for story in digest.stories} | {ref.url for story in digest.stories for ref in story.also}
    assert not any("40-san-pham" in url or "can-tho-92" in url for url in urls)


def test_a_story_speaks_once_per_slot_even_when_its_copies_disagree():
    """Two copies of one story with different figures for the same thing: the earlier copy's figure stands."""
    from dataclasses import replace

    from tests.digest.sample_week import archived, in_week
    first, second = archived(in_week(ARTICLES))[:2]
    changed = tuple(replace(item, count=37) if item.count == 36 else item for item in second.facts)
    digest = summarize(parse_week(WEEK), [first, replace(second, facts=changed)], [], [], generated_at=at(23))
    soc_trang = digest.areas[0]
    assert soc_trang.new_by_stars[None].total == 36
    assert [(figure.value, figure.citation.article.source) for figure in soc_trang.others] == [(37, "baoy")]


def test_within_one_story_the_first_figure_of_a_slot_counts_and_parts_of_the_province_are_apart():
    """Title and body repeat the figure (one with its year), a later heading is misread, a commune's share is a part."""
    from ocop.digest.gather import ArchivedArticle
    from ocop.digest.model import ArticleRef
    from tests.digest.sample_week import fact
    title = "Gia Lai trao chứng nhận cho 45 sản phẩm OCOP đợt 2 năm 2026"
    body = "Đợt này, tỉnh công nhận 45 sản phẩm đạt chuẩn OCOP."
    commune = "Xã Đak Pơ có 4 sản phẩm được công nhận lần này."
    heading = "Hơn 600 sản phẩm sau hợp nhất"
    place = dict(province="Gia Lai", status="achieved", scope="new")
    facts = (fact("product_count", title, "45", count=45, year=2026, **place),
             fact("product_count", body, "45", count=45, **place),
             fact("product_count", commune, "4", count=4, district="Đak Pơ", **place),
             fact("product_count", heading, "600", count=600, qualifier="over", **place))
    ref = ArticleRef(title, "https://baox.example/gia-lai.html", at(18), "baox")
    gia_lai = summarize(parse_week(WEEK), [ArchivedArticle(ref, 1, facts)], [], [], generated_at=at(23)).areas[0]
    assert gia_lai.new_by_stars[None].total == 45 and gia_lai.new_products_count == 45
    assert [(figure.value, figure.district) for figure in gia_lai.local] == [(4, "Đak Pơ")]
    assert [figure.value for figure in gia_lai.others] == [600]


def test_an_empty_week():
    digest = summarize(parse_week(WEEK), [], [], [], generated_at=at(23))
    assert digest.is_empty and not digest.areas and digest.nationwide is None and not digest.latest_totals


@pytest.mark.parametrize("qualifiers, combined", [((None, None), None), (("over", None), "over"),
                                                  (("over", "under"), "about"), (("about", "about"), "about")])
def test_the_sum_of_new_certifications_keeps_its_qualifier(qualifiers, combined):
    from ocop.digest.gather import ArchivedArticle
    from ocop.digest.model import ArticleRef
    from tests.digest.sample_week import fact
    articles = [
        ArchivedArticle(ArticleRef(f"Tin {number}", f"https://baox.example/{number}.html", at(17 + number), "baox"),
                        number, (fact("product_count", f"Hà Nội công nhận {count} sản phẩm 3 sao.", str(count),
                                      count=count, stars=3, status="achieved", scope="new", qualifier=qualifier,
                                      province="Hà Nội"),))
        for number, (count, qualifier) in enumerate(zip((20, 5), qualifiers))]
    new = summarize(parse_week(WEEK), articles, [], [], generated_at=at(23)).areas[0].new_by_stars[3]
    assert (new.total, new.qualifier) == (25, combined)


def test_additions_dated_to_an_earlier_year_are_not_this_weeks_certifications():
    from ocop.digest.gather import ArchivedArticle
    from ocop.digest.model import ArticleRef
    from tests.digest.sample_week import fact
    history = "Năm 2023, Hà Nội công nhận 45 sản phẩm OCOP 3 sao."
    today = "Đợt này, Hà Nội công nhận thêm 12 sản phẩm OCOP 3 sao."
    facts = (fact("product_count", history, "45", count=45, stars=3, status="achieved", scope="new", year=2023,
                  province="Hà Nội"),
             fact("product_count", today, "12", count=12, stars=3, status="achieved", scope="new", year=2026,
                  province="Hà Nội"))
    ref = ArticleRef("Hà Nội", "https://baox.example/ha-noi.html", at(18), "baox")
    hanoi = summarize(parse_week(WEEK), [ArchivedArticle(ref, 1, facts)], [], [], generated_at=at(23)).areas[0]
    assert hanoi.new_by_stars[3].total == 12
    assert [(figure.value, figure.year) for figure in hanoi.earlier_new] == [(45, 2023)]
