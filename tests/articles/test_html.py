"""Whole-page HTML helpers (extract.html): selecting with a list of selectors at once."""

from extract.html import matches_any, parse_page, select

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
