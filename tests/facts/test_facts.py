"""The fact extractor on sentences written for these tests: each kind, status, scope, qualifier, the hard
cases of facts.md, places from the sentence and from the article's context, and the seed article's figures."""

import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from extract.facts import FACTS_VERSION, extract_facts, facts_for_article
from extract.places import resolve_province

OCOP_TITLE = "Tỉnh Bến Tre có thêm 12 sản phẩm OCOP"


def read(sentence, **context):
    """The facts of a sentence as plain dicts, without the evidence fields."""
    return [
        {name: value for name, value in fact.to_json().items() if name not in ("sentence", "span")}
        for fact in extract_facts(sentence, **context)
    ]


def brief(sentence, **context):
    """(kind, count or amount or product, stars) of each fact: what the matching of facts.md compares."""
    return [
        (fact["kind"], fact["count"] if fact["count"] is not None else fact["amount_vnd"] or fact["product"], fact["stars"])
        for fact in read(sentence, **context)
    ]


def only(sentence, **context):
    facts = read(sentence, **context)
    assert len(facts) == 1, facts
    return facts[0]


# --- kinds -------------------------------------------------------------------------------------------

def test_product_count():
    fact = only("Tỉnh Trà Vinh hiện có 145 sản phẩm đạt chứng nhận OCOP.")
    assert (fact["kind"], fact["count"], fact["stars"], fact["status"], fact["scope"], fact["province"]) == (
        "product_count", 145, None, "achieved", "total", "Trà Vinh")


def test_subject_count_with_products():
    assert brief("Huyện trao giấy chứng nhận OCOP cho 9 chủ thể với 17 sản phẩm.", title=OCOP_TITLE) == [
        ("subject_count", 9, None), ("product_count", 17, None)]


def test_product_rating():
    fact = only("Chè búp Thái Nguyên của Hợp tác xã chè La Bằng đạt chuẩn OCOP 5 sao cấp quốc gia.")
    assert (fact["kind"], fact["product"], fact["stars"], fact["status"]) == ("product_rating", "Chè búp Thái Nguyên", 5, "achieved")


def test_product_rating_without_a_producer():
    fact = only("Sản phẩm Mật ong bạc hà Mèo Vạc đạt OCOP 4 sao năm 2023.", title="OCOP Hà Giang")
    assert (fact["product"], fact["stars"], fact["year"], fact["province"]) == ("Mật ong bạc hà Mèo Vạc", 4, 2023, "Hà Giang")
    assert read("Sản phẩm OCOP đạt 4 sao được hỗ trợ quảng bá.") == []
    assert read("Sản phẩm này đạt OCOP 3 sao.") == []


def test_budget():
    fact = only("Năm 2024, tỉnh Sóc Trăng bố trí 2,5 tỷ đồng để thực hiện Chương trình OCOP.")
    assert (fact["kind"], fact["amount_vnd"], fact["year"], fact["province"], fact["status"]) == (
        "budget", 2_500_000_000, 2024, "Sóc Trăng", "achieved")


def test_revenue_is_no_budget():
    assert read("Doanh thu của các chủ thể OCOP đạt 120 tỷ đồng.") == []


def test_star_levels_of_a_list():
    assert brief("Tỉnh Lạng Sơn có 210 sản phẩm OCOP, gồm 180 sản phẩm 3 sao, 28 sản phẩm 4 sao và 2 sản phẩm 5 sao.") == [
        ("product_count", 210, None), ("product_count", 180, 3), ("product_count", 28, 4), ("product_count", 2, 5)]


def test_a_total_over_levels_has_no_stars():
    assert brief("Toàn tỉnh Hòa Bình có 260 sản phẩm OCOP đạt từ 3 sao trở lên.") == [("product_count", 260, None)]
    assert brief("Tỉnh Ninh Thuận công nhận 31 sản phẩm OCOP đạt 3 - 4 sao.") == [("product_count", 31, None)]


def test_the_top_level_cannot_open_upwards():
    sentence = "Ban tổ chức tôn vinh 12 chủ thể có từ 3 sản phẩm OCOP cấp quốc gia trở lên."
    assert brief(sentence) == [("subject_count", 12, 5)]


