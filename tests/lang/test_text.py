"""Vietnamese normalisation and accent folding (extract.text)."""

import unicodedata

import pytest

from extract.text import fold, fold_keep_offsets, normalize


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Hoà Bình", "Hòa Bình"),
        ("thuý", "thúy"),
        ("luỹ kế", "lũy kế"),
        ("hoạ sĩ", "họa sĩ"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("tuỳ theo", "tùy theo"),
        ("huỷ bỏ", "hủy bỏ"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("Hoà", "Hòa"),
    ],
)
def test_old_tone_placement_is_written_in_the_new_style(old_style, new_style):
    assert normalize(old_style) == new_style
    assert normalize(new_style) == new_style


@pytest.mark.parametrize("word", ["hoàng", "toán", "khuyến", "quý", "Quỳnh", "huỳnh", "ngoài", "quà", "thuở"])
def test_tone_placement_leaves_syllables_where_both_styles_agree(word):
    assert normalize(word) == word


def test_decomposed_input_is_composed():
    decomposed = unicodedata.normalize("NFD", "Cần Thơ có 92 sản phẩm")
    assert normalize(decomposed) == "Cần Thơ có 92 sản phẩm"


def test_html_entities_and_odd_spaces():
    assert normalize("C&#7847;n&nbsp;Th&#417; &amp; H&agrave; N&#7897;i") == "Cần Thơ & Hà Nội"
    assert normalize("92\u00a0sản\u2009phẩm\u3000OCOP") == "92 sản phẩm OCOP"
    assert normalize("sản\u200bphẩm\ufeff OCOP\u200d") == "sảnphẩm OCOP"


def test_whitespace_runs_collapse_and_paragraphs_stay_apart():
    assert normalize("  Cần   Thơ \t có\r\n\r\n\n  92 sản phẩm  ") == "Cần Thơ có\n92 sản phẩm"
    assert normalize("Cần Thơ\u2028có 92\u2029sản phẩm") == "Cần Thơ\ncó 92\nsản phẩm"


def test_eth_look_alike_is_read_as_d_with_stroke():
    assert normalize("\u00d0ắk Lắk") == "Đắk Lắk"
    assert normalize("\u00f0ạt chuẩn") == "đạt chuẩn"


def test_normalize_accepts_non_strings_without_raising():
    assert normalize(None) == ""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cần Thơ", "can tho"),
        ("ĐẮK LẮK", "dak lak"),
        ("Đồng Tháp", "dong thap"),
        ("Thừa Thiên - Huế", "thua thien - hue"),
        ("Bà Rịa – Vũng Tàu", "ba ria – vung tau"),
        ("92 sản phẩm OCOP 5 sao", "92 san pham ocop 5 sao"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_removes_stray_combining_marks():
    assert fold(unicodedata.normalize("NFD", "Cần Thơ")) == "can tho"


def test_fold_keeps_offsets_of_normalized_text():
    sentence = normalize("Đến nay, TP. Cần Thơ có 92 sản phẩm đạt chuẩn OCOP.")
    folded = fold(sentence)
    assert len(folded) == len(sentence)
    start = folded.index("can tho")
    assert sentence[start:start + len("can tho")] == "Cần Thơ"


def test_fold_keep_offsets_never_changes_length():
    decomposed = unicodedata.normalize("NFD", "Cần Thơ")
    assert len(fold_keep_offsets(decomposed)) == len(decomposed)
    assert fold_keep_offsets("Sóc Trăng") == "soc trang"
