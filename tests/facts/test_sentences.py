"""Splitting article text into sentences around Vietnamese abbreviations, numbers and quotes."""

from extract.sentences import split_sentences


def test_plain_sentences():
    assert split_sentences("Tỉnh có 50 sản phẩm. Huyện có 7 sản phẩm! Vì sao? Vì chất lượng.") == [
        "Tỉnh có 50 sản phẩm.", "Huyện có 7 sản phẩm!", "Vì sao?", "Vì chất lượng.",
    ]


def test_abbreviations_do_not_end_sentences():
    text = "Theo TS. Lê Văn An và ThS. Trần Bình, TP. Huế có 30 sản phẩm. Tp. Vinh có 12."
    assert split_sentences(text) == ["Theo TS. Lê Văn An và ThS. Trần Bình, TP. Huế có 30 sản phẩm.", "Tp. Vinh có 12."]


def test_numbers_and_initials_do_not_end_sentences():
    text = "Cả nước có 18.243 sản phẩm, ông Nguyễn V. Bình cho biết. Kinh phí là 3,5 tỷ đồng."
    assert split_sentences(text) == ["Cả nước có 18.243 sản phẩm, ông Nguyễn V. Bình cho biết.", "Kinh phí là 3,5 tỷ đồng."]


def test_closing_quotes_stay_with_their_sentence():
    text = "Ông nói: “Chúng tôi có 20 sản phẩm.” Sau đó hội nghị bế mạc."
    assert split_sentences(text) == ["Ông nói: “Chúng tôi có 20 sản phẩm.”", "Sau đó hội nghị bế mạc."]


def test_lower_case_after_a_dot_continues():
    assert split_sentences("Đạt 3 sao. tiếp tục") == ["Đạt 3 sao. tiếp tục"]


def test_line_breaks_end_sentences_and_blank_text_has_none():
    assert split_sentences("Tiêu đề không dấu chấm\nĐoạn văn.\n\n") == ["Tiêu đề không dấu chấm", "Đoạn văn."]
    assert split_sentences("") == [] and split_sentences(None) == []
