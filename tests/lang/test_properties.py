"""Properties of the language layer over arbitrary input: it never raises, and offsets stay true."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.encoding import decode_page
from extract.places import find_communes, find_districts, find_provinces, resolve_province
from extract.text import fold, fold_keep_offsets, normalize

VIETNAMESE_WORDS = [
    "Cần", "Thơ", "tỉnh", "huyện", "Cầu", "Kè", "TP.", "HCM", "Hoà", "Bình", "Đắk", "Lắk", "sản", "phẩm",
    "OCOP", "92", "sao", "Bà", "Rịa", "-", "Vũng", "Tàu", "Thị", "Huế", "quận", "Ninh", "Kiều", ",", ".", "xã",
    "Phường", "3", "Đồng", "Lương",
]
vietnamese_text = st.lists(st.sampled_from(VIETNAMESE_WORDS), max_size=30).map(" ".join)
any_text = st.one_of(st.text(), vietnamese_text)


@given(any_text)
def test_normalize_never_raises_and_is_idempotent(text):
    normalized = normalize(text)
    assert normalize(normalized) == normalized


@given(any_text)
def test_fold_never_raises_and_keeps_the_length_of_nfc_text(text):
    normalized = unicodedata.normalize("NFC", text)
    assert isinstance(fold(text), str)
    if not any(unicodedata.combining(char) for char in normalized):
        assert len(fold(normalized)) == len(normalized)


@given(any_text)
def test_fold_keep_offsets_preserves_length(text):
    assert len(fold_keep_offsets(text)) == len(text)


CHARSETS = ["utf-8", "utf-16", "utf-32", "windows-1258", "iso-8859-1", "tcvn", "x-user-defined", "ascii", "bogus"]
content_types = st.one_of(
    st.none(), st.text(max_size=40), st.sampled_from(CHARSETS).map(lambda charset: f"text/html; charset={charset}")
)
legacy_like_bytes = st.lists(st.sampled_from([b"C\xc7n", b"Th\xac ", b"ca\xf8", b" ", b"\xef\xbb\xbf", b"<meta charset=utf-16>"]),
                             max_size=40).map(b"".join)


@settings(max_examples=200)
@given(st.one_of(st.binary(max_size=2048), legacy_like_bytes), content_types)
def test_decode_page_never_raises_on_random_bytes(body, content_type):
    assert isinstance(decode_page(body, content_type), str)


@settings(deadline=None)  # the first call builds the commune index (a few hundred ms)
@given(any_text)
def test_finders_never_raise_and_spans_point_at_the_name(text):
    sentence = normalize(text)
    for mention in find_provinces(sentence):
        written = sentence[mention.start:mention.end]
        assert resolve_province(written).name == mention.province.name
    for mention in find_districts(sentence) + find_communes(sentence):
        assert 0 <= mention.start < mention.end <= len(sentence)
        assert mention.province is None or mention.province in mention.candidates


@given(st.text())
def test_resolve_province_never_raises(text):
    resolve_province(text)
