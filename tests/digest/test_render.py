"""Rendering the digest: Markdown, HTML and JSON in Vietnamese and English, with a citation for every number."""

import json
import re
from html.parser import HTMLParser

import pytest

from ocop.digest.gather import summarize
from ocop.digest.render import render
from ocop.digest.week import parse_week
from tests.digest.sample_week import ARTICLES, WEEK, at, in_week, sample_digest

NOT_FIGURES = re.compile(r"\d sao|\d stars|\d★|(?:năm|by|in) \d{4}|\d{2}/\d{2}/\d{4}|\d{1,2} \w{3} \d{4}")
FOOTNOTE_REFERENCE = re.compile(r"\[\^(\d+)\](?!:)")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^(\d+)\]: “(.+)” \(\w+ \[(.+)\]\((https://[^)]+)\), (\w+), (.+)\)$", re.M)


@pytest.fixture(scope="module")
def digest():
    return sample_digest()


def week_sentences():
    return {item.sentence for sample in in_week(ARTICLES) for item in sample.article.facts}


@pytest.mark.parametrize("language, thousands, money", [("vi", "18.243", "3,8 tỷ đồng"),
                                                          ("en", "18,243", "VND 3.8 billion")])
def test_markdown_numbers_and_places(digest, language, thousands, money):
    text = render(digest, "md", language)
    assert thousands in text and money in text
    assert "Sóc Trăng (nay thuộc Cần Thơ)" in text if language == "vi" else "Sóc Trăng (now part of Cần Thơ)" in text
    assert ("16/11/2026" if language == "vi" else "16 Nov 2026") in text
    assert "| Sóc Trăng | Cần Thơ | 36[^" in text
    assert "21[^" in text  # 16 + 5 new 4-star products in Sóc Trăng, each part cited
    assert "soc-trang-40-san-pham" not in text and "40 sản phẩm" not in text  # published after the week


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_number_in_markdown_has_a_footnote_with_title_url_and_date(digest, language):
    text = render(digest, "md", language)
    body = text.split("\n## ", 1)[1]
    defined = {int(match[1]): match for match in FOOTNOTE_DEFINITION.finditer(text)}
    figures_text = body[:body.index("[^1]:")]
    checked = 0
    for line in figures_text.splitlines():
        if not line.startswith(("| ", "- ")) or line.startswith("| Tỉnh") or line.startswith("| Province"):
            continue
        for segment in re.split(r"[|;]", line):
            if re.search(r"\d", NOT_FIGURES.sub("", FOOTNOTE_REFERENCE.sub("", segment))):
                checked += 1
                references = [int(number) for number in FOOTNOTE_REFERENCE.findall(segment)]
                assert references, f"uncited number in {segment!r}"
                assert all(number in defined for number in references)
    assert checked >= 12
    assert set(range(1, len(defined) + 1)) == set(defined)
    cited = {match[2] for match in defined.values()}
    assert week_sentences() <= cited  # every fact of the week is cited somewhere
    assert all(match[6][0].isdigit() for match in defined.values())  # a date


@pytest.mark.parametrize("language", ["vi", "en"])
def test_stories_listed_once_with_their_copies(digest, language):
    text = render(digest, "md", language)
    stories = re.findall(r"^\d+\. \[", text, re.M)
    assert len(stories) == 4
    # the copy appears once, in the "also reported by" of its story, not as a story of its own
    assert text.count("](https://baoy.example/tin/soc-trang-them-36-san-pham-ocop-1234.html)") == 1
    copy_line = next(line for line in text.splitlines() if "soc-trang-them-36" in line)
    assert copy_line.startswith("1. [Sóc Trăng có thêm 36")


class Page(HTMLParser):
    """Collects what the HTML tests look at."""

    def __init__(self):
        super().__init__()
        self.tags, self.cells, self.evidence, self.stack = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self.stack.append((tag, attributes, []))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, attributes, parts = self.stack.pop()
            if self.stack:
                self.stack[-1][2].extend(parts + [(open_tag, attributes)])
            if open_tag == "td" and attributes.get("class") == "n":
                self.cells.append(parts)
            if open_tag == "li" and attributes.get("id", "").startswith("e"):
                self.evidence.append(parts)
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2].append(data)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_html_is_self_contained_escaped_and_cited(digest, language):
    html = render(digest, "html", language)
    page = Page()
    page.feed(html)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert not [attributes for tag, attributes in page.tags if attributes.get("src")]
    assert f'<html lang="{language}">' in html
    assert "<svg" in html and "Sóc Trăng" in html.split("<svg", 1)[1]  # the chart names the province
    assert "<đạt>" not in html and "Trà Tân Cương &lt;đạt&gt; 5 sao &amp; Thái Nguyên" in html
    filled = [cell for cell in page.cells if any(isinstance(part, str) and part.strip() for part in cell)]
    assert len(filled) == 7  # new: Sóc Trăng 36, 20, 21 and Thái Nguyên 12; totals: country, Sóc Trăng, Cần Thơ
    for cell in filled:
        assert any(isinstance(part, tuple) and part[0] == "sup" and part[1].get("class") == "cite" for part in cell)
    sentences = {part.strip("“”") for entry in page.evidence for part in entry if isinstance(part, str)}
    assert week_sentences() <= sentences
    for entry in page.evidence:
        assert any(isinstance(part, tuple) and part[0] == "a" and part[1]["href"].startswith("https://")
                   for part in entry)


def test_json_has_a_stable_shape_and_every_figure_is_cited(digest):
    data = json.loads(render(digest, "json", "vi"))
    assert json.loads(render(digest, "json", "en")) == data
    assert data["schema"] == "ocop-digest/1"
    assert data["week"] == {"iso": WEEK, "start": "2026-11-16", "end": "2026-11-22", "timezone": "Asia/Ho_Chi_Minh"}
    assert data["summary"] == {"articles": 5, "stories": 4, "facts": 11, "provinces": 2}
    figures = []

    def walk(node):
        if isinstance(node, dict):
            if "citation" in node:
                figures.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(data)
    assert len(figures) == 14  # 5 Sóc Trăng, 3 Thái Nguyên, 2 nationwide, 1 budget, 3 rows of latest totals
    for figure in figures:
        citation = figure["citation"]
        assert citation["title"] and citation["url"].startswith("https://") and citation["sentence"]
        assert citation["published_at"].startswith("2026-11-")
        assert isinstance(figure["value"], int)
    soc_trang = data["provinces"][0]
    assert (soc_trang["province"], soc_trang["province_current"], soc_trang["new_products_count"]) == (
        "Sóc Trăng", "Cần Thơ", 41)
    four_stars = next(count for count in soc_trang["new_products"] if count["stars"] == 4)
    assert four_stars["total"] == 21 and [figure["value"] for figure in four_stars["figures"]] == [16, 5]


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("language, words", [("vi", "không có bài báo nào"), ("en", "no OCOP articles")])
def test_an_empty_week_says_so(fmt, language, words):
    digest = summarize(parse_week("2026-W53"), [], [], [], generated_at=at(23))
    text = render(digest, fmt, language)
    if fmt == "json":
        assert json.loads(text)["summary"]["stories"] == 0
    else:
        assert words in text and "2026-W53" in text and "[^" not in text and "<svg" not in text


def test_qualifiers_money_and_figures_without_a_province():
    from ocop.digest.gather import ArchivedArticle
    from ocop.digest.model import ArticleRef
    from tests.digest.sample_week import fact
    over = "Hà Nội trao chứng nhận cho hơn 20 sản phẩm OCOP 4 sao."
    about = "Huyện công nhận thêm khoảng 10 sản phẩm OCOP 4 sao."
    money = "Kinh phí hỗ trợ là 500 triệu đồng."
    facts = (fact("product_count", over, "20", count=20, stars=4, status="achieved", scope="new", qualifier="over",
                  province="Hà Nội", province_current="Hà Nội"),
             fact("product_count", about, "10", count=10, stars=4, status="achieved", scope="new", qualifier="about"),
             fact("budget", money, "500 triệu đồng", amount_vnd=500_000_000, status="achieved"))
    ref = ArticleRef("Tin OCOP", "https://baox.example/tin-ocop.html", at(18), "baox")
    digest = summarize(parse_week(WEEK), [ArchivedArticle(ref, 1, facts)], [], [], generated_at=at(23))
    assert digest.unplaced.new_by_stars[4].total == 10
    vietnamese, english = render(digest, "md", "vi"), render(digest, "md", "en")
    assert "| Hà Nội | Hà Nội |  |  | hơn 20[^1] |  |" in vietnamese and "over 20[^1]" in english
    assert "## Số liệu chưa xác định được tỉnh" in vietnamese and "4 sao: khoảng 10[^2]" in vietnamese
    assert "500 triệu đồng[^3]" in vietnamese and "VND 500 million[^3]" in english


def test_markdown_links_survive_parentheses_and_spaces_in_urls():
    from ocop.digest.gather import ArchivedArticle
    from ocop.digest.model import ArticleRef
    ref = ArticleRef("Tin (OCOP) | Báo", "https://baox.example/tin (1).html", at(18), "baox")
    text = render(summarize(parse_week(WEEK), [ArchivedArticle(ref, 1, ())], [], [], generated_at=at(23)), "md")
    assert "1. [Tin (OCOP) \\| Báo](https://baox.example/tin%20%281%29.html), baox, 18/11/2026" in text


def test_only_web_addresses_become_links():
    from ocop.digest.gather import ArchivedArticle
    from ocop.digest.model import ArticleRef
    ref = ArticleRef("Bẫy", "javascript:alert(1)", at(18), "baox")
    digest = summarize(parse_week(WEEK), [ArchivedArticle(ref, 1, ())], [], [], generated_at=at(23))
    html, markdown = render(digest, "html"), render(digest, "md")
    assert 'href="javascript' not in html and "Bẫy (javascript:alert(1))" in html
    assert "](javascript" not in markdown and "[Bẫy](#)" in markdown