def test_stars_written_before_the_count():
    assert brief("UBND tỉnh công nhận sản phẩm OCOP 4 sao đối với 22 sản phẩm của 9 chủ thể.", title=OCOP_TITLE) == [
        ("product_count", 22, 4), ("subject_count", 9, 4)]


def test_number_words_count():
    assert brief("Thành phố Hải Phòng vừa có thêm hai sản phẩm OCOP 5 sao.") == [("product_count", 2, 5)]


def test_thousands_with_a_dot():
    assert brief("Cả nước đã có 16.500 sản phẩm OCOP.") == [("product_count", 16500, None)]


# --- not facts -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Tỉnh Kiên Giang có 3.200 ha lúa hữu cơ và 1.500 tấn tôm đạt chuẩn OCOP.",
    "Hội chợ OCOP có 180 gian hàng của 40 tỉnh, thành phố.",
    "Quyết định số 1048/QĐ-TTg quy định bộ tiêu chí OCOP.",
    "Khách sạn 5 sao phục vụ hội nghị OCOP năm 2024.",
    "Chương trình Mỗi xã một sản phẩm được triển khai từ năm 2018.",
    "Tỉnh có hàng trăm sản phẩm OCOP và nhiều chủ thể tham gia.",
    "Mỗi huyện xây dựng được ít nhất 1 sản phẩm nông nghiệp chủ lực theo chương trình OCOP.",
    "Tỉnh có 25 sản phẩm được cấp giấy chứng nhận đăng ký nhãn hiệu.",
])
def test_not_facts(sentence):
    assert read(sentence, title="Phát triển sản phẩm OCOP") == []


def test_a_sentence_off_the_subject_of_ocop_has_no_facts():
    assert read("Tỉnh có 40 sản phẩm được cấp giấy chứng nhận.", title="Giá lúa tăng mạnh") == []


# --- status ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, status", [
    ("Tỉnh Phú Yên đã có 96 sản phẩm được công nhận OCOP.", "achieved"),
    ("Năm nay tỉnh Phú Yên có 14 sản phẩm đăng ký tham gia chương trình OCOP.", "candidate"),
    ("Hội đồng đề nghị công nhận 6 sản phẩm OCOP 5 sao.", "candidate"),
    ("Tỉnh có 3 sản phẩm OCOP tiềm năng 5 sao.", "candidate"),
    ("Tỉnh Phú Yên phấn đấu đến năm 2025 có 150 sản phẩm OCOP.", "target"),
    ("Mục tiêu của huyện là có thêm 8 sản phẩm OCOP.", "target"),
    ("Kế hoạch năm 2025 đề ra 40 sản phẩm OCOP mới.", "target"),
])
def test_each_status(sentence, status):
    assert only(sentence, title=OCOP_TITLE)["status"] == status


def test_a_plan_governs_the_whole_list():
    facts = read("Tỉnh sẽ phát triển thêm 10 sản phẩm OCOP 3 sao, 10 sản phẩm 4 sao và phấn đấu có 2 sản phẩm 5 sao.",
                 title="Cần Thơ: chương trình OCOP")
    assert [(fact["count"], fact["stars"], fact["status"]) for fact in facts] == [
        (10, 3, "target"), (10, 4, "target"), (2, 5, "target")]


def test_the_present_ends_a_plan():
    facts = read("Mục tiêu năm 2025 là 300 sản phẩm OCOP; hiện nay tỉnh đã có 250 sản phẩm OCOP.")
    assert [(fact["count"], fact["status"]) for fact in facts] == [(300, "target"), (250, "achieved")]


def test_achieving_the_plan_is_no_plan():
    assert only("Tỉnh Yên Bái đã có 120 sản phẩm OCOP, vượt kế hoạch đề ra.")["status"] == "achieved"


