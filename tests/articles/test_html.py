"""Whole-page HTML helpers (extract.html): selecting with a list of selectors at once or only those that can match,
and whether an element shows any text."""

import sys
import unicodedata

from extract.html import has_visible_text, inline_text, matches_any, may_match, parse_page, select

PAGE = ('<html><body><div class="detail"><p>Sản phẩm OCOP</p>'
        '<div class="box-tin-lien-quan"><a href="/a">Tin liên quan</a></div></div></body></html>')


def test_matches_any_agrees_with_the_selectors_one_by_one():
    root = parse_page(PAGE)
    for selectors in (["figure", "[class*=lien-quan]"], ["figure", "aside"], ["p::contains(OCOP)"], ["p::contains(chè)"],
                      []):
        assert matches_any(root, selectors) >= any(select(root, selector) for selector in selectors)
    assert matches_any(root, ["figure", "[class*=lien-quan]"])
    assert not matches_any(root, ["figure", "aside", "[class*=share]"])


def test_matches_any_skips_invalid_selectors_and_a_missing_root():
    root = parse_page(PAGE)
    assert not matches_any(root, ["p[", "figure"])
    assert matches_any(root, ["p[", "p"])
    assert not matches_any(None, ["p"])


def test_may_match_leaves_out_only_selectors_that_match_nothing():
    root = parse_page(PAGE)
    selectors = [".sapo", "p", "[class*=lien-quan] a", "[class*=sapo] a", "#main", "[data-role=date]", "div.detail",
                 "p:not(.sapo)", "p[", ".detail + .sapo", "[class*=LIEN i]"]
    kept = list(may_match(root, selectors))
    # what a sibling combinator adds is not asked (the sibling may lie outside the root)
    assert kept == ["p", "[class*=lien-quan] a", "div.detail", "p:not(.sapo)", "p[", ".detail + .sapo", "[class*=LIEN i]"]
    for selector in selectors:
        assert selector in kept or not select(root, selector)


def test_may_match_keeps_a_sibling_outside_the_root_possible():
    root = parse_page('<html><body><div class="a">x</div><div class="b">y</div></body></html>')
    first = select(root, ".a")[0]
    assert select(first, ".a + .b")
    assert list(may_match(first, [".a + .b"])) == [".a + .b"]


def test_has_visible_text_is_whether_inline_text_is_empty():
    root = parse_page('<html><body><div id="a"><script>var x = 1;</script> \u200b\u00a0<br></div>'
                      '<div id="b"><span></span><!-- c -->\u00adx</div><div id="c"><p><b> </b></p>Cần</div>'
                      '<div id="d"><noscript>Bật JavaScript</noscript></div></body></html>')
    for element in root.iter():
        assert has_visible_text(element) == bool(inline_text(element)), element.get("id")
    assert [element.get("id") for element in root.iter("div") if has_visible_text(element)] == ["b", "c"]


def test_no_character_turns_to_whitespace_or_from_it_under_normalisation():
    # has_visible_text skips the NFC of inline_text on this ground
    for code in range(sys.maxunicode + 1):
        if not 0xD800 <= code <= 0xDFFF:
            character = chr(code)
            decomposed = unicodedata.normalize("NFD", character)
            assert character.isspace() == decomposed.isspace() and (character.isspace() or decomposed.split()), hex(code)


def test_may_match_shares_the_values_read_between_calls_on_one_page():
    root = parse_page(PAGE)
    values_read = {}
    assert list(may_match(root, [".sapo", ".detail"], values_read)) == [".detail"]
    assert set(values_read) == {"class"}
    values_read["class"] = ""  # what was read is not read again
    assert list(may_match(root, [".detail"], values_read)) == []
