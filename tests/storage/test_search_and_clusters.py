"""Diacritic-insensitive search, and story clusters: exact copies and the same wire story on several sites."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import BadFilter, search
from tests.storage.pages import FETCHED_AT, FILLER, article, can_tho, dong_thap, page, soc_trang

WIRE_STORY = (
    "Sáng 15/5, Ủy ban nhân dân tỉnh Sóc Trăng tổ chức hội nghị tổng kết chương trình OCOP giai đoạn 2019 đến 2024 "
    "và trao giấy chứng nhận cho các chủ thể có sản phẩm đạt chuẩn. Theo báo cáo của Sở Nông nghiệp, toàn tỉnh hiện "
    "có 143 sản phẩm OCOP của 89 chủ thể, trong đó có 21 sản phẩm đạt 4 sao và 122 sản phẩm đạt 3 sao. Nhiều sản "
    "phẩm như bánh pía, lạp xưởng, gạo ST25 và mật ong hoa tràm đã có mặt trong hệ thống siêu thị lớn ở Thành phố Hồ "
    "Chí Minh và Hà Nội. Phát biểu tại hội nghị, lãnh đạo tỉnh đề nghị các địa phương tiếp tục rà soát sản phẩm "
    "tiềm năng, hỗ trợ chủ thể hoàn thiện hồ sơ, nâng cấp bao bì, nhãn mác và tham gia sàn thương mại điện tử. "
    "Tỉnh phấn đấu đến năm 2025 có thêm 30 sản phẩm đạt chuẩn OCOP và ít nhất một sản phẩm đạt 5 sao quốc gia."
)
OTHER_STORY = (
    "Huyện Cầu Kè tổ chức ngày hội văn hóa thể thao các dân tộc với nhiều hoạt động sôi nổi như kéo co, đẩy gậy, "
    "đua ghe ngo và hội thi ẩm thực truyền thống. Ban tổ chức trao giải cho các đội đạt thành tích cao, đồng thời "
    "giới thiệu các món ăn đặc trưng của đồng bào Khmer tại địa phương, thu hút đông đảo người dân và du khách "
    "tham gia trong suốt ba ngày diễn ra sự kiện tại trung tâm văn hóa huyện."
)


@pytest.fixture
def filled(archive):
    for story in (can_tho(), soc_trang(), dong_thap()):
        archive.store_page(page(story.url), story, relevant=True)
    return archive


def titles(rows) -> set[str]:
    return {row["title"] for row in rows}


@pytest.mark.parametrize("query", ["Cần Thơ", "can tho", "CẦN THƠ", "cần   thơ!"])
def test_search_ignores_diacritics_case_and_punctuation(filled, query):
    assert titles(filled.search(query)) == {"Cần Thơ có 92 sản phẩm đạt chuẩn OCOP"}


@pytest.mark.parametrize("query", ["Đồng Tháp", "dong thap", "đồng tháp"])
def test_search_folds_the_d_stroke(filled, query):
    assert titles(filled.search(query)) == {"Đồng Tháp đặt mục tiêu phát triển sản phẩm OCOP"}


def test_search_is_a_phrase_search(filled):
    assert len(filled.search("san pham")) == 3
    assert len(filled.search("san pham OCOP")) == 2  # the Cần Thơ article says "sản phẩm đạt chuẩn OCOP"
    assert filled.search("tho can") == []
    assert titles(filled.search("143 san pham")) == {"Sóc Trăng có 143 sản phẩm OCOP"}


def _fish_sauce_stories(archive) -> list[str]:
    """Three articles saying "nước mắm", archived oldest first: the first says it three times, the others once."""
    sentences = {1: ["Nước mắm Phú Quốc đạt 4 sao.", "Làng nghề nước mắm mở rộng.", "Nước mắm xuất khẩu tăng."],
                 2: ["Nước mắm Nam Ô được công nhận.", "Hội chợ nông sản mở cửa.", "Du khách mua quà."],
                 3: ["Nước mắm Cửa Khe ra mắt.", "Hội chợ nông sản mở cửa.", "Du khách mua quà."]}
    titles = []
    for number, lines in sentences.items():
        story = article(f"https://baotest.vn/ocop-{number}.html", f"Đặc sản số {number}", lines,
                        published_at=FETCHED_AT - timedelta(days=10 - number))
        archive.store_page(page(story.url), story, relevant=True)
        titles.append(story.title)
    return titles


def test_search_ranks_by_how_often_an_article_says_the_phrase_then_newest(archive):
    three_times, once, once_newer = _fish_sauce_stories(archive)
    assert [row["title"] for row in archive.search("nuoc mam")] == [three_times, once_newer, once]
    assert [row["title"] for row in archive.search("nuoc mam", limit=1)] == [three_times]


def test_a_phrase_in_more_articles_than_the_cap_is_ranked_among_its_newest_matches(archive, monkeypatch):
    _, once, once_newer = _fish_sauce_stories(archive)
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 2)
    assert [row["title"] for row in archive.search("nuoc mam")] == [once_newer, once]
    assert len(archive.search("phu quoc")) == 1  # rarer than the cap: found wherever it is


@pytest.mark.parametrize("query", ["", "   ", "!!!", "x" * 501])
def test_a_query_without_words_is_refused(filled, query):
    with pytest.raises(BadFilter):
        filled.search(query)


def test_an_exact_copy_on_another_site_joins_the_story(archive):
    story = can_tho()
    copy = can_tho(url="https://baocantho.vn/ocop-92.html")
    first = archive.store_page(page(story.url), story, relevant=True)
    second = archive.store_page(page(copy.url, source="baocantho"), copy, relevant=True)
    assert first.article_id != second.article_id and first.cluster_id == second.cluster_id


def test_the_same_wire_story_with_its_own_intro_joins_the_story_and_another_story_does_not(archive):
    wire = article("https://ttxvn.vn/soc-trang-ocop.html", "Sóc Trăng tổng kết OCOP", [], filler=WIRE_STORY)
    rewritten = article("https://baosoctrang.vn/tong-ket-ocop.html", "Sóc Trăng: 143 sản phẩm OCOP",
                        ["(Báo Sóc Trăng) Tin từ Thông tấn xã Việt Nam."],
                        filler=WIRE_STORY.replace("Sáng 15/5", "Sáng ngày 15/5").replace("Nhiều sản phẩm", "Các sản phẩm"))
    other = article("https://baotravinh.vn/cau-ke-ngay-hoi.html", "Cầu Kè tổ chức ngày hội", [], filler=OTHER_STORY)
    outcomes = [archive.store_page(page(story.url), story, relevant=True) for story in (wire, rewritten, other)]
    assert outcomes[0].cluster_id == outcomes[1].cluster_id
    assert outcomes[2].cluster_id != outcomes[0].cluster_id


def test_a_changed_article_leaves_its_old_story(archive):
    wire = article("https://ttxvn.vn/soc-trang-ocop.html", "Sóc Trăng tổng kết OCOP", [], filler=WIRE_STORY)
    copy = article("https://baosoctrang.vn/tong-ket-ocop.html", "Sóc Trăng tổng kết OCOP", [], filler=WIRE_STORY)
    first = archive.store_page(page(wire.url), wire, relevant=True)
    archive.store_page(page(copy.url), copy, relevant=True)
    replaced = article(copy.url, "Cầu Kè tổ chức ngày hội", [], filler=OTHER_STORY)
    moved = archive.store_page(page(copy.url, "<html>v2</html>"), replaced, relevant=True)
    assert moved.version == 2 and moved.cluster_id != first.cluster_id
    assert len(archive.articles(one_per_story=True)) == 2


def test_short_texts_are_not_called_near_duplicates(archive):
    one = article("https://a.vn/1.html", "Tin ngắn", ["Cần Thơ có 92 sản phẩm OCOP."], filler="")
    two = article("https://b.vn/2.html", "Tin ngắn", ["Cần Thơ có 93 sản phẩm OCOP."], filler="")
    outcomes = [archive.store_page(page(story.url), story, relevant=True) for story in (one, two)]
    assert outcomes[0].cluster_id != outcomes[1].cluster_id
    assert FILLER  # the other tests' articles carry a long common filler and still differ in their stories


def test_the_snippet_shows_the_match_in_the_article_s_own_spelling(filled):
    [row] = filled.search("dat chuan ocop, trong do")
    assert "[đạt chuẩn OCOP, trong đó]" in row["snippet"]
