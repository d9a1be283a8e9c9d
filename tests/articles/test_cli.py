"""The `ocop extract article|links` and `ocop eval articles` commands: JSON out, batches, bad input, gold shapes, pins."""

import json
import shutil

import pytest

from ocop.cli import main
from tests.articles.regen import PAGES, fixtures

FIXTURE = next(fixture for fixture in fixtures() if fixture["file"] == "nongthon_jsonld.html")


def test_extract_article_prints_one_json_object(capsys):
    assert main(["extract", "article", str(PAGES / FIXTURE["file"]), "--url", FIXTURE["url"],
                 "--fetched-at", FIXTURE["fetched_at"]]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"] == "Sơn La có thêm 35 sản phẩm đạt chuẩn OCOP"
    assert record["published_at"] == "2025-10-20T15:30:12+07:00"
    assert set(record) >= {"url", "canonical_url", "is_article", "title", "lead", "text", "authors", "published_at",
                           "modified_at", "section", "tags", "language", "facts"}


def test_extract_article_reads_a_list_of_pages_in_order(tmp_path, capsys):
    listing = tmp_path / "pages.jsonl"
    rows = [{"path": str(PAGES / fixture["file"]), "url": fixture["url"], "fetched_at": fixture["fetched_at"]}
            for fixture in fixtures()[:3]]
    listing.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    assert main(["extract", "article", "--input", str(listing)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [record["path"] for record in records] == [row["path"] for row in rows]
    assert [record["url"] for record in records] == [row["url"] for row in rows]


@pytest.mark.parametrize("arguments, reason", [
    (["extract", "article", "no-such-page.html", "--url", "https://x.vn/a-1.html"], "cannot read"),
    (["extract", "article", str(PAGES / "listing.html"), "--url", "https://x.vn/", "--fetched-at", "hôm qua"], "ISO 8601"),
    (["extract", "article", str(PAGES / "listing.html")], "--url"),
    (["extract", "article", str(PAGES / "listing.html"), "--url", "https://x.vn/", "--profile", "nope"], "profile"),
    (["extract", "links", "no-such-page.html", "--url", "https://x.vn/"], "cannot read"),
    (["eval", "articles", "--gold", "no-such-gold.json"], "cannot read"),
])
def test_bad_input_is_one_line_and_exit_2(arguments, reason, capsys):
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert reason in error and error.count("\n") == 1


def test_a_bad_line_in_a_list_is_bad_input(tmp_path, capsys):
    listing = tmp_path / "pages.jsonl"
    listing.write_text('{"path": "x.html"}\n', encoding="utf-8")
    assert main(["extract", "article", "--input", str(listing)]) == 2
    assert "line 1" in capsys.readouterr().err


def test_extract_links_prints_urls_and_next_page(capsys):
    assert main(["extract", "links", str(PAGES / "listing.html"), "--url", "https://nongthonmau.vn/ocop/"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert len(record["article_urls"]) == 3 and record["next_page_url"].endswith("/ocop/trang-2.htm")


def _pages_gold(tmp_path, body_suffix=""):
    """A gold file of the shared pages' shape, over two fixture pages copied beside it."""
    rows = []
    for fixture in fixtures()[:2]:
        shutil.copy(PAGES / fixture["file"], tmp_path / fixture["file"])
        expected = json.loads((PAGES.parent / "expected" / (fixture["file"][:-5] + ".json")).read_text(encoding="utf-8"))
        rows.append({"file": fixture["file"], "url": fixture["url"], "title": expected["title"],
                     "published_at": expected["published_at"], "body": expected["text"] + body_suffix})
    gold = tmp_path / "articles.json"
    gold.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return gold


def test_eval_articles_scores_the_pages_shape(tmp_path, capsys):
    assert main(["eval", "articles", "--gold", str(_pages_gold(tmp_path)), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["pages"] == 2
    assert figures["body_f1"] == figures["title_exact"] == figures["published_exact"] == 1.0


def test_eval_articles_scores_the_benchmark_shape(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    fixture = fixtures()[1]
    shutil.copy(PAGES / fixture["file"], tmp_path / "html" / "item1.html")
    body = "Hội đồng đánh giá sản phẩm OCOP tỉnh Bắc Giang vừa công nhận 3 sản phẩm từ vải thiều đạt 4 sao."
    (tmp_path / "ground-truth.json").write_text(json.dumps({"item1": {"articleBody": body, "url": fixture["url"]}}),
                                                encoding="utf-8")
    assert main(["eval", "articles", "--gold", str(tmp_path / "ground-truth.json"), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["body_recall"] == 1.0 and 0 < figures["body_precision"] < 1.0


def test_eval_articles_fails_below_the_pins(tmp_path, capsys):
    gold = _pages_gold(tmp_path, body_suffix="\nMột đoạn văn mà trang không hề có ở bất cứ chỗ nào cả.")
    pins = tmp_path / "pins.json"
    pins.write_text(json.dumps({"figures": {"body_f1": 0.99, "title_exact": 1.0}}), encoding="utf-8")
    assert main(["eval", "articles", "--gold", str(gold), "--pinned", str(pins)]) == 1
    assert "body_f1" in capsys.readouterr().err


def test_eval_articles_scores_a_listings_gold(tmp_path, capsys):
    shutil.copy(PAGES / "listing.html", tmp_path / "listing.html")
    rows = [{"file": "listing.html", "base_url": "https://nongthonmau.vn/ocop/", "next_page_url": "https://nongthonmau.vn/ocop/trang-2.htm",
             "article_urls": ["https://nongthonmau.vn/ocop/son-la-co-them-35-san-pham-dat-chuan-ocop-d2510201530.html",
                              "https://nongthonmau.vn/ocop/mot-bai-khong-co-tren-trang-d2510150999.html"]}]
    (tmp_path / "listings.json").write_text(json.dumps(rows), encoding="utf-8")
    assert main(["eval", "articles", "--gold", str(tmp_path / "listings.json"), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["links_recall"] == 0.5 and abs(figures["links_precision"] - 1 / 3) < 1e-3
    assert figures["next_page_exact"] == 1.0
