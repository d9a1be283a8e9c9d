"""Whole-page HTML helpers (extract.html): selecting with a list of selectors at once, or only those that can match."""

from extract.html import matches_any, may_match, parse_page, select

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
