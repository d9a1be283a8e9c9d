"""SQL injection through every filter and the search box: refused or harmless, and nothing stored or changed."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import inspect, select

from ocop.cli import main
from storage import BadFilter
from storage.models import Base
from tests.storage.pages import can_tho, dong_thap, page, soc_trang

PAYLOADS = [
    "'; DROP TABLE facts; --",
    "Cần Thơ' OR '1'='1",
    "\" OR 1=1 --",
    "1; DELETE FROM articles",
    "4 OR 1=1",
    "2025-01-01' OR '1'='1",
    "x') UNION SELECT name, sql FROM sqlite_master --",
    "can* OR tho NEAR(san pham) NOT ocop",
    "search_text:can AND ^tho",
    "%' AND 1=(SELECT COUNT(*) FROM pg_sleep(2)) --",
    "Robert'); INSERT INTO sources(name) VALUES ('pwned'); --",
    "\\'; UPDATE facts SET count = 0; --",
    "can\x00tho",
]
FILTERS = ["province", "stars", "kind", "status", "since", "until", "source"]


def fingerprint(archive) -> str:
    """A hash of every row of every table: any change anywhere changes it."""
    digest = hashlib.sha256()
    with archive.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture
def filled(archive):
    for story in (can_tho(), soc_trang(), dong_thap()):
        archive.store_page(page(story.url), story, relevant=True)
    return archive


def test_every_filter_and_the_search_box_refuse_or_ignore_injection(filled):
    before = fingerprint(filled)
    tables = set(inspect(filled.engine).get_table_names())
    for payload in PAYLOADS:
        for name in FILTERS:
            queries = [filled.facts, filled.articles]
            if name in ("province", "stars", "since", "until"):
                queries.append(filled.headline)
            for query in queries:
                try:
                    rows = query(**{name: payload})
                except BadFilter:
                    continue
                assert rows == [], (name, payload)  # a payload is no value that matches anything
        try:
            rows = filled.search(payload)
        except BadFilter:
            continue
        assert all(row["title"] for row in rows)
    assert fingerprint(filled) == before
    assert set(inspect(filled.engine).get_table_names()) == tables


def test_the_command_line_refuses_or_ignores_injection(filled, archive_url, capsys):
    before = fingerprint(filled)
    for payload in PAYLOADS[:3]:
        for name in ("province", "kind", "status", "since", "until", "source"):
            assert main(["facts", "--db", archive_url, f"--{name}", payload, "--format", "json"]) in (0, 2)
        assert main(["search", payload, "--db", archive_url, "--format", "json"]) in (0, 2)
        assert main(["articles", "--db", archive_url, "--source", payload, "--format", "csv"]) in (0, 2)
    capsys.readouterr()
    assert fingerprint(filled) == before