# --- scope -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, scope", [
    ("Lũy kế đến nay tỉnh Bắc Ninh có 290 sản phẩm OCOP.", "total"),
    ("Tính đến hết năm 2024, tỉnh Bắc Ninh có 290 sản phẩm OCOP.", "total"),
    ("Tỉnh Bắc Ninh vừa công nhận 35 sản phẩm OCOP.", "new"),
    ("Đợt 2 năm 2024, tỉnh Bắc Ninh có thêm 35 sản phẩm OCOP.", "new"),
    ("Năm 2024, tỉnh Bắc Ninh đã công nhận 35 sản phẩm OCOP, nâng tổng số sản phẩm OCOP của tỉnh lên 290.", "new"),
])
def test_each_scope(sentence, scope):
    assert read(sentence)[0]["scope"] == scope


def test_raising_the_total_gives_a_total_count_without_a_noun():
    facts = read("Năm 2024, tỉnh Bắc Ninh đã công nhận 35 sản phẩm OCOP, nâng tổng số sản phẩm OCOP của tỉnh lên 290.")
    assert [(fact["count"], fact["scope"], fact["year"]) for fact in facts] == [(35, "new", 2024), (290, "total", 2024)]


def test_items_of_a_list_share_the_scope_unless_they_state_theirs():
    facts = read("Đợt này, tỉnh Hà Tĩnh có 30 sản phẩm OCOP được đánh giá lại, 5 sản phẩm được nâng hạng.")
    assert [(fact["count"], fact["scope"]) for fact in facts] == [(30, "new"), (5, "new")]
    facts = read("Đợt này, tỉnh Hà Tĩnh công nhận 30 sản phẩm OCOP, nâng tổng số sản phẩm của tỉnh lên 400.")
    assert [(fact["count"], fact["scope"]) for fact in facts] == [(30, "new"), (400, "total")]


def test_a_headline_of_an_addition_makes_plain_counts_new():
    context = "Tỉnh Bến Tre vừa công nhận 12 sản phẩm OCOP 3 sao."
    assert only("Huyện Châu Thành có 5 sản phẩm.", title="Bến Tre thêm 12 sản phẩm OCOP", context=context)["scope"] == "new"


# --- qualifiers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, qualifier", [
    ("Tỉnh Lào Cai có hơn 200 sản phẩm OCOP.", "over"),
    ("Tỉnh Lào Cai có trên 200 sản phẩm OCOP.", "over"),
    ("Tỉnh Lào Cai phấn đấu có ít nhất 200 sản phẩm OCOP.", "over"),
    ("Tỉnh Lào Cai có gần 200 sản phẩm OCOP.", "under"),
    ("Tỉnh Lào Cai có khoảng 200 sản phẩm OCOP.", "about"),
    ("Tỉnh Lào Cai có 200 sản phẩm OCOP.", None),
])
def test_qualifier(sentence, qualifier):
    assert only(sentence)["qualifier"] == qualifier


def test_a_range_reads_as_its_lower_bound():
    fact = only("Mục tiêu cả nước có khoảng 400 - 500 sản phẩm OCOP 5 sao.")
    assert (fact["count"], fact["qualifier"], fact["stars"], fact["nationwide"], fact["province"]) == (400, "about", 5, True, None)


# --- hard cases of facts.md ------------------------------------------------------------------------

def test_products_of_subjects_at_two_levels():
    sentence = "Đợt này có 12 sản phẩm của 7 chủ thể đạt 3 sao và 6 sản phẩm của 3 chủ thể đạt 4 sao."
    assert brief(sentence, title=OCOP_TITLE) == [
        ("product_count", 12, 3), ("subject_count", 7, 3), ("product_count", 6, 4), ("subject_count", 3, 4)]


def test_the_rest_is_no_number():
    sentence = "Tỉnh có 14 sản phẩm được xếp hạng 4 sao và các sản phẩm còn lại xếp hạng 3 sao."
    assert brief(sentence, title=OCOP_TITLE) == [("product_count", 14, 4)]


def test_no_national_product_yet_is_zero():
    fact = only("Tuy nhiên, tỉnh Hà Nam chưa có sản phẩm OCOP nào đạt 5 sao cấp quốc gia.")
    assert (fact["count"], fact["stars"], fact["status"]) == (0, 5, "achieved")


