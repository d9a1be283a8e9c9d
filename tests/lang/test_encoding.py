"""Page bytes to Unicode (extract.encoding), legacy Vietnamese encodings included.

The legacy fixtures are written by hand for this project: the same sentence in TCVN3 (ABC) and in VNI,
as the Latin-1 characters those font encodings store, and in windows-1258 (base letters plus combining
tone marks).
"""

import sys
import unicodedata

import pytest

from extract.encoding import decode_page, encode_legacy

SENTENCE = "Cần Thơ có 92 sản phẩm đạt chuẩn OCOP, trong đó có 2 sản phẩm 4 sao của huyện Phong Điền."
# TCVN3: ầ=Ç, ơ=¬, ó=ã, ả=¶, ẩ=È, đ=®, ạ=¹, Đ=§, ề=Ò, ệ=Ö, ủ=ñ
SENTENCE_TCVN3 = "CÇn Th¬ cã 92 s¶n phÈm ®¹t chuÈn OCOP, trong ®ã cã 2 s¶n phÈm 4 sao cña huyÖn Phong §iÒn."
# VNI: base letter + mark (à after a = ầ, ù = acute, û = hook, å = hook on a circumflex, ï = dot ...)
SENTENCE_VNI = "Caàn Thô coù 92 saûn phaåm ñaït chuaån OCOP, trong ñoù coù 2 saûn phaåm 4 sao cuûa huyeän Phong Ñieàn."


def page(body: bytes, head: bytes = b"") -> bytes:
    return b"<html><head>" + head + b"<title>OCOP</title></head><body><p>" + body + b"</p></body></html>"


def body_of(text: str) -> str:
    return text.split("<p>", 1)[1].split("</p>", 1)[0]


def test_encode_legacy_writes_the_hand_made_fixtures():
    assert encode_legacy(SENTENCE, "tcvn3") == SENTENCE_TCVN3.encode("latin-1")
    assert encode_legacy(SENTENCE, "vni") == SENTENCE_VNI.encode("latin-1")
    # windows-1258 has "ơ" and "ó" but no "ầ": that is "â" followed by the combining grave accent
    assert encode_legacy("Cần Thơ có", "windows-1258").decode("cp1258") == "C\u00e2\u0300n Th\u01a1 c\u00f3"


def test_encode_legacy_refuses_an_unknown_encoding():
    with pytest.raises(ValueError):
        encode_legacy("Cần Thơ", "viscii")


def test_utf8_with_and_without_declaration():
    assert body_of(decode_page(page(SENTENCE.encode()), "text/html; charset=utf-8")) == SENTENCE
    assert body_of(decode_page(page(SENTENCE.encode()))) == SENTENCE


def test_byte_order_marks():
    assert body_of(decode_page(b"\xef\xbb\xbf" + page(SENTENCE.encode()))) == SENTENCE
    assert body_of(decode_page(page(SENTENCE.encode()).decode().encode("utf-16"))) == SENTENCE


def test_a_content_type_in_bytes_as_scrapy_gives_it():
    assert body_of(decode_page(page(encode_legacy(SENTENCE, "windows-1258")), b"text/html; charset=windows-1258")) == SENTENCE


def test_the_http_charset_counts_over_the_meta_charset():
    body = page(encode_legacy(SENTENCE, "windows-1258"), b'<meta charset="utf-8">')
    assert body_of(decode_page(body, "text/html; charset=windows-1258")) == SENTENCE


