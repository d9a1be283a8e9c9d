"""The sample's content: enough OCOP articles across provinces and weeks, pages that carry what each template promises,
pagination that reaches every article, and intended facts that the article text really states."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest
from lxml import html

from extract.model import FACT_KINDS, QUALIFIERS, SCOPES, STATUSES
from ocop.sample.content import expected_facts, gold_rows, load_sites
from tests.sample.client import fetch

MIN_OCOP_ARTICLES = 30
MIN_PROVINCES = 12
# What each template writes as its date line (the extractor's profiles and dateparser read these).
DATE_LINES = {
    "baonongthon": re.compile(r"^(Thứ (hai|ba|tư|năm|sáu|bảy)|Chủ nhật), \d{2}/\d{2}/\d{4} - \d{2}:\d{2}$"),
    "langnghe": re.compile(r"^\d{2}:\d{2} \| \d{2}/\d{2}/\d{4}$"),
    "tindanang": re.compile(r"^Cập nhật lúc \d{2}:\d{2}, (Thứ (hai|ba|tư|năm|sáu|bảy)|Chủ nhật), \d{2}/\d{2}/\d{4}$"),
}
DATE_LINE_XPATH = {
    "baonongthon": "//span[@class='detail__date']",
    "langnghe": "//div[@class='date-detail']",
    "tindanang": "//span[@class='posted-on']",
}
TITLE_XPATH = {
    "baonongthon": "//h1[@class='detail__title']",
    "langnghe": "//h1[@class='title-detail']",
    "tindanang": "//h1[@class='entry-title']",
}
NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3}   # the number words the sample's facts use
RECENT_WEEKS = ((2026, 46), (2026, 47), (2026, 48))   # the weeks of November 2026 a digest test may ask for


def _states_number(sentence: str, number: int) -> bool:
    """Does the sentence write `number` in digits (thousands dotted) or as a number word?"""
    digits = re.sub(r"(?<=\d)\.(?=\d{3})", "", sentence)
    words = {value for word, value in NUMBER_WORDS.items() if re.search(rf"\b{word}\b", sentence.lower())}
    return bool(re.search(rf"(?<!\d)(?<!\d[.,]){number}(?!\d|,\d)", digits)) or number in words


def ocop_articles():
    return [(site, a) for site in load_sites() for a in site.published_articles() if a.about_ocop]


def test_there_are_enough_ocop_articles_across_enough_provinces():
    articles = ocop_articles()
    assert len(articles) >= MIN_OCOP_ARTICLES
    provinces = {fact["province"] for item in expected_facts() if not item["draft"] for fact in item["facts"]}
    provinces.discard(None)
    assert len(provinces) >= MIN_PROVINCES, sorted(provinces)


def test_every_site_has_articles_the_relevance_filter_must_drop():
    for site in load_sites():
        assert any(not a.about_ocop for a in site.published_articles()), site.name


def test_dates_spread_from_2023_to_recent_weeks_of_november_2026():
    years = Counter(a.published.year for _, a in ocop_articles())
    assert set(years) >= {2023, 2024, 2025, 2026}
    weeks = Counter(tuple(a.published.isocalendar())[:2] for _, a in ocop_articles())
    for week in RECENT_WEEKS:
        assert weeks[week] >= 2, week
    assert max(a.published.date() for _, a in ocop_articles()) <= date(2026, 11, 28)


def test_star_levels_statuses_and_kinds_are_all_represented():
    facts = [fact for item in expected_facts() if not item["draft"] for fact in item["facts"]]
    assert {fact["stars"] for fact in facts} >= {3, 4, 5, None}
    assert {fact["status"] for fact in facts} == set(STATUSES)
    assert {fact["kind"] for fact in facts} == set(FACT_KINDS)
    assert any(fact["nationwide"] for fact in facts)
    assert any(fact["district"] for fact in facts)


def test_intended_facts_are_well_formed_and_stated_by_their_article():
    for site in load_sites():
        for article in site.articles:
            if article.facts:
                assert article.about_ocop, article.title
            text = article.text()
            for fact in article.facts:
                assert fact.sentence in text, (site.name, article.id, fact.sentence)
                assert fact.kind in FACT_KINDS
                assert fact.status in STATUSES
                assert fact.scope in (*SCOPES, None)
                assert fact.qualifier in (*QUALIFIERS, None)
                assert fact.stars in (3, 4, 5, None)
                assert (fact.province is None) == fact.nationwide
                if fact.kind == "budget":
                    assert fact.amount_vnd and fact.count is None
                elif fact.kind == "product_rating":
                    assert fact.product and fact.product in fact.sentence and fact.stars
                else:
                    assert fact.count is not None
                    assert fact.count == 0 or _states_number(fact.sentence, fact.count), fact.sentence


def test_gold_rows_hold_every_intended_fact_of_published_articles_once():
    rows = gold_rows()
    assert len({row["id"] for row in rows}) == len(rows)
    published = sum(len(item["facts"]) for item in expected_facts() if not item["draft"])
    assert sum(len(row["facts"]) for row in rows) == published
    for row in rows:
        assert row["facts"] and row["url"].startswith("http://") and ".sample.invalid/" in row["url"]
        assert row["context"] is None or row["text"] not in row["context"]


def test_every_province_name_is_one_the_gazetteer_knows():
    from extract.places import resolve_province

    names = {fact["province"] for item in expected_facts() for fact in item["facts"]} - {None}
    unknown = {name for name in names if (resolve_province(name) or None) is None
               or resolve_province(name).name != name}
    assert not unknown


@pytest.mark.parametrize("name", sorted(DATE_LINES))
def test_every_article_page_has_its_title_and_date_line(sites, name):
    site = sites.site(name)
    for article in site.articles:
        page = html.fromstring(fetch(sites.url(name, site.article_path(article))).body)
        (title,) = page.xpath(TITLE_XPATH[name])
        assert title.text_content().strip() == article.title
        (date_line,) = page.xpath(DATE_LINE_XPATH[name])
        line = date_line.text_content().strip()
        assert DATE_LINES[name].match(line), line
        assert article.published.strftime("%d/%m/%Y") in line and article.published.strftime("%H:%M") in line


def test_only_the_national_site_carries_json_ld(sites):
    for name in sites.names:
        site = sites.site(name)
        for article in site.published_articles():
            page = html.fromstring(fetch(sites.url(name, site.article_path(article))).body)
            blocks = [json.loads(node.text) for node in page.xpath("//script[@type='application/ld+json']")]
            if name != "baonongthon":
                assert blocks == []
                continue
            (news,) = [block for block in blocks if block["@type"] == "NewsArticle"]
            assert news["headline"] == article.title
            assert news["datePublished"] == article.published.isoformat()
            assert news["author"][0]["name"] == article.author
            assert page.xpath("string(//meta[@property='og:title']/@content)") == article.title


def _article_links(page, base: str, pattern: re.Pattern) -> set[str]:
    return {href for href in page.xpath("//a/@href") if href.startswith(base) and pattern.search(href[len(base):])}


@pytest.mark.parametrize("name", sorted(DATE_LINES))
def test_ocop_section_pages_chain_by_rel_next_to_every_ocop_article(sites, name):
    from tests.sample.test_server import registry

    source = registry(sites)[name]
    pattern = re.compile(source["article_url_pattern"])
    base = sites.bases[name]
    site = sites.site(name)
    url, pages, found = source["start_urls"][0], [], set()
    while url:
        pages.append(url)
        page = html.fromstring(fetch(url).body)
        found |= _article_links(page, base, pattern)
        following = page.xpath("//link[@rel='next']/@href")
        visible = page.xpath("//a[@rel='next']")
        assert [a.get("href") for a in visible] == following
        assert all("Trang sau" in a.text_content() for a in visible)
        url = following[0] if following else None
    assert len(pages) >= 3
    ocop_section = site.sections[0].slug
    expected = {sites.url(name, site.article_path(a)) for a in site.published_articles() if a.section == ocop_section}
    assert found - {sites.url(name, site.article_path(a)) for a in site.articles if a.draft} == expected
    assert pages[1:] == [source["pagination"].format(url=pages[0].rstrip("/"), page=n) for n in range(2, len(pages) + 1)]
