"""`ocop serve`: Datasette over the SQLite archive, read-only, facts filtered by province, the headline canned query."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from ocop.cli import main
from ocop.serve import build_datasette, sqlite_path
from storage import Archive
from tests.storage.pages import can_tho, dong_thap, page, soc_trang

WRITES = [
    "insert into sources (name) values ('pwned')",
    "delete from facts",
    "update facts set count = 0",
    "drop table facts",
    "create table x (y)",
    "pragma query_only = off",
    "attach database ':memory:' as other",
]


@pytest.fixture
def served(tmp_path):
    """ocop serve is SQLite-only: these tests run on SQLite, and test_serve_refuses_postgresql on PostgreSQL."""
    archive = Archive.open(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    for story in (can_tho(), soc_trang(), dong_thap()):
        archive.store_page(page(story.url), story, relevant=True)
    path = sqlite_path(archive)
    archive.close()
    return path, build_datasette(path)


def get(datasette, path: str, **params):
    return asyncio.run(datasette.client.get(path, params=params))


def row_count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"select count(*) from {table}").fetchone()[0]


def test_the_facts_table_filtered_by_province(served):
    _, datasette = served
    response = get(datasette, "/archive/facts.json", province="Sóc Trăng", _shape="array")
    assert response.status_code == 200
    rows = response.json()
    assert {row["count"] for row in rows} == {143, 21} and {row["province"] for row in rows} == {"Sóc Trăng"}
    page_html = get(datasette, "/archive/facts", province_current="Cần Thơ").text
    assert "Sóc Trăng" in page_html and "143" in page_html and "Đồng Tháp" not in page_html


def test_facets_and_descriptions(served):
    _, datasette = served
    data = get(datasette, "/archive/facts.json").json()
    assert {"province", "province_current", "stars", "status"} <= set(data["facet_results"])
    assert "evidence" in get(datasette, "/archive/facts").text


def test_the_headline_canned_query(served):
    _, datasette = served
    rows = get(datasette, "/archive/headline.json", _shape="array").json()
    assert {(row["province"], row["stars"], row["count"]) for row in rows} == {
        ("Cần Thơ", None, 92), ("Cần Thơ", 4, 10), ("Sóc Trăng", None, 143), ("Sóc Trăng", 4, 21)}


def test_the_search_canned_query_folds_diacritics(served):
    _, datasette = served
    for query in ("đồng tháp", "dong thap", "ĐỒNG THÁP"):
        rows = get(datasette, "/archive/search.json", query=query, _shape="array").json()
        assert [row["title"] for row in rows] == ["Đồng Tháp đặt mục tiêu phát triển sản phẩm OCOP"]
    for query in ("Đồng Tháp\"; drop table facts; --", "NEAR(dong thap) OR *", ""):
        response = get(datasette, "/archive/search.json", query=query, _shape="array")
        assert response.status_code == 200 and response.json() == []


def test_writes_of_any_kind_are_refused(served):
    path, datasette = served
    before = {table: row_count(path, table) for table in ("facts", "sources", "articles")}
    for sql in WRITES:
        response = get(datasette, "/archive.json", sql=sql)
        assert response.status_code >= 400 or not response.json().get("ok", True), sql
    for sql in WRITES[:3]:
        response = asyncio.run(datasette.client.post("/archive", data={"sql": sql}))
        assert response.status_code == 405, sql
    for method in ("put", "patch", "delete"):
        response = asyncio.run(getattr(datasette.client, method)("/archive/facts"))
        assert response.status_code == 405, method
    assert {table: row_count(path, table) for table in before} == before


def test_every_connection_is_query_only(served):
    path, datasette = served
    database = datasette.get_database("archive")

    def try_write(connection):
        connection.execute("insert into sources (name) values ('pwned')")
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        asyncio.run(database.execute_fn(try_write))
    assert row_count(path, "sources") == 1


def test_serve_refuses_postgresql(postgres_archive_url, capsys):
    assert main(["serve", "--db", postgres_archive_url]) == 1
    assert "SQLite" in capsys.readouterr().err


def test_metadata_is_valid_json():
    from ocop.serve.metadata import archive_metadata
    json.dumps(archive_metadata("archive"))
