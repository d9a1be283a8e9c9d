"""Property tests: the extractor never raises, and every span reads as the number or name it claims."""

import logging

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.facts import extract_facts, facts_for_article
from extract.numbers import read_quantity

WORDS = [
    "Cần Thơ", "tỉnh", "huyện Ninh Kiều", "có", "đạt", "hơn", "gần", "khoảng", "từ", "đến", "trở lên", "sản phẩm",
    "chủ thể", "HTX", "OCOP", "3 sao", "4 sao", "5 sao", "cấp quốc gia", "phấn đấu", "tiềm năng", "trong đó",
    "gồm", "của", "Công ty", "(", ")", ";", ",", ".", "“", "”", "chưa có", "hai", "mười lăm", "18.243", "3,8",
    "tỷ đồng", "triệu đồng", "dành", "năm 2024", "2021-2025", "-", "cả nước", "xã Tân Phú", "mỗi địa phương",
    "Trà Tân Cương", "thêm", "lũy kế", "Quyết định số", "1.000", "02", "400 - 500",
]
vietnamese_text = st.lists(st.sampled_from(WORDS) | st.from_regex(r"\d{1,5}", fullmatch=True), max_size=40).map(" ".join)
anything = st.text(max_size=300)


@settings(max_examples=300, deadline=None)
@given(sentence=anything | vietnamese_text, title=st.none() | anything, url=st.none() | anything,
       context=st.none() | anything | vietnamese_text)
def test_never_raises(sentence, title, url, context):
    """Not even inside: extract_facts logs and swallows a failure of its rules, so none may be logged."""
    failures = _Failures()
    logger = logging.getLogger("extract.facts")
    logger.addHandler(failures)
    try:
        facts = extract_facts(sentence, title=title, url=url, context=context)
    finally:
        logger.removeHandler(failures)
    assert isinstance(facts, list)
    assert failures.records == []


class _Failures(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


@settings(max_examples=400, deadline=None)
@given(sentence=vietnamese_text, context=st.none() | vietnamese_text)
def test_spans_read_as_what_they_claim(sentence, context):
    for fact in extract_facts(sentence, title="Chương trình OCOP", context=context):
        start, end = fact.span
        assert 0 <= start < end <= len(sentence)
        written = sentence[start:end]
        if fact.kind == "product_rating":
            assert written == fact.product
        elif fact.kind == "budget":
            assert fact.amount_vnd is not None and read_quantity(written) is not None
        else:
            assert read_quantity(written) == fact.count


@settings(max_examples=100, deadline=None)
@given(title=st.none() | anything, lead=st.none() | anything, text=st.none() | anything | vietnamese_text,
       url=st.none() | anything)
def test_articles_never_raise(title, lead, text, url):
    assert isinstance(facts_for_article(title=title, lead=lead, text=text, url=url, published_at=None), tuple)
