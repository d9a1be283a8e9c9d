"""A hand-built week of OCOP reporting (ISO week 2026-W47) for the digest tests: articles, facts and their stories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from extract.model import Article, Fact

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = "2026-W47"  # Monday 16 to Sunday 22 November 2026


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VN)


def fact(kind: str, sentence: str, number: str, **fields) -> Fact:
    """A fact whose span is the first occurrence of `number` in its sentence."""
    start = sentence.index(number)
    return Fact(kind=kind, sentence=sentence, span=(start, start + len(number)), **fields)


SOC_TRANG = dict(province="Sóc Trăng", province_current="Cần Thơ")
THAI_NGUYEN = dict(province="Thái Nguyên", province_current="Thái Nguyên")
CAN_THO = dict(province="Cần Thơ", province_current="Cần Thơ")

S_NEW = "Ngày 17/11, UBND tỉnh Sóc Trăng trao chứng nhận cho 36 sản phẩm OCOP, gồm 20 sản phẩm 3 sao và 16 sản phẩm 4 sao."
S_TOTAL = "Tính đến nay, toàn tỉnh có 250 sản phẩm đạt chuẩn OCOP."
S_BUDGET = "Năm 2026, tỉnh dành 3,8 tỉ đồng để thực hiện chương trình OCOP."
S_TEA = "Trà Tân Cương của Thái Nguyên được công nhận sản phẩm OCOP 5 sao cấp quốc gia."
S_TN_NEW = "Đợt này, Thái Nguyên công nhận thêm 12 sản phẩm OCOP 3 sao."
S_TN_TARGET = "Tỉnh phấn đấu đến năm 2030 có 500 sản phẩm OCOP."
S_NATION = "Cả nước hiện có 18.243 sản phẩm OCOP được công nhận từ 3 sao trở lên."
S_NATION_CANDIDATES = "Hiện có 15 sản phẩm đang được đề nghị đánh giá, công nhận OCOP 5 sao cấp quốc gia."
S_ST_MORE = "Sóc Trăng vừa công nhận thêm 5 sản phẩm OCOP 4 sao."
S_CAN_THO = "Cần Thơ có 92 sản phẩm đạt chuẩn OCOP."
S_NEXT_WEEK = "Sóc Trăng công nhận thêm 40 sản phẩm OCOP 3 sao."


@dataclass(frozen=True)
class SampleArticle:
    """One archived article of the sample: the extracted Article, its source and the story it belongs to.

    Texts are short (no near-duplicate signature), so the archive clusters only the exact copy of a story."""

    article: Article
    source: str
    story: str


def make_article(url: str, title: str, published_at: datetime, sentences: list[str], facts: list[Fact]) -> Article:
    return Article(url=url, canonical_url=url, is_article=True, title=title, lead=sentences[0],
                   text="\n".join(sentences), published_at=published_at, language="vi",
                   facts=tuple(facts), extractor_version="sample/1")


SOC_TRANG_FACTS = [
    fact("product_count", S_NEW, "36", count=36, status="achieved", scope="new", **SOC_TRANG),
    fact("product_count", S_NEW, "20", count=20, stars=3, status="achieved", scope="new", **SOC_TRANG),
    fact("product_count", S_NEW, "16", count=16, stars=4, status="achieved", scope="new", **SOC_TRANG),
    fact("product_count", S_TOTAL, "250", count=250, status="achieved", scope="total", **SOC_TRANG),
    fact("budget", S_BUDGET, "3,8 tỉ đồng", amount_vnd=3_800_000_000, status="achieved", year=2026, **SOC_TRANG),
]
SOC_TRANG_TITLE = "Sóc Trăng có thêm 36 sản phẩm OCOP"
SOC_TRANG_TEXT = [S_NEW, S_TOTAL, S_BUDGET]

ARTICLES = [
    # One story carried by two sites with the same text: it must count once.
    SampleArticle(make_article("https://baox.example/soc-trang-36-san-pham-ocop.html", SOC_TRANG_TITLE, at(17),
                           SOC_TRANG_TEXT, SOC_TRANG_FACTS), "baox", "soc-trang"),
    SampleArticle(make_article("https://baoy.example/tin/soc-trang-them-36-san-pham-ocop-1234.html",
                           SOC_TRANG_TITLE, at(18), SOC_TRANG_TEXT, SOC_TRANG_FACTS), "baoy", "soc-trang"),
    SampleArticle(make_article("https://baoz.example/thai-nguyen-tra-tan-cuong-5-sao.html",
                           "Trà Tân Cương <đạt> 5 sao & Thái Nguyên có thêm 12 sản phẩm OCOP", at(19),
                           [S_TEA, S_TN_NEW, S_TN_TARGET], [
        fact("product_rating", S_TEA, "Trà Tân Cương", stars=5, status="achieved", product="Trà Tân Cương", **THAI_NGUYEN),
        fact("product_count", S_TN_NEW, "12", count=12, stars=3, status="achieved", scope="new", **THAI_NGUYEN),
        fact("product_count", S_TN_TARGET, "500", count=500, status="target", year=2030, **THAI_NGUYEN),
    ]), "baoz", "thai-nguyen"),
    SampleArticle(make_article("https://baox.example/ca-nuoc-18243-san-pham-ocop.html",
                           "Cả nước có 18.243 sản phẩm OCOP", at(20), [S_NATION, S_NATION_CANDIDATES], [
        fact("product_count", S_NATION, "18.243", count=18243, status="achieved", scope="total", nationwide=True),
        fact("product_count", S_NATION_CANDIDATES, "15", count=15, stars=5, status="candidate", nationwide=True),
    ]), "baox", "nationwide"),
    # Another Sóc Trăng story later in the week: its 5 new 4-star products add up with the 16; its 250 repeats.
    SampleArticle(make_article("https://baoy.example/tin/soc-trang-them-5-san-pham-4-sao-1240.html",
                           "Sóc Trăng công nhận thêm 5 sản phẩm OCOP 4 sao", at(21), [S_ST_MORE, S_TOTAL], [
        fact("product_count", S_ST_MORE, "5", count=5, stars=4, status="achieved", scope="new", **SOC_TRANG),
        fact("product_count", S_TOTAL, "250", count=250, status="achieved", scope="total", **SOC_TRANG),
    ]), "baoy", "soc-trang-more"),
    # Before the week: only the latest-totals table shows it.
    SampleArticle(make_article("https://baoz.example/can-tho-92-san-pham-ocop.html", "Cần Thơ có 92 sản phẩm OCOP",
                           at(3), [S_CAN_THO], [
        fact("product_count", S_CAN_THO, "92", count=92, status="achieved", scope="total", **CAN_THO),
    ]), "baoz", "can-tho"),
    # After the week: the digest of 2026-W47 must not show it.
    SampleArticle(make_article("https://baox.example/soc-trang-40-san-pham.html", "Sóc Trăng công nhận 40 sản phẩm",
                           at(25), [S_NEXT_WEEK], [
        fact("product_count", S_NEXT_WEEK, "40", count=40, stars=3, status="achieved", scope="new", **SOC_TRANG),
    ]), "baox", "next-week"),
]


def store_sample(archive, articles: list[SampleArticle] = ARTICLES) -> None:
    """Put the sample into an archive through its public write path, as a crawl would."""
    from storage import FetchedPage
    for sample in articles:
        page = FetchedPage(url=sample.article.url, final_url=sample.article.url, source=sample.source, status=200,
                           headers={"content-type": "text/html; charset=utf-8"},
                           body=f"<html><title>{sample.article.title}</title></html>".encode(),
                           fetched_at=sample.article.published_at + timedelta(hours=1))
        archive.store_page(page, sample.article, relevant=True)


def in_week(articles: list[SampleArticle] = ARTICLES) -> list[SampleArticle]:
    from ocop.digest.week import parse_week
    week = parse_week(WEEK)
    return [sample for sample in articles if week.start <= sample.article.published_at < week.end]


def archived(articles: list[SampleArticle]):
    """The samples as the digest's summarizer receives them from the archive."""
    from ocop.digest.gather import ArchivedArticle
    from ocop.digest.model import ArticleRef
    return [ArchivedArticle(ArticleRef(sample.article.title, sample.article.url, sample.article.published_at,
                                       sample.source), sample.story, sample.article.facts) for sample in articles]


