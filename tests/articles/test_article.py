"""Pages -> Article: the project's fixture pages against their reviewed expected JSON, and the rules behind them."""

import json
from datetime import datetime

import pytest
from lxml import html as lxml_html

from extract.article import article_version, extract_article, extractor_version
from extract.facts import FACTS_VERSION, facts_for_article
from extract.html import remove
from extract.profiles import GENERIC_PROFILE
from tests.articles.regen import PAGES, expected_path, fixtures, read_fixture

ARTICLE_FIXTURES = [fixture for fixture in fixtures() if fixture["kind"] == "article"]


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda fixture: fixture["file"])
def test_fixture_pages_give_their_expected_json(fixture):
    expected = json.loads(expected_path(fixture).read_text(encoding="utf-8"))
    assert read_fixture(fixture) == expected


def _read(name: str, **options):
    fixture = next(fixture for fixture in fixtures() if fixture["file"] == name)
    page = (PAGES / name).read_bytes()
    return extract_article(page, fixture["url"], fetched_at=datetime.fromisoformat(fixture["fetched_at"]), **options)


def test_boxes_captions_ads_and_source_lines_stay_out_of_the_body():
    article = _read("nongthon_jsonld.html")
    for boilerplate in ("Tin liên quan", "Điện Biên có 82 sản phẩm OCOP", "chè shan tuyết Tà Xùa được trưng bày",
                        "Quảng cáo", "Theo TTXVN", "Bình luận", "Facebook", "Từ khóa", "Giá cà phê hôm nay"):
        assert boilerplate not in article.text
    assert "Nâng chất lượng thay vì chạy theo số lượng" in article.text.split("\n")  # a subheading is prose


def test_the_lead_is_its_own_field_and_the_first_line_of_the_text():
    article = _read("nongthon_jsonld.html")
    assert article.lead.startswith("UBND tỉnh Sơn La vừa công nhận")
    assert article.text.split("\n")[0] == article.lead
    assert article.text.count(article.lead) == 1


def test_authors_come_from_the_byline_not_the_publisher():
    assert _read("nongthon_jsonld.html").authors == ("Minh Anh",)       # JSON-LD says "Nongthonmau Vn"
    assert _read("vnexpress_style.html").authors == ("Hà Thu",)        # "(tổng hợp)" is not a name


def test_json_ld_without_offset_is_vietnam_time_and_modified_is_kept_apart():
    article = _read("nongthon_jsonld.html")
    assert article.published_at.isoformat() == "2025-10-20T15:30:12+07:00"
    assert article.modified_at.isoformat() == "2025-10-21T08:00:00+07:00"


def test_the_visible_page_is_the_last_word_when_json_ld_and_meta_are_gone():
    for fixture in ARTICLE_FIXTURES:
        page = (PAGES / fixture["file"]).read_bytes()
        root = lxml_html.document_fromstring(page)
        for element in root.xpath('//script[@type="application/ld+json"] | //meta | //link[@rel="canonical"]'):
            remove(element)
        stripped = lxml_html.tostring(root, encoding="unicode")
        fetched_at = datetime.fromisoformat(fixture["fetched_at"])
        full = extract_article(page, fixture["url"], fetched_at=fetched_at)
        bare = extract_article(stripped, fixture["url"], fetched_at=fetched_at)
        assert bare.title == full.title, fixture["file"]
        assert bare.text == full.text, fixture["file"]
        if fixture["file"] != "english.html":  # its only date is a meta tag
            assert _to_minute(bare.published_at) == _to_minute(full.published_at), fixture["file"]


def _to_minute(moment):
    return moment.replace(second=0) if moment else None


def test_a_visible_date_line_that_disagrees_with_the_meta_wins():
    page = (PAGES / "vnexpress_style.html").read_text(encoding="utf-8").replace(
        'content="2025-10-05T07:25:00+07:00"', 'content="2025-10-04T14:02:00+07:00"')
    article = extract_article(page, "https://vnexpress.net/bac-giang-4951000.html")
    assert article.published_at.isoformat() == "2025-10-05T07:25:00+07:00"


def test_an_old_page_is_read_with_the_layout_of_its_day():
    article = _read("dantri_2012_style.html")
    assert article.title == "Quảng Ninh công bố 50 sản phẩm OCOP đầu tiên"
    assert article.lead.endswith("(OCOP).")                            # the ">>" pointer is cut from the sapo
    assert "chả mực Hạ Long tại gian hàng" not in article.text         # the centred photo caption
    assert article.authors == ("Quang Phong", "Tùng Nguyên")


def test_a_page_read_without_its_profile_still_gives_title_date_and_prose():
    fixture = next(fixture for fixture in fixtures() if fixture["file"] == "vnexpress_style.html")
    article = extract_article((PAGES / fixture["file"]).read_bytes(), fixture["url"], profile=GENERIC_PROFILE)
    assert article.title == "Bắc Giang có 9 sản phẩm OCOP 4 sao từ vải thiều"
    assert article.published_at.isoformat() == "2025-10-05T07:25:00+07:00"
    assert "chế biến sâu giúp giá trị quả vải tăng gấp 3 đến 4 lần" in article.text


def test_facts_and_version_come_with_the_article():
    article = _read("nongthon_jsonld.html")
    assert article.facts == facts_for_article(title=article.title, lead=article.lead, text=article.text,
                                              url=article.canonical_url, published_at=article.published_at)
    assert article.extractor_version == f"{article_version()}/{FACTS_VERSION}" == extractor_version()


def test_error_and_foreign_pages():
    assert _read("not_found.html").is_article is False
    english = _read("english.html")
    assert english.language == "en" and english.is_article
    assert _read("nongthon_jsonld.html").language == "vi"


def test_a_listing_is_not_an_article():
    fixture = next(fixture for fixture in fixtures() if fixture["file"] == "listing.html")
    assert extract_article((PAGES / "listing.html").read_bytes(), fixture["url"]).is_article is False


def test_an_unknown_profile_name_reads_with_the_generic_rules():
    article = _read("vnexpress_style.html", profile=GENERIC_PROFILE)
    assert article.title and article.is_article
