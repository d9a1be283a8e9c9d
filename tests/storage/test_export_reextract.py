"""Export to CSV, JSON lines and Parquet; re-extraction from archived raw HTML with a report of what changed."""

from __future__ import annotations

import builtins
import csv
import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from ocop.cli import main
from storage.export import ExportUnavailable, export_table
from storage.models import Source
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


# A provincial paper's page, read with the craft-village magazine's profile (chosen by name, not by domain): the
# profile keeps the related-news box out of the body, and the paper's home province places the facts that name
# no province. Read with neither, the page gives other facts.
PROVINCIAL_SOURCE = {"name": "baovinhlong-test", "title": "Báo Vĩnh Long (test)", "homepage": "http://127.0.0.1:8765/",
                     "kind": "provincial", "profile": "langnghe", "home_province": "Vĩnh Long"}
PROVINCIAL_URL = "http://127.0.0.1:8765/nang-hang-ocop-123.html"
PROVINCIAL_HTML = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Nâng hạng sản phẩm OCOP</title>
</head><body><div class="article-detail">
<h1 class="title-detail">Thêm 18 sản phẩm được công nhận OCOP</h1>
<div class="date-detail">Thứ hai, 12/05/2025 08:30</div>
<div class="sapo">Ủy ban nhân dân tỉnh vừa công nhận thêm 18 sản phẩm OCOP đạt từ 3 sao trở lên.</div>
<div class="content-detail">
<p>Theo Sở Nông nghiệp và Môi trường, đến nay toàn tỉnh có 236 sản phẩm OCOP, trong đó 41 sản phẩm đạt 4 sao.</p>
<p>Các chủ thể được hướng dẫn hoàn thiện bao bì, nhãn mác và truy xuất nguồn gốc để mở rộng thị trường tiêu thụ.</p>
<div class="box-related"><p>Cùng thời gian, tỉnh Lào Cai có 512 sản phẩm OCOP được đánh giá, phân hạng và công nhận
trong nhiều năm qua.</p></div>
</div></div></body></html>"""


sources = Source.__table__


def _places(facts) -> list[tuple]:
    return sorted((fact["count"], fact["stars"], fact["province"], fact["province_current"]) for fact in facts)


def test_reextract_reads_a_page_with_the_rules_its_crawl_registered(archive, archive_url, capsys):
    from extract.article import extract_article
    from storage.archive import fact_fields
    run_id = archive.begin_run(sources=[PROVINCIAL_SOURCE])
    fetched = page(PROVINCIAL_URL, PROVINCIAL_HTML, source=PROVINCIAL_SOURCE["name"], run_id=run_id)
    as_crawled = extract_article(fetched.body, fetched.url, fetched_at=fetched.fetched_at,
                                 content_type="text/html; charset=utf-8", profile=PROVINCIAL_SOURCE["profile"],
                                 home_province=PROVINCIAL_SOURCE["home_province"])
    bare = extract_article(fetched.body, fetched.url, fetched_at=fetched.fetched_at)
    crawled_places = _places(fact_fields(fact) for fact in as_crawled.facts)
    assert {place[2] for place in crawled_places} == {"Vĩnh Long"} and (236, None, "Vĩnh Long", "Vĩnh Long") \
        in crawled_places
    assert _places(fact_fields(fact) for fact in bare.facts) != crawled_places  # the rules matter on this page
    archive.store_page(fetched, as_crawled, relevant=True)

    [raw] = list(raw_pages(archive))
    assert (raw.profile, raw.home_province) == ("langnghe", "Vĩnh Long")
    assert main(["reextract", "--db", archive_url, "--format", "json"]) == 0
    assert "re-read 1 articles; 0 changed" in capsys.readouterr().err
    assert _places(archive.facts()) == crawled_places


def test_a_source_keeps_the_reading_rules_of_the_crawl_that_last_registered_it(archive):
    archive.begin_run(sources=[PROVINCIAL_SOURCE])
    archive.begin_run(sources=[{"name": PROVINCIAL_SOURCE["name"], "title": "Báo Vĩnh Long"}])  # no rules given
    archive.begin_run(sources=[PROVINCIAL_SOURCE["name"]])
    archive.store_page(page(PROVINCIAL_URL, PROVINCIAL_HTML, source=PROVINCIAL_SOURCE["name"]), None)
    with archive.engine.connect() as connection:
        rules = connection.execute(select(sources.c.title, sources.c.profile, sources.c.home_province)).one()
    assert tuple(rules) == ("Báo Vĩnh Long", "langnghe", "Vĩnh Long")
    archive.begin_run(sources=[{**PROVINCIAL_SOURCE, "profile": None}])  # a later crawl read it with no profile
    with archive.engine.connect() as connection:
        assert tuple(connection.execute(select(sources.c.profile, sources.c.home_province)).one()) == \
            (None, "Vĩnh Long")