def test_follow_on_sentence_without_the_word_ocop():
    context = "Tỉnh Nam Định có 300 sản phẩm OCOP."
    facts = read("Trong đó, có 40 sản phẩm được công nhận 4 sao.", title="Nam Định phát triển OCOP", context=context)
    assert [(fact["count"], fact["stars"], fact["province"], fact["scope"]) for fact in facts] == [(40, 4, "Nam Định", "total")]


def test_a_breakdown_of_a_target_is_a_target():
    context = "Tỉnh Cao Bằng phấn đấu đến năm 2025 có 100 sản phẩm OCOP."
    fact = only("Trong số này, có 5 sản phẩm 5 sao.", title="OCOP Cao Bằng", context=context)
    assert (fact["status"], fact["province"]) == ("target", "Cao Bằng")


def test_a_product_line_count_and_its_rated_products():
    sentence = "Huyện có 3 sản phẩm đạt 4 sao (Mắm tôm chà; Bánh phồng tôm; Khô cá lóc)."
    facts = read(sentence, title="Bạc Liêu công nhận sản phẩm OCOP")
    assert [(fact["kind"], fact["count"], fact["product"], fact["stars"]) for fact in facts] == [
        ("product_count", 3, None, 4), ("product_rating", None, "Mắm tôm chà", 4),
        ("product_rating", None, "Bánh phồng tôm", 4), ("product_rating", None, "Khô cá lóc", 4)]


def test_a_count_shared_by_several_districts():
    sentence = "Huyện Cái Bè và huyện Cai Lậy mỗi địa phương có 6 sản phẩm OCOP."
    facts = read(sentence)
    assert [(fact["count"], fact["district"], fact["province"]) for fact in facts] == [
        (6, "Cái Bè", "Tiền Giang"), (6, "Cai Lậy", "Tiền Giang")]


def test_a_list_takes_the_level_stated_last():
    facts = read("Các huyện Cái Bè, Cai Lậy có 3 sản phẩm, trong khi Gò Công Đông có 1 sản phẩm OCOP đạt 4 sao.")
    assert [(fact["count"], fact["stars"], fact["district"]) for fact in facts] == [
        (3, 4, "Cái Bè"), (3, 4, "Cai Lậy"), (1, 4, "Gò Công Đông")]


# --- places ------------------------------------------------------------------------------------------

def test_province_from_the_title():
    assert only("Tính đến nay, Thành phố có 66 sản phẩm OCOP.", title="Đà Nẵng có 66 sản phẩm OCOP")["province"] == "Đà Nẵng"


def test_province_from_a_dateline():
    fact = only("Thành phố có 66 sản phẩm OCOP.", context="ĐÀ NẴNG - Sáng 5/3, hội nghị tổng kết OCOP diễn ra.")
    assert fact["province"] == "Đà Nẵng"


def test_province_from_an_earlier_sentence():
    fact = only("Toàn tỉnh có 75 sản phẩm OCOP.", title="Phát triển OCOP", context="Tỉnh Quảng Trị tổ chức hội nghị.")
    assert fact["province"] == "Quảng Trị"


def test_province_from_a_district_named_in_the_sentence():
    fact = only("UBND huyện Krông Pắc vừa công nhận 8 sản phẩm OCOP.")
    assert (fact["province"], fact["district"]) == ("Đắk Lắk", "Krông Pắc")


def test_province_from_the_url_slug():
    fact = only("Toàn tỉnh có 75 sản phẩm OCOP.", url="https://example.vn/kinh-te/quang-tri-co-75-san-pham-ocop-123.html")
    assert fact["province"] == "Quảng Trị"


def test_province_of_a_provincial_paper():
    fact = only("Toàn tỉnh có 75 sản phẩm OCOP.", url="https://baogialai.com.vn/mot-bai-viet-post1.html")
    assert (fact["province"], fact["province_current"]) == ("Gia Lai", "Gia Lai")


