"""The gazetteer (extract.places): units before and after 1 July 2025, the merger, spellings, districts."""

import pytest

from extract.places import (
    NEW_PROVINCES,
    OLD_PROVINCES,
    current_unit,
    find_communes,
    find_districts,
    find_provinces,
    matching_names,
    resolve_province,
)
from extract.text import fold, normalize

# The merger table of shared/spec/provinces-2025.md, by name: new unit (with its new code) <- old units
# (with their old GSO codes). Written out here so that the packages' data is checked against the spec.
SPEC_MERGER = {
    ("Hà Nội", "01"): {"Hà Nội": "01"},
    ("Cao Bằng", "04"): {"Cao Bằng": "04"},
    ("Tuyên Quang", "08"): {"Hà Giang": "02", "Tuyên Quang": "08"},
    ("Điện Biên", "11"): {"Điện Biên": "11"},
    ("Lai Châu", "12"): {"Lai Châu": "12"},
    ("Sơn La", "14"): {"Sơn La": "14"},
    ("Lào Cai", "15"): {"Lào Cai": "10", "Yên Bái": "15"},
    ("Thái Nguyên", "19"): {"Bắc Kạn": "06", "Thái Nguyên": "19"},
    ("Lạng Sơn", "20"): {"Lạng Sơn": "20"},
    ("Quảng Ninh", "22"): {"Quảng Ninh": "22"},
    ("Bắc Ninh", "24"): {"Bắc Giang": "24", "Bắc Ninh": "27"},
    ("Phú Thọ", "25"): {"Hoà Bình": "17", "Phú Thọ": "25", "Vĩnh Phúc": "26"},
    ("Hải Phòng", "31"): {"Hải Dương": "30", "Hải Phòng": "31"},
    ("Hưng Yên", "33"): {"Hưng Yên": "33", "Thái Bình": "34"},
    ("Ninh Bình", "37"): {"Hà Nam": "35", "Nam Định": "36", "Ninh Bình": "37"},
    ("Thanh Hóa", "38"): {"Thanh Hóa": "38"},
    ("Nghệ An", "40"): {"Nghệ An": "40"},
    ("Hà Tĩnh", "42"): {"Hà Tĩnh": "42"},
    ("Quảng Trị", "44"): {"Quảng Bình": "44", "Quảng Trị": "45"},
    ("Huế", "46"): {"Huế": "46"},
    ("Đà Nẵng", "48"): {"Đà Nẵng": "48", "Quảng Nam": "49"},
    ("Quảng Ngãi", "51"): {"Quảng Ngãi": "51", "Kon Tum": "62"},
    ("Gia Lai", "52"): {"Bình Định": "52", "Gia Lai": "64"},
    ("Khánh Hòa", "56"): {"Khánh Hòa": "56", "Ninh Thuận": "58"},
    ("Đắk Lắk", "66"): {"Phú Yên": "54", "Đắk Lắk": "66"},
    ("Lâm Đồng", "68"): {"Bình Thuận": "60", "Đắk Nông": "67", "Lâm Đồng": "68"},
    ("Đồng Nai", "75"): {"Bình Phước": "70", "Đồng Nai": "75"},
    ("Hồ Chí Minh", "79"): {"Bình Dương": "74", "Bà Rịa - Vũng Tàu": "77", "Hồ Chí Minh": "79"},
    ("Tây Ninh", "80"): {"Tây Ninh": "72", "Long An": "80"},
    ("Đồng Tháp", "82"): {"Tiền Giang": "82", "Đồng Tháp": "87"},
    ("Vĩnh Long", "86"): {"Bến Tre": "83", "Trà Vinh": "84", "Vĩnh Long": "86"},
    ("An Giang", "91"): {"An Giang": "89", "Kiên Giang": "91"},
    ("Cần Thơ", "92"): {"Cần Thơ": "92", "Hậu Giang": "93", "Sóc Trăng": "94"},
    ("Cà Mau", "96"): {"Bạc Liêu": "95", "Cà Mau": "96"},
}


def test_package_data_has_63_old_and_34_new_units():
    assert len(OLD_PROVINCES) == 63 and len({unit.name for unit in OLD_PROVINCES}) == 63
    assert len(NEW_PROVINCES) == 34 and len({unit.name for unit in NEW_PROVINCES}) == 34
    assert {unit.era for unit in OLD_PROVINCES} == {"old"}
    assert {unit.era for unit in NEW_PROVINCES} == {"new"}


def test_new_units_and_their_codes_agree_with_the_spec():
    assert {(unit.name, unit.code) for unit in NEW_PROVINCES} == {
        (normalize(name), code) for name, code in SPEC_MERGER
    }


