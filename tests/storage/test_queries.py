"""Researchers' queries: province by old or new name with or without diacritics, the other filters, the headline view."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from storage import BadFilter
from tests.storage.pages import (
    CAN_THO_FACTS,
    FETCHED_AT,
    article,
    can_tho,
    dong_thap,
    fact,
    page,
    soc_trang,
)


@pytest.fixture
def filled(archive):
    for story, source in ((can_tho(), "langngheviet"), (soc_trang(), "baosoctrang"), (dong_thap(), "baodongthap")):
        archive.store_page(page(story.url, source=source), story, relevant=True)
    return archive


def provinces_of(rows) -> set[str]:
    return {row["province"] for row in rows}


@pytest.mark.parametrize("query", ["Cần Thơ", "can tho", "CAN THO", "TP. Cần Thơ", "thành phố Cần Thơ"])
def test_a_current_province_matches_itself_and_the_old_units_merged_into_it(filled, query):
    assert provinces_of(filled.facts(province=query)) == {"Cần Thơ", "Sóc Trăng"}


@pytest.mark.parametrize("query", ["Sóc Trăng", "soc trang"])
def test_an_old_province_matches_only_itself(filled, query):
    assert provinces_of(filled.facts(province=query)) == {"Sóc Trăng"}


def test_dong_thap_with_and_without_the_d_stroke(filled):
    assert provinces_of(filled.facts(province="Đồng Tháp")) == provinces_of(filled.facts(province="dong thap")) \
        == {"Đồng Tháp"}


def test_stars_kind_status_source_and_dates(filled):
    assert {row["count"] for row in filled.facts(stars=4)} == {10, 21}
    assert {row["count"] for row in filled.facts(province="Cần Thơ", stars=4)} == {10, 21}
    assert {row["count"] for row in filled.facts(status="target")} == {50}
    assert {row["count"] for row in filled.facts(kind="product_count", status="achieved", source="baosoctrang")} \
        == {143, 21}
    recent = (FETCHED_AT - timedelta(days=2)).date()
    assert provinces_of(filled.facts(since=recent)) == {"Cần Thơ", "Đồng Tháp"}
    assert provinces_of(filled.facts(until=recent)) == {"Sóc Trăng"}
    assert provinces_of(filled.facts(since=str(recent), until=str(recent + timedelta(days=5)))) \
        == {"Cần Thơ", "Đồng Tháp"}
    assert len(filled.facts(limit=2)) == 2


def test_articles_filter_by_their_facts(filled):
    rows = filled.articles(province="can tho", stars=4)
    assert sorted(row["title"] for row in rows) == ["Cần Thơ có 92 sản phẩm đạt chuẩn OCOP",
                                                     "Sóc Trăng có 143 sản phẩm OCOP"]
    assert {row["facts"] for row in rows} == {2}
    assert [row["source"] for row in filled.articles(source="baodongthap")] == ["baodongthap"]
    assert len(filled.articles()) == 3


@pytest.mark.parametrize("filters, message", [
    ({"stars": 7}, "stars"), ({"stars": "bốn"}, "stars"), ({"kind": "hectares"}, "kind"),
    ({"status": "done"}, "status"), ({"since": "2025-13-01"}, "since"), ({"until": "yesterday"}, "until"),
    ({"province": "Narnia"}, "province"), ({"limit": -1}, "limit"),
])
def test_bad_filter_values_are_refused(filled, filters, message):
    with pytest.raises(BadFilter, match=message):
        filled.facts(**filters)


def test_the_headline_picks_the_latest_achieved_total_and_never_adds(archive):
    old_url, new_url = "https://baocantho.vn/ocop-2024.html", "https://baocantho.vn/ocop-2025.html"
    old_sentence = "Năm 2024, Cần Thơ có 80 sản phẩm OCOP."
    old = article(old_url, "Cần Thơ tổng kết OCOP 2024", [old_sentence],
                  (fact(old_sentence, "80", kind="product_count", count=80, status="achieved", scope="total",
                        province="Cần Thơ", province_current="Cần Thơ", year=2024),),
                  published_at=FETCHED_AT - timedelta(days=200))
    new_sentences = ["Thành phố Cần Thơ vừa công nhận thêm 12 sản phẩm OCOP.",
                     "Năm 2023, thành phố có 70 sản phẩm OCOP.",
                     "Mục tiêu năm 2026, Cần Thơ có 120 sản phẩm OCOP."]
    new = article(new_url, "Cần Thơ có thêm 12 sản phẩm OCOP", new_sentences, (
        fact(new_sentences[0], "12", kind="product_count", count=12, status="achieved", scope="new",
             province="Cần Thơ", province_current="Cần Thơ"),
        fact(new_sentences[1], "70", kind="product_count", count=70, status="achieved", scope="total",
             province="Cần Thơ", province_current="Cần Thơ", year=2023),
        fact(new_sentences[2], "120", kind="product_count", count=120, status="target", scope="total",
             province="Cần Thơ", province_current="Cần Thơ", year=2026),
    ), published_at=FETCHED_AT - timedelta(days=10))
    latest = can_tho()  # 92 in total and 10 at 4 stars, published a day before FETCHED_AT
    soc = soc_trang()
    for story in (old, new, latest, soc):
        archive.store_page(page(story.url), story, relevant=True)
    rows = {(row["province"], row["stars"]): row for row in archive.headline()}
    assert {key: row["count"] for key, row in rows.items()} == {
        ("Cần Thơ", None): 92, ("Cần Thơ", 4): 10, ("Sóc Trăng", None): 143, ("Sóc Trăng", 4): 21}
    assert rows[("Cần Thơ", None)]["url"] == latest.canonical_url
    assert rows[("Cần Thơ", None)]["sentence"] == CAN_THO_FACTS[0].sentence
    # As of a date before the latest article, the 2024 total is the latest: a 2023 figure reported later is older.
    before_latest = (FETCHED_AT - timedelta(days=5)).date()
    assert {row["count"] for row in archive.headline(province="can tho", until=before_latest)
            if row["stars"] is None} == {80, 143}
    assert [row["count"] for row in archive.headline(province="Sóc Trăng", stars=4)] == [21]


def test_one_per_story_counts_a_republished_story_once(archive):
    story = can_tho()
    copy = replace(story, url="https://baocantho.vn/can-tho-92.html", canonical_url="https://baocantho.vn/can-tho-92.html")
    archive.store_page(page(story.url), story, relevant=True)
    archive.store_page(page(copy.url, source="baocantho"), copy, relevant=True)
    assert len(archive.facts()) == 4
    assert len(archive.facts(one_per_story=True)) == 2
    assert len(archive.articles(one_per_story=True)) == 1


def test_dates_are_shown_in_vietnamese_time(filled):
    [row] = filled.facts(province="Đồng Tháp")
    assert row["published_at"].utcoffset() == timedelta(hours=7)
    assert row["published_at"] == dong_thap().published_at
    assert filled.facts(since=date(2030, 1, 1)) == []


def test_articles_with_many_matching_facts_are_each_listed_once_newest_first(archive):
    sentence = "Cần Thơ có 92 sản phẩm OCOP."
    many = tuple(fact(sentence, "92", kind="product_count", count=92, status="achieved", scope="total",
                      province="Cần Thơ", province_current="Cần Thơ") for _ in range(10))
    for day in range(3):
        story = article(f"https://baocantho.vn/ocop-{day}.html", f"Bài {day}", [sentence], many,
                        published_at=FETCHED_AT - timedelta(days=day))
        archive.store_page(page(story.url), story, relevant=True)
    assert [row["title"] for row in archive.articles(province="Cần Thơ", limit=2)] == ["Bài 0", "Bài 1"]
    assert [row["title"] for row in archive.articles(province="Cần Thơ", stars=None, limit=5)] == \
        ["Bài 0", "Bài 1", "Bài 2"]
    assert [row["facts"] for row in archive.articles(source="langngheviet")] == [10, 10, 10]
