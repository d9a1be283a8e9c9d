"""Hand-made pages, articles and facts for the storage tests (the figures are real; the sentences are ours)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from extract.model import Article, Fact
from storage import FetchedPage

FETCHED_AT = datetime(2025, 6, 2, 3, 0, tzinfo=timezone.utc)
EXTRACTOR = "test-1/test-1"

FILLER = ("Chương trình Mỗi xã một sản phẩm được triển khai từ năm 2018 nhằm phát triển kinh tế nông thôn "
          "theo hướng nâng cao giá trị sản phẩm địa phương, gắn với xây dựng nông thôn mới và du lịch cộng đồng. "
          "Các chủ thể tham gia được hỗ trợ về thiết kế bao bì, truy xuất nguồn gốc và xúc tiến thương mại "
          "tại các hội chợ trong và ngoài tỉnh.")


def fact(sentence: str, number: str, **fields) -> Fact:
    """A fact whose span points at `number` in `sentence`."""
    start = sentence.index(number)
    return Fact(sentence=sentence, span=(start, start + len(number)), **fields)


def article(url: str, title: str, sentences: list[str], facts: tuple[Fact, ...] = (),
            published_at: datetime | None = FETCHED_AT - timedelta(days=1), extractor_version: str = EXTRACTOR,
            filler: str = FILLER, canonical_url: str | None = None) -> Article:
    return Article(url=url, canonical_url=canonical_url or url, is_article=True, title=title,
                   lead=sentences[0] if sentences else None, text="\n".join([*sentences, filler]),
                   published_at=published_at, language="vi", facts=facts, extractor_version=extractor_version)


def page(url: str, body: str | bytes = "<html>page</html>", *, source: str = "langngheviet", status: int = 200,
         fetched_at: datetime = FETCHED_AT, run_id: int | None = None, headers: dict | None = None) -> FetchedPage:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return FetchedPage(url=url, final_url=url, source=source, status=status,
                       headers=headers or {"Content-Type": "text/html; charset=utf-8"}, body=data,
                       fetched_at=fetched_at, run_id=run_id)


def achieved_totals(sentence: str, total: int, four_star: int, province: str, province_current: str
                    ) -> tuple[Fact, Fact]:
    """A province's achieved total of OCOP products and its 4-star part, both read from one sentence."""
    where = {"kind": "product_count", "status": "achieved", "scope": "total", "province": province,
             "province_current": province_current}
    return (fact(sentence, str(total), count=total, **where),
            fact(sentence, str(four_star), count=four_star, stars=4, **where))


CAN_THO_SENTENCE = "Đến nay, thành phố Cần Thơ có 92 sản phẩm đạt chuẩn OCOP, trong đó có 10 sản phẩm 4 sao."
CAN_THO_FACTS = achieved_totals(CAN_THO_SENTENCE, 92, 10, "Cần Thơ", "Cần Thơ")
SOC_TRANG_SENTENCE = "Tỉnh Sóc Trăng hiện có 143 sản phẩm OCOP, trong đó 21 sản phẩm đạt 4 sao."
SOC_TRANG_FACTS = achieved_totals(SOC_TRANG_SENTENCE, 143, 21, "Sóc Trăng", "Cần Thơ")
DONG_THAP_SENTENCE = "Đồng Tháp phấn đấu đến năm 2025 có thêm 50 sản phẩm OCOP 3 sao trở lên."
DONG_THAP_FACTS = (
    fact(DONG_THAP_SENTENCE, "50", kind="product_count", count=50, status="target", scope="new",
         province="Đồng Tháp", province_current="Đồng Tháp", year=2025),
)


def can_tho(url: str = "https://langngheviet.com.vn/can-tho-92-san-pham-ocop-1.html", **changes) -> Article:
    return replace(article(url, "Cần Thơ có 92 sản phẩm đạt chuẩn OCOP", [CAN_THO_SENTENCE], CAN_THO_FACTS), **changes)


def soc_trang(url: str = "https://baosoctrang.vn/ocop-143-san-pham-2.html", **changes) -> Article:
    return replace(article(url, "Sóc Trăng có 143 sản phẩm OCOP", [SOC_TRANG_SENTENCE], SOC_TRANG_FACTS,
                           published_at=FETCHED_AT - timedelta(days=30)), **changes)


def dong_thap(url: str = "https://baodongthap.vn/ocop-muc-tieu-3.html", **changes) -> Article:
    return replace(article(url, "Đồng Tháp đặt mục tiêu phát triển sản phẩm OCOP", [DONG_THAP_SENTENCE],
                           DONG_THAP_FACTS), **changes)