def test_old_units_their_codes_and_their_2025_unit_agree_with_the_spec():
    expected = {
        (normalize(old_name), old_code, normalize(new_name))
        for (new_name, _), old_units in SPEC_MERGER.items()
        for old_name, old_code in old_units.items()
    }
    assert {(unit.name, unit.code, unit.current) for unit in OLD_PROVINCES} == expected


def test_codes_are_not_a_join_key_between_eras():
    """The spec's warning: a new unit reuses the code of the old unit hosting its capital."""
    new_by_code = {unit.code: unit.name for unit in NEW_PROVINCES}
    gia_lai_old = resolve_province("Gia Lai")
    assert gia_lai_old.code == "64" and resolve_province("Gia Lai", era="new").code == "52"
    assert new_by_code["52"] == "Gia Lai" and resolve_province("Bình Định").code == "52"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Cần Thơ", "Cần Thơ"),
        ("thành phố Cần Thơ", "Cần Thơ"),
        ("TP. Cần Thơ", "Cần Thơ"),
        ("TP Cần Thơ", "Cần Thơ"),
        ("can tho", "Cần Thơ"),
        ("CẦN THƠ", "Cần Thơ"),
        ("tỉnh Sóc Trăng", "Sóc Trăng"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("TPHCM", "Hồ Chí Minh"),
        ("HCM", "Hồ Chí Minh"),
        ("Sài Gòn", "Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thừa Thiên - Huế", "Huế"),
        ("Thừa Thiên Huế", "Huế"),
        ("Huế", "Huế"),
        ("Đắk Lắk", "Đắk Lắk"),
        ("Đăk Lăk", "Đắk Lắk"),
        ("Daklak", "Đắk Lắk"),
        ("Đăk Nông", "Đắk Nông"),
        ("Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Hoà Bình", "Hòa Bình"),
        ("Hòa Bình", "Hòa Bình"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Hà Nội", "Hà Nội"),
        ("Thủ đô Hà Nội", "Hà Nội"),
        ("(Cần Thơ)", "Cần Thơ"),
        ("“Sóc Trăng”:", "Sóc Trăng"),
    ],
)
def test_resolve_province_any_spelling(written, canonical):
    assert resolve_province(written).name == canonical


@pytest.mark.parametrize("text", ["", "Thành phố", "tỉnh", "Nam", "Bình", "OCOP", "Hà Nam Ninh"])
def test_resolve_province_refuses_what_is_no_province(text):
    assert resolve_province(text) is None