def test_a_unit_merged_in_2025_keeps_its_name_and_gains_its_current_unit():
    fact = only("Tỉnh Sóc Trăng có 160 sản phẩm OCOP.")
    assert (fact["province"], fact["province_current"]) == ("Sóc Trăng", "Cần Thơ")


def test_nationwide_and_comparisons_with_the_country():
    assert only("Cả nước có 17.000 sản phẩm OCOP.")["nationwide"] is True
    fact = only("Tỉnh Quảng Ninh có 450 sản phẩm OCOP, dẫn đầu cả nước.")
    assert (fact["nationwide"], fact["province"]) == (False, "Quảng Ninh")


def test_a_commune_is_the_district_of_a_rating():
    fact = only("Sản phẩm “Gạo ST25 Hồ Quang Cua” của HTX Nông nghiệp Phú Tân, xã Phú Tân đạt OCOP 4 sao.",
                title="Sóc Trăng công nhận OCOP")
    assert (fact["product"], fact["district"], fact["province"], fact["stars"]) == ("Gạo ST25 Hồ Quang Cua", "Phú Tân", "Sóc Trăng", 4)


# --- years ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, year", [
    ("Năm 2023, tỉnh Tây Ninh công nhận 40 sản phẩm OCOP.", 2023),
    ("Đến hết năm 2024, tỉnh Tây Ninh có 140 sản phẩm OCOP.", 2024),
    ("Tính đến tháng 6/2025, tỉnh Tây Ninh có 150 sản phẩm OCOP.", 2025),
    ("Giai đoạn 2021-2025, tỉnh Tây Ninh phấn đấu có 200 sản phẩm OCOP.", 2025),
    ("Theo Quyết định 919/QĐ-TTg năm 2022, tỉnh Tây Ninh phấn đấu có 200 sản phẩm OCOP.", None),
    ("Triển khai từ năm 2019, tỉnh Tây Ninh có 150 sản phẩm OCOP.", None),
])
def test_year(sentence, year):
    assert read(sentence)[0]["year"] == year


def test_this_year_needs_the_publication_date():
    sentence = "Trong năm nay, tỉnh Tây Ninh công nhận 40 sản phẩm OCOP."
    assert only(sentence)["year"] is None
    assert only(sentence, published_at=datetime(2024, 5, 1))["year"] == 2024


# --- the seed article, re-typed with its figures ------------------------------------------------------

SEED_TITLE = "Cần Thơ: 92 sản phẩm đạt chuẩn OCOP"
SEED_URL = "https://langngheviet.com.vn/can-tho-co-92-san-pham-dat-chuan-ocop-26392.html"
SEED_TEXT = "\n".join([
    "Đến nay, Cần Thơ có 92 sản phẩm đạt chứng nhận OCOP.",
    "Tuy vậy, việc quảng bá còn hạn chế; chưa có sản phẩm quốc gia đạt chuẩn 5 sao.",
    "Năm 2023, Cần Thơ dành 3,8 tỉ đồng để thực hiện chương trình OCOP.",
    "Thành phố sẽ phát triển thêm 10 sản phẩm OCOP 3 sao, 10 sản phẩm 4 sao và phấn đấu có 2 sản phẩm 5 sao.",
    "Tại hội nghị, thành phố trao chứng nhận OCOP cho 20 chủ thể, với 36 sản phẩm.",
])


def test_seed_article_figures():
    facts = [fact.to_json() for fact in facts_for_article(title=SEED_TITLE, lead=None, text=SEED_TEXT, url=SEED_URL,
                                                          published_at=None)]
    table = {(f["kind"], f["count"] if f["count"] is not None else f["amount_vnd"], f["stars"], f["status"], f["scope"])
             for f in facts}
    assert table == {
        ("product_count", 92, None, "achieved", "total"),
        ("product_count", 0, 5, "achieved", "total"),
        ("budget", 3_800_000_000, None, "achieved", None),
        ("product_count", 10, 3, "target", "new"),
        ("product_count", 10, 4, "target", "new"),
        ("product_count", 2, 5, "target", None),
        ("subject_count", 20, None, "achieved", "new"),
        ("product_count", 36, None, "achieved", "new"),
    }
    assert {fact["province"] for fact in facts} == {"Cần Thơ"}
    assert [fact["year"] for fact in facts if fact["kind"] == "budget"] == [2023]


