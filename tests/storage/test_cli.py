"""The archive commands: formats, exit codes, the headline flag, the row limit."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ocop.cli import main
from tests.storage.pages import CAN_THO_SENTENCE, can_tho, dong_thap, page, soc_trang


@pytest.fixture
def filled_url(archive, archive_url):
    for story in (can_tho(), soc_trang(), dong_thap()):
        archive.store_page(page(story.url), story, relevant=True)
    return archive_url


def run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_facts_as_json_carry_the_evidence_and_the_article(filled_url, capsys):
    code, out, _ = run(capsys, "facts", "--db", filled_url, "--province", "can tho", "--stars", "4", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {row["count"] for row in rows} == {10, 21}
    row = next(row for row in rows if row["count"] == 10)
    assert row["sentence"] == CAN_THO_SENTENCE and row["url"] == can_tho().canonical_url
    assert row["extractor_version"] and row["published_at"].endswith("+07:00") and row["span"] == [CAN_THO_SENTENCE.index("10"), CAN_THO_SENTENCE.index("10") + 2]


def test_facts_as_csv_and_table(filled_url, capsys):
    code, out, _ = run(capsys, "facts", "--db", filled_url, "--status", "target", "--format", "csv")
    assert code == 0
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["province"] == "Đồng Tháp" and row["count"] == "50"
    code, out, _ = run(capsys, "facts", "--db", filled_url, "--source", "langngheviet")
    assert code == 0 and "Sóc Trăng" in out


def test_the_limit_says_when_it_cut(filled_url, capsys):
    code, out, err = run(capsys, "facts", "--db", filled_url, "--limit", "2", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 2 and "--limit 0" in err
    code, out, err = run(capsys, "facts", "--db", filled_url, "--limit", "0", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 5 and err == ""


def test_the_headline_flag(filled_url, capsys):
    code, out, _ = run(capsys, "facts", "--db", filled_url, "--latest", "--format", "json")
    assert code == 0
    assert {(row["province"], row["stars"], row["count"]) for row in json.loads(out)} == {
        ("Cần Thơ", None, 92), ("Cần Thơ", 4, 10), ("Sóc Trăng", None, 143), ("Sóc Trăng", 4, 21)}
    code, _, err = run(capsys, "facts", "--db", filled_url, "--latest", "--status", "target")
    assert code == 2 and err.count("\n") == 1


def test_articles_and_search(filled_url, capsys):
    code, out, _ = run(capsys, "articles", "--db", filled_url, "--province", "Sóc Trăng", "--format", "json")
    assert code == 0 and [row["title"] for row in json.loads(out)] == ["Sóc Trăng có 143 sản phẩm OCOP"]
    code, out, _ = run(capsys, "search", "soc trang", "--db", filled_url, "--format", "json")
    assert code == 0 and [row["title"] for row in json.loads(out)] == ["Sóc Trăng có 143 sản phẩm OCOP"]
    code, _, err = run(capsys, "search", "  ", "--db", filled_url)
    assert code == 2 and err.count("\n") == 1


@pytest.mark.parametrize("args", [
    ["facts", "--stars", "7"], ["facts", "--since", "2025-02-30"], ["facts", "--kind", "hectare"],
    ["facts", "--province", "Atlantis"], ["articles", "--until", "tomorrow"], ["facts", "--stars", "four"],
])
def test_bad_filters_are_one_line_and_exit_2(filled_url, capsys, args):
    code, out, err = run(capsys, *args, "--db", filled_url)
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