def latest_totals(articles: list[SampleArticle]):
    """What the archive's headline gives for these articles: per (province, stars), the last achieved total."""
    from ocop.digest.model import ArticleRef, Citation, Figure
    chosen = {}
    for sample in sorted(articles, key=lambda sample: sample.article.published_at):
        for item in sample.article.facts:
            if (item.kind, item.status, item.scope) == ("product_count", "achieved", "total"):
                ref = ArticleRef(sample.article.title, sample.article.url, sample.article.published_at, sample.source)
                chosen[(item.province, item.nationwide, item.stars)] = Figure(
                    kind=item.kind, value=item.count, citations=(Citation(ref, item.sentence),), stars=item.stars,
                    status=item.status, scope=item.scope, qualifier=item.qualifier, year=item.year,
                    province=item.province, province_current=item.province_current, nationwide=item.nationwide)
    return list(chosen.values())


def sample_digest(articles: list[SampleArticle] = ARTICLES):
    """The digest of the sample week, summarized without an archive."""
    from ocop.digest.gather import summarize
    from ocop.digest.week import parse_week
    week = parse_week(WEEK)
    until_end = [sample for sample in articles if sample.article.published_at < week.end]
    return summarize(week, archived(in_week(articles)), latest_totals(in_week(articles)), latest_totals(until_end),
                     generated_at=at(23, 7))