def test_windows_1258_declared_in_meta_comes_out_composed():
    for head in (b'<meta charset="windows-1258">',
                 b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'):
        text = body_of(decode_page(page(encode_legacy(SENTENCE, "windows-1258"), head)))
        assert text == SENTENCE
        assert unicodedata.is_normalized("NFC", text)


def test_windows_1258_declared_in_an_xml_declaration():
    feed = b'<?xml version="1.0" encoding="windows-1258"?><rss><title>' + encode_legacy(SENTENCE, "windows-1258") + b"</title></rss>"
    assert SENTENCE in decode_page(feed, "application/rss+xml")


@pytest.mark.parametrize("content_type", [None, "text/html; charset=iso-8859-1", "text/html"])
def test_windows_1258_undeclared_or_declared_as_latin_1_is_recognised(content_type):
    assert body_of(decode_page(page(encode_legacy(SENTENCE, "windows-1258")), content_type)) == SENTENCE


@pytest.mark.parametrize("content_type", [None, "text/html; charset=iso-8859-1", "text/html; charset=windows-1252"])
def test_tcvn3_is_recognised_and_converted(content_type):
    assert body_of(decode_page(page(SENTENCE_TCVN3.encode("latin-1")), content_type)) == SENTENCE


@pytest.mark.parametrize("content_type", [None, "text/html; charset=iso-8859-1"])
def test_vni_is_recognised_and_converted(content_type):
    assert body_of(decode_page(page(SENTENCE_VNI.encode("latin-1")), content_type)) == SENTENCE


@pytest.mark.parametrize(
    "legacy",
    [
        "CÇn Th¬ cã 92 s¶n phÈm ®¹t chøng nhËn OCOP.",  # TCVN3
        "Caàn Thô coù 92 saûn phaåm ñaït chöùng nhaän OCOP.",  # VNI
    ],
)
def test_a_short_undeclared_legacy_text_is_converted(legacy):
    assert decode_page(legacy.encode("latin-1")) == "Cần Thơ có 92 sản phẩm đạt chứng nhận OCOP."


def test_vni_text_inside_a_utf8_page_is_converted():
    assert body_of(decode_page(page(SENTENCE_VNI.encode("utf-8")), "text/html; charset=utf-8")) == SENTENCE


def test_vni_upper_case():
    # Ệ = EÄ, Đ = Ñ, Ồ = OÀ, Á = AÙ, Ư = Ö, Ơ = Ô, Ả = AÛ, Ẩ = AÅ
    vni = "TÆNH ÑOÀNG THAÙP COÙ 92 SAÛN PHAÅM ÑAÏT CHUAÅN OCOP CUÛA HUYEÄN THAÙP MÖÔØI"
    assert body_of(decode_page(page(vni.encode("latin-1")))) == (
        "TỈNH ĐỒNG THÁP CÓ 92 SẢN PHẨM ĐẠT CHUẨN OCOP CỦA HUYỆN THÁP MƯỜI"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Der Bürgermeister für Straßenbau äußerte sich über Müller.",
        "Le café à Paris: déjà vu, où est la crème brûlée?",
        "Cà phê Buôn Ma Thuột đạt chuẩn OCOP 4 sao, giá 250.000 đồng.",
        "Copyright © 2012 — All rights reserved.",
    ],
)
def test_text_that_is_not_legacy_vietnamese_is_left_alone(text):
    assert body_of(decode_page(page(text.encode("utf-8")), "text/html; charset=utf-8")) == text


def test_a_few_stray_latin_1_signs_are_no_evidence_of_a_legacy_encoding():
    text = "Prices from £5 to £20; © 2012 Café Ltd. — all £ figures include VAT."
    assert body_of(decode_page(page(text.encode("utf-8")))) == text


def test_latin_1_european_text_is_not_read_as_vietnamese():
    text = "Der Bürgermeister für Straßenbau äußerte sich über Müller und Schäfer."
    assert body_of(decode_page(page(text.encode("latin-1")), "text/html; charset=iso-8859-1")) == text


@pytest.mark.parametrize("content_type", ["text/html; charset=windows-1258", "text/html; charset=iso-8859-1"])
def test_utf8_declared_as_a_legacy_charset_is_read_as_utf8(content_type):
    assert body_of(decode_page(page(SENTENCE.encode()), content_type)) == SENTENCE
    assert body_of(decode_page(page(SENTENCE.encode(), b'<meta charset="windows-1258">'))) == SENTENCE


def test_utf8_declared_but_not_utf8_is_detected():
    text = body_of(decode_page(page(encode_legacy(SENTENCE, "windows-1258")), "text/html; charset=utf-8"))
    assert text == SENTENCE


@pytest.mark.parametrize("body", [b"", b"\x00\xff\xfe", bytes(range(256)), b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_empty_and_binary_input_gives_a_string(body):
    assert isinstance(decode_page(body), str)


def test_odd_arguments_give_a_string():
    assert decode_page(None) == ""
    assert decode_page(SENTENCE) == SENTENCE
    assert isinstance(decode_page(b"abc", "text/html; charset=no-such-charset"), str)
    assert decode_page(bytearray(SENTENCE.encode())) == SENTENCE


def test_a_long_page_with_decomposed_letters_comes_out_as_normalised_whole():
    # pieces of the page are normalised apart: around their "<" boundaries too, the text is NFC of the whole
    decomposed = unicodedata.normalize("NFD", SENTENCE)
    paragraph = "<p>" + decomposed + " a\u0301</p><p>\u2260<\u0338 x\u0323" + "</p>" * 500
    body = ("<html><body>" + paragraph * 40 + "</body></html>").encode("utf-8")
    assert decode_page(body, "text/html; charset=utf-8") == unicodedata.normalize("NFC", body.decode("utf-8"))


def test_no_character_composes_with_a_less_than_sign_before_it():
    # what lets a page be normalised in pieces cut before "<"
    assert unicodedata.combining("<") == 0
    for code in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(code)).split()
        canonical = decomposition and not decomposition[0].startswith("<")  # "<small> 003C" is no composition
        assert not (canonical and len(decomposition) == 2 and decomposition[1] == "003C"), hex(code)
