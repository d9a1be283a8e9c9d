"""`ocop digest` end to end on a temporary SQLite archive filled through Archive.store_page."""

import json
from datetime import datetime

import pytest

from ocop.cli import main
from ocop.digest.render import render
from ocop.digest.week import VIETNAM, last_complete_week
from tests.digest.sample_week import WEEK, sample_digest


def run(capsys, *args):
    code = main(["digest", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def without_generated_at(data):
    return {key: value for key, value in data.items() if key != "generated_at"}


def test_gathered_from_the_archive_equals_the_summary_of_the_same_articles(archive_url, capsys):
    code, out, err = run(capsys, "--db", archive_url, "--week", WEEK, "--format", "json")
    assert code == 0, err
    expected = json.loads(render(sample_digest(), "json"))
    assert without_generated_at(json.loads(out)) == without_generated_at(expected)


def test_markdown_names_the_provinces_and_counts_the_cluster_once(archive_url, capsys):
    code, out, _ = run(capsys, "--db", archive_url, "--week", WEEK, "--lang", "en")
    assert code == 0
    assert "### Sóc Trăng (now part of Cần Thơ)" in out and "### Thái Nguyên" in out
    assert "5 articles, 4 stories, 11 figures, 2 provinces named." in out
    assert "| Sóc Trăng | Cần Thơ | 36[^1] | 20[^1] | 21[^1][^" in out


def test_out_file_with_the_week_in_its_name(archive_url, capsys, tmp_path):
    code, out, _ = run(capsys, "--db", archive_url, "--week", WEEK, "--format", "html",
                       "--out", str(tmp_path / "digests" / "ocop-{week}.html"))
    assert code == 0 and out == ""
    page = (tmp_path / "digests" / f"ocop-{WEEK}.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "18.243" in page


def test_a_week_without_articles_says_so_and_succeeds(archive_url, capsys):
    code, out, _ = run(capsys, "--db", archive_url, "--week", "2026-W40")
    assert code == 0
    assert "Tuần này kho lưu trữ không có bài báo nào về OCOP." in out


def test_the_default_week_is_the_last_complete_one(archive_url, capsys):
    code, out, _ = run(capsys, "--db", archive_url, "--format", "json")
    assert code == 0
    assert json.loads(out)["week"]["iso"] == str(last_complete_week(datetime.now(VIETNAM)))


def test_a_bad_archive_url_is_bad_input(capsys):
    code, _, err = run(capsys, "--db", "nosuchdb://x", "--week", WEEK)
    assert code == 2 and err.count("\n") == 1


def test_a_province_stored_without_its_2025_unit_gets_it_from_the_gazetteer(tmp_path, capsys):
    from storage import Archive
    from tests.digest.sample_week import SampleArticle, make_article, at, fact, store_sample
    sentence = "Bạc Liêu có thêm 7 sản phẩm OCOP 3 sao."
    sample = SampleArticle(make_article("https://baox.example/bac-lieu-7-san-pham.html", "Bạc Liêu có thêm 7 sản phẩm",
                                    at(18), [sentence], [fact("product_count", sentence, "7", count=7, stars=3,
                                                              status="achieved", scope="new", province="Bạc Liêu")]),
                           "baox", "bac-lieu")
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with Archive.open(url) as archive:
        store_sample(archive, [sample])
    code, out, _ = run(capsys, "--db", url, "--week", WEEK)
    assert code == 0 and "| Bạc Liêu | Cà Mau |  | 7[^1] |" in out


@pytest.mark.postgres
def test_the_same_digest_from_postgresql(postgres_url, capsys):
    from storage import Archive
    from tests.digest.sample_week import store_sample
    with Archive.open(postgres_url) as archive:
        store_sample(archive)
    code, out, err = run(capsys, "--db", postgres_url, "--week", WEEK, "--format", "json")
    assert code == 0, err
    expected = json.loads(render(sample_digest(), "json"))
    assert without_generated_at(json.loads(out)) == without_generated_at(expected)


def test_a_communes_total_is_not_taken_for_its_provinces(tmp_path, capsys):
    from storage import Archive
    from tests.digest.sample_week import SampleArticle, at, fact, make_article, store_sample
    province_wide = "Quảng Nam hiện có 368 sản phẩm OCOP."
    commune = "Phường Hội An có 12 sản phẩm đạt chuẩn OCOP."
    place = dict(province="Quảng Nam", status="achieved", scope="total")
    samples = [SampleArticle(make_article("https://baox.example/quang-nam.html", "Quảng Nam có 368 sản phẩm OCOP",
                                          at(10), [province_wide], [fact("product_count", province_wide, "368",
                                                                         count=368, **place)]), "baox", "qn"),
               SampleArticle(make_article("https://baox.example/hoi-an.html", "Hội An có 12 sản phẩm OCOP", at(18),
                                          [commune], [fact("product_count", commune, "12", count=12, district="Hội An",
                                                           **place)]), "baox", "hoi-an")]
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with Archive.open(url) as archive:
        store_sample(archive, samples)
    code, out, _ = run(capsys, "--db", url, "--week", WEEK, "--format", "json")
    data = json.loads(out)
    assert code == 0
    [quang_nam] = data["provinces"]
    assert quang_nam["latest_total"] is None and [figure["value"] for figure in quang_nam["local"]] == [12]
    [row] = data["latest_totals"]
    assert (row["province"], row["total"]["value"], row["reported_this_week"]) == ("Quảng Nam", 368, False)