def test_article_lead_is_read_once_and_first():
    facts = facts_for_article(title="OCOP Long An", lead="Tỉnh Long An có 120 sản phẩm OCOP.",
                              text="Tỉnh Long An có 120 sản phẩm OCOP.\nTrong đó, có 9 sản phẩm 4 sao.",
                              url="https://example.vn/a", published_at=None)
    assert [(fact.count, fact.province) for fact in facts] == [(120, "Long An"), (9, "Long An")]


def test_a_long_chain_of_details_is_read_without_failing():
    sentences = ["Tỉnh Long An có 120 sản phẩm OCOP."] + ["Trong đó, có 9 sản phẩm 4 sao."] * 1000
    facts = facts_for_article(title="OCOP Long An", lead=None, text="\n".join(sentences), url="https://example.vn/a",
                              published_at=None)
    assert len(facts) == 1001 and {fact.province for fact in facts} == {"Long An"}


def test_every_fact_keeps_its_evidence_and_span():
    sentence = "Tỉnh Long An có 120 sản phẩm OCOP."
    (fact,) = extract_facts(sentence)
    assert fact.sentence == sentence and sentence[fact.span[0]:fact.span[1]] == "120"


def test_version_names_the_rules():
    assert FACTS_VERSION.count("+") == 1 and len(FACTS_VERSION.split("+")[1]) == 8


def test_every_provincial_paper_names_a_known_province():
    homes = tomllib.loads((Path(__file__).parents[2] / "extract" / "rules" / "press.toml").read_text(encoding="utf-8"))
    unknown = {domain: name for domain, name in homes["home"].items() if resolve_province(name) is None}
    assert unknown == {}


# --- the home province of a provincial paper, and places after the 2025 merger ------------------------

def test_home_province_places_a_sentence_that_names_no_place():
    sentence = "Tính đến nay, toàn tỉnh có 140 sản phẩm OCOP."
    assert only(sentence, url="https://example.vn/a", home_province="Tp. Cần Thơ")["province"] == "Cần Thơ"
    assert only(sentence, url="https://example.vn/a", home_province="Atlantis")["province"] is None


def test_home_province_wins_over_the_press_list_but_not_over_the_sentence():
    sentence = "Tính đến nay, toàn tỉnh có 140 sản phẩm OCOP."
    assert only(sentence, url="https://baophutho.vn/a")["province"] == "Phú Thọ"
    assert only(sentence, url="https://baophutho.vn/a", home_province="Gia Lai")["province"] == "Gia Lai"
    assert only("Tỉnh Bình Phước có 140 sản phẩm OCOP.", home_province="Gia Lai")["province"] == "Bình Phước"


def test_home_province_is_threaded_through_an_article():
    facts = facts_for_article(title="Thêm sản phẩm OCOP", lead=None, text="Tỉnh có 140 sản phẩm OCOP.\nTrong đó, 12 sản "
                              "phẩm đạt 4 sao.", url="https://example.vn/a", published_at=None, home_province="Bắc Ninh")
    assert [(fact.count, fact.province) for fact in facts] == [(140, "Bắc Ninh"), (12, "Bắc Ninh")]


AFTER_MERGER = datetime(2026, 3, 1)
BEFORE_MERGER = datetime(2024, 3, 1)


def test_a_ward_named_after_the_merger_belongs_to_its_2025_unit():
    sentence = "Đến nay, phường Hội An có 15 sản phẩm đạt chuẩn OCOP."
    fact = only(sentence, published_at=AFTER_MERGER)
    assert (fact["province"], fact["district"]) == ("Đà Nẵng", "Hội An")
    assert only(sentence, published_at=BEFORE_MERGER)["province"] == "Quảng Nam"


def test_a_ward_in_the_headline_after_the_merger_places_the_sentence():
    fact = only("Tính đến nay, có 15 sản phẩm OCOP.", title="Phường Hội An phát triển sản phẩm OCOP",
                published_at=AFTER_MERGER)
    assert fact["province"] == "Đà Nẵng"


