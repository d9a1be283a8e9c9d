"""Relevance: which articles are about OCOP, decided by the signals of extract/rules/relevance.toml."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.relevance import is_about_ocop, may_be_about_ocop, relevance_score
from ocop.sample.content import load_sites


@pytest.mark.parametrize("title, lead, text, expected", [
    ("Cần Thơ có 92 sản phẩm đạt chuẩn OCOP", None, "", True),
    ("Hội chợ nông sản cuối năm", "Chương trình OCOP của tỉnh được giới thiệu tại hội chợ.", "", True),
    ("Hội chợ nông sản", "", "Tỉnh có thêm 20 sản phẩm OCOP. Chương trình OCOP tiếp tục được triển khai.", True),
    ("Làng nghề vào mùa", "", "Phong trào Mỗi xã một sản phẩm giúp làng nghề có thêm đầu ra.", True),
    ("Giá xăng tăng", "Giá xăng dầu hôm nay", "Xăng tăng giá. Khách sạn 5 sao kín phòng dịp lễ.", False),
    ("Thời tiết nông vụ", "", "Mưa lớn ở Tây Nguyên. Sản phẩm cà phê được giá, có nơi lập mã OCOP.", False),
    ("Chợ phiên", "", "Nhiều sản phẩm đạt 4 sao được bày bán. Có sản phẩm đạt 3 sao.", False),
])
def test_signals_in_title_lead_and_body(title, lead, text, expected):
    assert is_about_ocop(title, lead, text) is expected


def test_the_word_ocop_inside_another_word_is_no_signal():
    assert relevance_score("OCOPX và MOCOP", None, "ocopvn") == 0


def test_the_sample_articles_are_judged_as_their_authors_labelled_them():
    """The offline sample's articles carry their author's about_ocop label (written for the sample, not here)."""
    wrong = [(site.name, article.title) for site in load_sites() for article in site.articles
             if is_about_ocop(article.title, article.lead, article.text()) != article.about_ocop]
    assert not wrong


@given(st.text(max_size=300))
def test_never_raises_and_the_cheap_filter_never_drops_a_relevant_text(text):
    if is_about_ocop(text, text, text):
        assert may_be_about_ocop(text)
    assert is_about_ocop(None, None, None) is False