@pytest.mark.parametrize(
    ("name", "current"),
    [
        ("Sóc Trăng", "Cần Thơ"),
        ("Cần Thơ", "Cần Thơ"),
        ("Thừa Thiên Huế", "Huế"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("Hoà Bình", "Phú Thọ"),
        ("Kon Tum", "Quảng Ngãi"),
        ("bac kan", "Thái Nguyên"),
        ("Atlantis", None),
    ],
)
def test_current_unit(name, current):
    assert current_unit(name) == current


def test_matching_names_of_a_2025_unit_include_the_units_merged_into_it():
    assert matching_names("Cần Thơ") == {"Cần Thơ", "Hậu Giang", "Sóc Trăng"}
    assert matching_names("can tho") == {"Cần Thơ", "Hậu Giang", "Sóc Trăng"}
    assert matching_names("TP.HCM") == {"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}
    assert matching_names("Hà Nội") == {"Hà Nội"}


def test_matching_names_of_an_abolished_unit_is_that_unit():
    assert matching_names("Sóc Trăng") == {"Sóc Trăng"}
    assert matching_names("nowhere") == set()


def _provinces_in(sentence):
    return [(mention.province.name, sentence[mention.start:mention.end]) for mention in find_provinces(sentence)]


def test_find_provinces_with_offsets_and_prefixes():
    sentence = normalize("Tỉnh Sóc Trăng, TP. Cần Thơ và Hậu Giang có 92 sản phẩm OCOP.")
    assert _provinces_in(sentence) == [("Sóc Trăng", "Sóc Trăng"), ("Cần Thơ", "Cần Thơ"), ("Hậu Giang", "Hậu Giang")]


def test_find_provinces_accepts_unaccented_and_variant_spellings():
    assert [name for name, _ in _provinces_in("San pham OCOP cua Can Tho va Dak Lak")] == ["Cần Thơ", "Đắk Lắk"]
    assert [name for name, _ in _provinces_in(normalize("Tại TP.HCM, Thừa Thiên - Huế và Đăk Lăk"))] == [
        "Hồ Chí Minh", "Huế", "Đắk Lắk",
    ]


def test_capitals_and_datelines():
    assert _provinces_in("CẦN THƠ - Thành phố vừa công nhận 15 sản phẩm OCOP.") == [("Cần Thơ", "CẦN THƠ")]
    assert [name for name, _ in _provinces_in("THÀNH PHỐ HỒ CHÍ MINH CÓ 100 SẢN PHẨM")] == ["Hồ Chí Minh"]


def test_longest_name_wins():
    assert [name for name, _ in _provinces_in("tỉnh Bà Rịa - Vũng Tàu có 50 sản phẩm")] == ["Bà Rịa - Vũng Tàu"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Tính đến nay, Thành phố có 66 sản phẩm OCOP.",
        "Toàn tỉnh có 120 sản phẩm OCOP.",
        "Hội nghị vì hòa bình và phát triển.",
        "Học tập và làm theo tư tưởng Hồ Chí Minh.",
        "Ông được tặng Huân chương Hồ Chí Minh.",
        "Bà Nguyễn Thị Huế, chủ cơ sở sản xuất, cho biết.",
        "Theo chị Huế, sản phẩm bán chạy.",
        "Ông Nguyễn Văn Long An phát biểu.",
        "Giám đốc Trần Thái Bình cho biết.",
        "Các nước ven Thái Bình Dương.",
        "Tỉnh Hà Nam Ninh cũ.",
        "Huyện Phú Yên có 5 sản phẩm OCOP.",
        "Xã Long An đạt chuẩn nông thôn mới.",
        "Sản phẩm của huyện Thạnh Hóa rất ngon.",
    ],
)
def test_find_provinces_ignores_what_is_not_a_province(sentence):
    assert find_provinces(normalize(sentence)) == []


def test_a_word_spelled_like_a_prefix_without_its_diacritics_is_no_prefix():
    # "cơ quan" is not "quận": Hà Nội stays a province here.
    assert [name for name, _ in _provinces_in("Các cơ quan Hà Nội đã tham gia.")] == ["Hà Nội"]


def test_sentences_that_skipped_normalize_still_match_old_style_tones():
    assert _provinces_in("Tỉnh Khánh Hoà và Thanh Hoá") == [("Khánh Hòa", "Khánh Hoà"), ("Thanh Hóa", "Thanh Hoá")]
    assert [(name, owner) for name, owner, _ in _districts_in("Huyện Thạnh Hoá có 5 sản phẩm.")] == [
        ("Thạnh Hóa", "Long An")
    ]


def test_names_must_be_whole_words():
    assert find_provinces("Sản phẩm Cần Thơm và Sóc Trăngx") == []


def _districts_in(sentence):
    return [
        (mention.name, mention.province.name if mention.province else None, sentence[mention.start:mention.end])
        for mention in find_districts(sentence)
    ]


@pytest.mark.parametrize(
    ("sentence", "district", "province"),
    [
        ("Sản phẩm của huyện Đak Pơ được công nhận.", "Đăk Pơ", "Gia Lai"),
        ("Quận Ninh Kiều có 10 sản phẩm.", "Ninh Kiều", "Cần Thơ"),
        ("Huyện Cầu Kè có 37 sản phẩm OCOP.", "Cầu Kè", "Trà Vinh"),
        ("Thị xã Duyên Hải có 3 sản phẩm.", "Duyên Hải", "Trà Vinh"),
        ("Huyện Thạnh Hóa có 5 sản phẩm.", "Thạnh Hóa", "Long An"),
        ("Huyện Hòa Bình có 7 sản phẩm.", "Hòa Bình", "Bạc Liêu"),
        ("Thành phố Hòa Bình có 7 sản phẩm.", "Hòa Bình", "Hòa Bình"),
        ("Huyện Châu Thành, tỉnh Bến Tre có 9 sản phẩm.", "Châu Thành", "Bến Tre"),
        ("Ninh Kiều có 10 sản phẩm.", "Ninh Kiều", "Cần Thơ"),
        ("Sản phẩm của H. Cầu Kè.", "Cầu Kè", "Trà Vinh"),
    ],
)
def test_find_districts(sentence, district, province):
    found = _districts_in(normalize(sentence))
    assert [(name, owner) for name, owner, _ in found] == [(district, province)]


def test_districts_listed_after_one_prefix():
    sentence = "Các huyện Châu Thành, Chợ Gạo và Gò Công Tây của tỉnh Tiền Giang có 30 sản phẩm."
    assert [(name, owner) for name, owner, _ in _districts_in(sentence)] == [
        ("Châu Thành", "Tiền Giang"), ("Chợ Gạo", "Tiền Giang"), ("Gò Công Tây", "Tiền Giang"),
    ]
    assert [name for name, _, _ in _districts_in("Huyện Cầu Kè, Trà Vinh có 37 sản phẩm.")] == ["Cầu Kè"]


def test_district_offsets_point_at_the_name_without_prefix():
    sentence = "Huyện Đak Pơ có 5 sản phẩm."
    (mention,) = find_districts(sentence)
    assert sentence[mention.start:mention.end] == "Đak Pơ"
    assert mention.prefix == "Huyện"


def test_a_district_name_of_several_provinces_gives_candidates_only():
    (mention,) = find_districts("Huyện Châu Thành có 9 sản phẩm.")
    assert mention.province is None
    assert {"Bến Tre", "Tiền Giang", "An Giang"} <= {unit.name for unit in mention.candidates}


@pytest.mark.parametrize(
    "sentence",
    [
        "Ông Nguyễn Thanh Bình cho biết.",
        "Tỉnh Bến Tre có 9 sản phẩm.",
        "Tỉnh Bà Rịa - Vũng Tàu có 9 sản phẩm.",
        "Có 5 sản phẩm 4 sao và 3 sản phẩm 3 sao.",
        "Cầu kè là cây cầu nhỏ.",
    ],
)
def test_find_districts_ignores_what_is_not_a_district(sentence):
    assert find_districts(normalize(sentence)) == []


def test_unaccented_district_with_prefix():
    assert [(name, owner) for name, owner, _ in _districts_in("huyen Cau Ke, Tra Vinh")] == [("Cầu Kè", "Trà Vinh")]


def test_a_numbered_district_keeps_its_kind_in_its_name():
    sentence = "Tại phố đi bộ Nguyễn Huệ (quận 1), TPHCM."
    (mention,) = find_districts(sentence)
    assert (mention.name, mention.province.name, sentence[mention.start:mention.end]) == ("Quận 1", "Hồ Chí Minh", "1")


def _communes_in(sentence):
    return [
        (mention.name, mention.province.name if mention.province else None, sentence[mention.start:mention.end])
        for mention in find_communes(sentence)
    ]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Sản phẩm của HTX Đá Hen, phường Hải Lĩnh đạt 4 sao.", [("Hải Lĩnh", "Thanh Hóa", "Hải Lĩnh")]),
        ("Hộ kinh doanh Xã Quảng Bình đạt 3 sao.", [("Quảng Bình", "Thanh Hóa", "Quảng Bình")]),
        ("Chè của xã Đồng Lương, tỉnh Phú Thọ.", [("Đồng Lương", "Phú Thọ", "Đồng Lương")]),
        ("Chè của xã Đồng Lương đạt 4 sao.", [("Đồng Lương", None, "Đồng Lương")]),
        ("Phường 3, thành phố Sóc Trăng.", [("Phường 3", "Sóc Trăng", "3")]),
        ("Thị trấn Cầu Kè có 5 sản phẩm.", [("Cầu Kè", "Trà Vinh", "Cầu Kè")]),
        ("Đặc khu Phú Quốc có 20 sản phẩm.", [("Phú Quốc", "An Giang", "Phú Quốc")]),
        ("Công tác xã hội hóa được đẩy mạnh.", []),
        (
            "Các xã Tân Phú, Tân Hòa và Phú Lộc, tỉnh Đồng Nai.",
            [("Tân Phú", "Đồng Nai", "Tân Phú"), ("Tân Hòa", "Đồng Nai", "Tân Hòa"), ("Phú Lộc", "Đồng Nai", "Phú Lộc")],
        ),
        ("Chè của xã Đồng Lương, Phú Thọ.", [("Đồng Lương", "Phú Thọ", "Đồng Lương")]),
        ("Không có xã nào chưa có sản phẩm.", []),
    ],
)
def test_find_communes(sentence, found):
    assert _communes_in(sentence) == found