def test_after_the_merger_an_abolished_province_named_earlier_stands_for_its_2025_unit():
    context = "Đây là kết quả đầu tiên của thành phố sau khi hợp nhất với Quảng Nam."
    sentence = "Thành phố hiện có 30 sản phẩm OCOP."
    assert only(sentence, context=context, published_at=AFTER_MERGER)["province"] == "Đà Nẵng"
    assert only(sentence, context=context, published_at=BEFORE_MERGER)["province"] == "Quảng Nam"


# --- products rated as the subject of their clause (follow-on sentences of an OCOP article) ------------

RATINGS_TITLE = "Sản phẩm OCOP của tỉnh Hưng Yên"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Nhãn lồng Phố Hiến đạt 4 sao và được bán ở nhiều siêu thị.", [("Nhãn lồng Phố Hiến", 4)]),
    ("Tương Bần của một hợp tác xã ở thị xã Mỹ Hào vừa được nâng hạng lên 4 sao.", [("Tương Bần", 4)]),
    ("Mật ong hoa nhãn tại xã Hàm Tử cũng đã được công nhận đạt chuẩn OCOP 5 sao.", [("Mật ong hoa nhãn", 5)]),
    ("Trong đó, chả gà Tiểu Quan và bánh cuốn Phú Thị đều đạt 3 sao.", [("chả gà Tiểu Quan", 3), ("bánh cuốn Phú Thị", 3)]),
    ("Năm 2024, Gạo nếp cái hoa vàng đạt 4 sao.", [("Gạo nếp cái hoa vàng", 4)]),
])
def test_a_product_named_as_the_subject_has_its_rating(sentence, expected):
    facts = read(sentence, title=RATINGS_TITLE)
    assert [(fact["product"], fact["stars"]) for fact in facts if fact["kind"] == "product_rating"] == expected
    assert all(fact["kind"] == "product_rating" for fact in facts)       # "của một hợp tác xã" counts nobody


@pytest.mark.parametrize("sentence", [
    "Khách sạn Phố Hiến đạt 4 sao và có 120 phòng.",              # hotel stars are no OCOP rating
    "Tỉnh Hưng Yên đạt 4 sao trong bảng xếp hạng du lịch.",         # a place is no product
    "Cả hai đều đã đạt 4 sao từ năm trước.",                        # a pronoun is no name
    "Nhãn lồng Phố Hiến đạt 4 sao.",                                # ... nor is it an OCOP fact outside OCOP
])
def test_no_rating_for_what_is_not_a_product(sentence):
    title = "Du lịch Hưng Yên" if sentence.startswith("Nhãn") else RATINGS_TITLE
    assert [fact for fact in read(sentence, title=title) if fact["kind"] == "product_rating"] == []


def test_a_count_of_one_producer_is_still_read():
    assert brief("Tỉnh có 12 sản phẩm OCOP của 1 hợp tác xã.") == [("product_count", 12, None), ("subject_count", 1, None)]


# --- assessment, follow-on budgets, totals after "số", upgrades, margins over a plan ------------------

def test_products_being_scored_are_candidates():
    facts = read("Hội đồng huyện đã chấm điểm 40 sản phẩm của 25 chủ thể.", title="Huyện Cam Lâm đánh giá sản phẩm OCOP")
    assert [(f["kind"], f["count"], f["status"]) for f in facts] == [("product_count", 40, "candidate"),
                                                                     ("subject_count", 25, "candidate")]


def test_money_for_the_programmes_subjects_in_an_ocop_article_is_a_budget():
    fact = only("Năm tới, huyện dự kiến hỗ trợ khoảng 1,2 tỷ đồng cho các chủ thể làm tem truy xuất.",
                title="Huyện Cam Lâm phát triển sản phẩm OCOP")
    assert (fact["kind"], fact["amount_vnd"], fact["status"], fact["qualifier"]) == ("budget", 1_200_000_000, "target", "about")
    assert read("Năm tới, huyện dự kiến hỗ trợ 1,2 tỷ đồng làm đường giao thông.", title="Huyện Cam Lâm phát triển sản phẩm OCOP") == []


