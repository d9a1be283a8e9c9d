"""Export to CSV, JSON lines and Parquet; re-extraction from archived raw HTML with a report of what changed."""

from __future__ import annotations

import builtins
import csv
import json
from dataclasses import replace

import pytest

from ocop.cli import main
from storage.export import ExportUnavailable, export_table
from storage.reextract import raw_pages, reextract, replace_extraction
from tests.storage.pages import CAN_THO_FACTS, CAN_THO_SENTENCE, can_tho, dong_thap, page, soc_trang

CAN_THO_HTML = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Cần Thơ có 92 sản phẩm đạt chuẩn OCOP</title>
<meta property="article:published_time" content="2025-06-01T08:00:00+07:00"></head>
<body><article><h1>Cần Thơ có 92 sản phẩm đạt chuẩn OCOP</h1><p>{CAN_THO_SENTENCE}</p>
<p>Các chủ thể được hỗ trợ xúc tiến thương mại tại hội chợ trong và ngoài thành phố.</p></article></body></html>"""


@pytest.fixture
def filled(archive):
    for story in (can_tho(), soc_trang(), dong_thap()):
        archive.store_page(page(story.url), story, relevant=True)
    return archive


@pytest.mark.parametrize("table, expected", [("facts", 5), ("articles", 3)])
def test_csv_and_jsonl_exports_hold_every_row(filled, tmp_path, table, expected):
    assert export_table(filled, table, "csv", tmp_path / "out.csv") == expected
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == expected
    assert export_table(filled, table, "jsonl", tmp_path / "out.jsonl") == expected
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["url"] for line in lines] == [row["url"] for row in rows]
    if table == "facts":
        sentences = {line["sentence"] for line in lines}
        assert CAN_THO_SENTENCE in sentences and {line["province"] for line in lines} >= {"Cần Thơ", "Sóc Trăng"}


def test_parquet_export_keeps_types(filled, tmp_path):
    import pyarrow.parquet as pq
    assert export_table(filled, "facts", "parquet", tmp_path / "facts.parquet") == 5
    table = pq.read_table(tmp_path / "facts.parquet")
    assert table.num_rows == 5 and str(table.schema.field("count").type) == "int64"
    assert sorted(table.column("count").to_pylist()) == [10, 21, 50, 92, 143]
    assert str(table.schema.field("published_at").type).startswith("timestamp")


def test_parquet_without_pyarrow_says_what_to_install(filled, tmp_path, monkeypatch, capsys, archive_url):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ExportUnavailable):
        export_table(filled, "facts", "parquet", tmp_path / "facts.parquet")
    assert main(["export", "--db", archive_url, "--format", "parquet", "--out", str(tmp_path / "f.parquet")]) == 1
    assert "pip install" in capsys.readouterr().err


def test_export_command(filled, archive_url, tmp_path, capsys):
    out = tmp_path / "articles.jsonl"
    assert main(["export", "--db", archive_url, "--format", "jsonl", "--table", "articles", "--out", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert main(["export", "--db", archive_url, "--format", "csv", "--out", str(tmp_path / "no" / "x.csv")]) == 2
    assert main(["export", "--db", archive_url, "--format", "xml", "--out", str(out)]) == 2


def test_reextract_replaces_the_facts_and_reports_the_difference(archive):
    story = can_tho(facts=CAN_THO_FACTS[:1], extractor_version="old/old")
    archive.store_page(page(story.url, CAN_THO_HTML), story, relevant=True)
    [raw] = list(raw_pages(archive))
    assert raw.body == CAN_THO_HTML.encode("utf-8") and raw.content_type == "text/html; charset=utf-8"
    corrected_92 = replace(CAN_THO_FACTS[0], scope=None)
    new_reading = replace(story, facts=(corrected_92, CAN_THO_FACTS[1]), extractor_version="new/new")
    [result] = list(reextract(archive, lambda _page: new_reading))
    assert result.old_extractor_version == "old/old" and result.new_extractor_version == "new/new"
    assert [fact["count"] for fact in result.added] == [92, 10] and [fact["count"] for fact in result.removed] == [92]
    assert not result.text_changed
    rows = archive.facts()
    assert sorted((row["count"], row["scope"], row["extractor_version"]) for row in rows) == \
        [(10, "total", "new/new"), (92, None, "new/new")]
    again = replace_extraction(archive, raw, new_reading)
    assert not again.changed and len(archive.facts()) == 2


def test_reextract_command_runs_the_current_extractor_without_the_network(archive, archive_url, capsys):
    story = can_tho(facts=(), extractor_version="old/old")
    archive.store_page(page(story.url, CAN_THO_HTML), story, relevant=True)
    assert main(["reextract", "--db", archive_url, "--format", "json"]) == 0
    captured = capsys.readouterr()
    [row] = json.loads(captured.out)
    assert row["facts_added"] >= 2 and row["facts_removed"] == 0
    assert any("92" in line and "Cần Thơ" in line for line in row["added"])
    assert "re-read 1 articles; 1 changed" in captured.err
    facts = archive.facts()
    assert {fact["count"] for fact in facts} >= {92, 10}
    assert {fact["extractor_version"] for fact in facts} == {row["extractor"].split(" -> ")[1]}
    assert main(["reextract", "--db", archive_url, "--since", "2099-01-01"]) == 0
    assert "re-read 0 articles" in capsys.readouterr().err
    assert main(["reextract", "--db", archive_url, "--since", "soon"]) == 2
