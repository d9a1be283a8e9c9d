"""Two `ocop crawl` processes crawling the same sample sites into one archive at the same time, on SQLite (WAL,
busy timeout) and on PostgreSQL: every OCOP article ends up once, with its facts once."""

from __future__ import annotations

import subprocess
from collections import Counter
from urllib.parse import urlsplit

import pytest

from ocop.sample.content import expected_facts
from ocop.sample.server import serve_sample
from tests.e2e.commands import crawl_command, query
from tests.storage.conftest import postgres_schema_url

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_archive_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        return
    with postgres_schema_url() as (url, _schema, _admin):
        yield url


def test_two_crawls_at_once_lose_and_duplicate_nothing(empty_archive_url, tmp_path):
    with serve_sample() as sites:
        sources_file = tmp_path / "sources.toml"
        sites.write_sources(sources_file)
        crawls = [subprocess.Popen(crawl_command(sources_file, empty_archive_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(2)]
        results = [crawl.communicate(timeout=300) for crawl in crawls]
    for crawl, (_, stderr) in zip(crawls, results):
        assert crawl.returncode == 0, stderr[-2000:]

    articles, facts = (query(table, empty_archive_url) for table in ("articles", "facts"))
    published = {article["path"] for article in expected_facts() if not article["draft"]}
    assert sorted(urlsplit(article["url"]).path for article in articles) == sorted(published)
    same_fact = Counter((fact["article_id"], fact["kind"], fact["count"], fact["stars"], fact["amount_vnd"],
                         fact["product"], tuple(fact["span"]), fact["sentence"]) for fact in facts)
    assert facts and max(same_fact.values()) == 1