def test_an_amount_for_each_subject_is_no_budget():
    assert read("Có 12 chủ thể OCOP được hỗ trợ, mỗi chủ thể tối đa 50 triệu đồng.")[1:] == []


def test_the_number_of_subjects_is_a_total():
    fact = only("Số chủ thể có sản phẩm OCOP trong cả nước là khoảng 9.500.")
    assert (fact["kind"], fact["count"], fact["qualifier"], fact["nationwide"]) == ("subject_count", 9500, "about", True)


def test_an_upgrade_is_at_the_level_reached():
    fact = only("Năm 2026, huyện phấn đấu nâng hạng ít nhất 4 sản phẩm OCOP từ 3 sao lên 4 sao.")
    assert (fact["count"], fact["stars"], fact["status"], fact["qualifier"]) == (4, 4, "target", "over")
    assert only("Huyện có 30 sản phẩm OCOP từ 3 sao trở lên.")["stars"] is None


def test_the_margin_over_a_plan_is_no_count():
    assert brief("Năm 2025, tỉnh công nhận 25 sản phẩm OCOP, vượt kế hoạch 5 sản phẩm.") == [("product_count", 25, None)]


def test_a_level_after_in_which_belongs_to_the_part():
    facts = brief("Huyện phấn đấu có thêm 15 sản phẩm OCOP, trong đó có sản phẩm đạt 5 sao đầu tiên.")
    assert facts == [("product_count", 15, None)]
    assert brief("Huyện phấn đấu có thêm 15 sản phẩm OCOP và 2 sản phẩm đạt 5 sao.") == [
        ("product_count", 15, None), ("product_count", 2, 5)]


def test_taking_part_in_assessment_and_ranking_is_one_candidate_phrase():
    assert only("Tỉnh có 41 sản phẩm OCOP tham gia đánh giá, phân hạng cấp tỉnh.")["status"] == "candidate"
    assert only("Tỉnh có 41 sản phẩm OCOP được phân hạng cấp tỉnh.")["status"] == "achieved"


def test_the_coming_period_is_a_target_and_carrying_out_a_plan_is_not():
    assert only("Thời gian tới, tỉnh hỗ trợ 60 chủ thể OCOP bán hàng trực tuyến.")["status"] == "target"
    fact = only("Để thực hiện kế hoạch, tỉnh bố trí 9 tỷ đồng cho chương trình OCOP.")
    assert (fact["kind"], fact["status"]) == ("budget", "achieved")


def test_after_the_merger_a_district_is_read_in_its_2025_unit():
    sentence = "Huyện Cần Đước có 25 sản phẩm OCOP."
    assert only(sentence, published_at=AFTER_MERGER)["province"] == "Tây Ninh"
    assert only(sentence, published_at=BEFORE_MERGER)["province"] == "Long An"
    assert only("Tỉnh Long An cũ có 25 sản phẩm OCOP.", published_at=AFTER_MERGER)["province"] == "Long An"


def test_products_sent_to_be_considered_are_candidates():
    fact = only("Tỉnh đã gửi hồ sơ 4 sản phẩm lên Hội đồng Trung ương để xét công nhận OCOP 5 sao.")
    assert (fact["count"], fact["stars"], fact["status"]) == (4, 5, "candidate")


def test_a_breakdown_keeps_its_place_when_a_ministry_certifies():
    facts = facts_for_article(title="Bắc Ninh có thêm sản phẩm OCOP", lead=None,
                              text="Tỉnh Bắc Ninh có 600 sản phẩm OCOP.\nTrong đó, có 9 sản phẩm được Bộ Nông nghiệp "
                                   "và Môi trường công nhận đạt 5 sao.", url="https://example.vn/a", published_at=None)
    assert [(fact.count, fact.province, fact.nationwide) for fact in facts] == [(600, "Bắc Ninh", False),
                                                                                (9, "Bắc Ninh", False)]
