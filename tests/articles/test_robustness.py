"""extract/ never raises: random bytes, truncated, empty, binary and odd pages give an Article or Links."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.article import extract_article
from extract.links import extract_links
from extract.model import Article, Links
from tests.articles.regen import PAGES

URL = "https://nongthonmau.vn/ocop/bai-viet-d2510201530.html"
FIXTURE = (PAGES / "nongthon_jsonld.html").read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes_never_raise(page):
    article = extract_article(page, URL)
    assert isinstance(article, Article) and isinstance(extract_links(page, URL), Links)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcpdivh1&;#xẠđ\n")), max_size=600))
def test_random_markup_never_raises(page):
    assert isinstance(extract_article(page, URL), Article)
    assert isinstance(extract_links(page, URL), Links)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(FIXTURE)))
def test_every_truncation_of_a_real_page_is_read(cut):
    article = extract_article(FIXTURE[:cut], URL)
    assert isinstance(article, Article)
    assert article.text == "" or isinstance(article.text, str)


def test_empty_and_binary_pages_are_not_articles():
    for page in (b"", "", b"\x00\x01\x02\xff" * 500, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "   \n  "):
        article = extract_article(page, URL)
        assert article.is_article is False
        assert article.title is None and article.text == "" and article.facts == ()


def test_odd_arguments_are_not_errors():
    assert extract_article(None, URL).is_article is False
    assert extract_article(FIXTURE, None).title == "Sơn La có thêm 35 sản phẩm đạt chuẩn OCOP"
    assert extract_links(None, None) == Links()
    deep = "<div>" * 5000 + "Sâu quá" + "</div>" * 5000
    assert isinstance(extract_article(deep, URL), Article)
