"""Listing page -> Links: absolute, deduplicated, fragment-free article URLs of the site in page order; next page."""

from extract.links import extract_links
from extract.profiles import profile_for
from tests.articles.regen import PAGES

LISTING_URL = "https://nongthonmau.vn/ocop/"


def test_article_links_are_absolute_deduplicated_in_page_order_and_on_the_site():
    links = extract_links((PAGES / "listing.html").read_bytes(), LISTING_URL)
    assert links.article_urls == (
        "https://nongthonmau.vn/ocop/son-la-co-them-35-san-pham-dat-chuan-ocop-d2510201530.html",
        "https://nongthonmau.vn/ocop/ha-noi-cong-nhan-them-126-san-pham-ocop-d2510271009.html",
        "https://nongthonmau.vn/ocop/ca-mau-co-120-san-pham-ocop-d2510150900.html",
    )
    assert all("#" not in url for url in links.article_urls)
    assert links.next_page_url == "https://nongthonmau.vn/ocop/trang-2.htm"


def test_headline_links_count_when_the_site_has_no_id_in_its_urls():
    page = """<html><body><h1>Nông nghiệp</h1>
      <h3><a href="/nong-nghiep/nong-dan-thu-lai-lon-tu-vu-lua-thu-dong">Nông dân thu lãi lớn từ vụ lúa thu đông</a></h3>
      <h3><a href="/nong-nghiep/gia-heo-hoi-tang-nhe">Giá heo hơi tăng nhẹ</a></h3>
      <a href="/nong-nghiep/">Nông nghiệp</a> <a href="/lien-he">Liên hệ với tòa soạn chúng tôi ngay</a>
      <a class="next" href="/nong-nghiep/page/2">Trang sau</a></body></html>"""
    links = extract_links(page, "https://tinmau.vn/nong-nghiep/")
    assert links.article_urls == ("https://tinmau.vn/nong-nghiep/nong-dan-thu-lai-lon-tu-vu-lua-thu-dong",
                                  "https://tinmau.vn/nong-nghiep/gia-heo-hoi-tang-nhe")
    assert links.next_page_url == "https://tinmau.vn/nong-nghiep/page/2"


def test_a_profile_decides_by_its_url_shapes():
    page = """<html><body>
      <a href="/kinh-doanh/gia-vang-hom-nay-20260307080711234.htm">Giá vàng hôm nay</a>
      <a href="/video/gia-vang-tang-187983.htm">Video giá vàng tăng</a>
      <a href="/kinh-doanh/trang-2.htm" class="page-item next">Trang tiếp</a></body></html>"""
    assert profile_for("https://dantri.com.vn/kinh-doanh.htm").name == "dantri"
    links = extract_links(page, "https://dantri.com.vn/kinh-doanh.htm")
    assert links.article_urls == ("https://dantri.com.vn/kinh-doanh/gia-vang-hom-nay-20260307080711234.htm",)
    assert links.next_page_url == "https://dantri.com.vn/kinh-doanh/trang-2.htm"


def test_a_base_element_changes_where_relative_links_point():
    page = '<html><head><base href="https://nongthonmau.vn/tin/"></head><body>' \
           '<a href="bai-moi-d2510150900.html">Bài mới về sản phẩm OCOP của tỉnh</a></body></html>'
    assert extract_links(page, LISTING_URL).article_urls == ("https://nongthonmau.vn/tin/bai-moi-d2510150900.html",)


def test_sites_on_one_address_are_told_apart_by_port():
    page = """<html><body><a href="http://127.0.0.1:8001/ocop/bai-mot-d2510150900.html">Bài một của trang này</a>
      <a href="http://127.0.0.1:8002/ocop/bai-hai-d2510150901.html">Bài hai của trang khác</a></body></html>"""
    links = extract_links(page, "http://127.0.0.1:8001/ocop/", profile="baonongthon")
    assert links.article_urls == ("http://127.0.0.1:8001/ocop/bai-mot-d2510150900.html",)