def test_a_commune_of_several_provinces_gives_its_candidates():
    (mention,) = find_communes("Chè của xã Đồng Lương đạt 4 sao.")
    assert {unit.name for unit in mention.candidates} == {"Phú Thọ", "Thanh Hóa"}


def test_former_districts_of_places_toml_are_the_packages_alias_keys():
    """Each hand-written former district is an alias key, in the package, of a district of its province."""
    import json
    import tomllib

    from extract.places import RULES_PATH, query_admin_units

    rows = query_admin_units(
        "SELECT DISTINCT provinceShort, districtAlias FROM admin_units_legacy WHERE districtAlias IS NOT NULL"
    )
    alias_keys = {(normalize(row["provinceShort"]), key) for row in rows for key in json.loads(row["districtAlias"])}
    former = tomllib.loads(RULES_PATH.read_text(encoding="utf-8"))["former_districts"]
    for name, (kind, province) in former.items():
        bare = name[len(kind):].strip() if name.startswith(kind + " ") else name
        key = fold(bare).replace(" ", "")
        assert (province, key) in alias_keys or (province, fold(name).replace(" ", "")) in alias_keys, name


def test_a_former_district_resolves_to_its_province():
    (mention,) = find_districts("Sản phẩm của huyện Hoành Bồ đạt 3 sao.")
    assert (mention.name, mention.province.name) == ("Hoành Bồ", "Quảng Ninh")
