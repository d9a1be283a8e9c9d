"""Vietnamese numbers: digits with dot thousands, number words, ranges, money and qualifiers."""

import pytest

from extract.numbers import find_money, find_numbers, number_before, qualifier_before, read_digits, read_quantity, read_words


@pytest.mark.parametrize("token, value", [
    ("18.243", 18243), ("1.054", 1054), ("10.000", 10000), ("92", 92), ("02", 2), ("3,8", 3.8),
    ("12.221", 12221), ("1.000.000", 1000000), ("2.5", 2.5),
])
def test_digits(token, value):
    assert read_digits(token) == value


def test_not_digits():
    assert read_digits("abc") is None


@pytest.mark.parametrize("phrase, value", [
    ("một", 1), ("hai", 2), ("bốn", 4), ("mười", 10), ("mười lăm", 15), ("hai mươi", 20),
    ("hai mươi mốt", 21), ("ba mươi tư", 34), ("một trăm", 100), ("một trăm linh năm", 105),
    ("hai nghìn", 2000), ("Hai", 2),
])
def test_number_words(phrase, value):
    assert read_words(phrase) == value


@pytest.mark.parametrize("phrase", ["tư", "lăm", "hai ba", "mươi", "sản phẩm", ""])
def test_not_number_words(phrase):
    assert read_words(phrase) is None


def test_some_products_is_no_number():
    assert find_numbers("một số sản phẩm và vài chủ thể") == []


def test_the_year_is_not_the_word_five():
    assert [mention.value for mention in find_numbers("năm 2024")] == [2024]


@pytest.mark.parametrize("text, qualifier", [
    ("hơn 1.000 sản phẩm", "over"), ("trên 19 sản phẩm", "over"), ("vượt 50", "over"),
    ("ít nhất 310 sản phẩm", "over"), ("tối thiểu 12", "over"), ("từ 40 sản phẩm trở lên", "over"),
    ("gần 500 sản phẩm", "under"), ("dưới 30", "under"), ("chưa đến 20", "under"),
    ("khoảng 70 sản phẩm", "about"), ("xấp xỉ 1.200", "about"), ("chừng 15", "about"),
    ("có 70 sản phẩm", None), ("đến từ 448 chủ thể", None),
])
def test_qualifiers(text, qualifier):
    (mention,) = [m for m in find_numbers(text) if m.value >= 10]
    assert mention.qualifier == qualifier


def test_qualifier_position():
    text = "có khoảng 400 sản phẩm"
    assert qualifier_before(text, text.index("400")) == ("about", text.index("khoảng"))


@pytest.mark.parametrize("text, value, upper, qualifier", [
    ("khoảng 300 - 350 sản phẩm", 300, 350, "about"),
    ("từ 600 đến 1.000 sản phẩm", 600, 1000, "over"),
    ("có 1-2 sản phẩm", 1, 2, "over"),
])
def test_ranges_read_as_their_lower_bound(text, value, upper, qualifier):
    (mention,) = find_numbers(text)
    assert (mention.value, mention.upper, mention.qualifier) == (value, upper, qualifier)
    assert text[mention.start:mention.end] == str(value)


@pytest.mark.parametrize("text, amount", [
    ("dành 3,8 tỉ đồng", 3_800_000_000), ("dành 3,8 tỷ đồng", 3_800_000_000),
    ("bố trí 500 triệu đồng", 500_000_000), ("hơn 2 tỷ 500 triệu đồng", 2_500_000_000),
    ("kinh phí 750.000.000 đồng", 750_000_000), ("hai tỷ đồng", 2_000_000_000),
])
def test_money(text, amount):
    (money,) = find_money(text)
    assert money.amount_vnd == amount


def test_money_span_is_the_number():
    text = "Năm 2023, tỉnh dành 3,8 tỉ đồng cho chương trình"
    (money,) = find_money(text)
    assert text[money.start:money.end] == "3,8"


def test_number_before_a_noun():
    text = "tỉnh có hơn 1.250 sản phẩm"
    mention = number_before(text, text.index(" sản phẩm") + 1)
    assert (mention.value, mention.qualifier, text[mention.start:mention.end]) == (1250, "over", "1.250")
    assert number_before("các sản phẩm", 4) is None


@pytest.mark.parametrize("text, value", [("chưa có", 0), ("18.243", 18243), ("mười hai", 12), ("3,8", 3.8)])
def test_read_quantity_reads_back_every_kind_of_span(text, value):
    assert read_quantity(text) == value
