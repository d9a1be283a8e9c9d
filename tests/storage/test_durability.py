"""Writes are all or nothing: a failure or a kill mid-write loses nothing, and concurrent writers duplicate nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import Archive, clusters
from storage.models import Article, ArticleVersion, Fact, RawResponse, UrlState
from tests.storage.pages import can_tho, page
from tests.storage.writer import FACTS_PER_ARTICLE

ROOT = Path(__file__).resolve().parents[2]
PAGES = 60
KILL_AFTER_PAGES = 15
WRITER_TIMEOUT_S = 120


def table_counts(archive) -> dict[str, int]:
    with archive.engine.connect() as connection:
        return {model.__tablename__: connection.execute(select(func.count()).select_from(model)).scalar()
                for model in (RawResponse, UrlState, Article, ArticleVersion, Fact)}


def facts_per_article(archive) -> set[int]:
    with archive.engine.connect() as connection:
        rows = connection.execute(select(Article.id, func.count(Fact.id)).outerjoin(Fact, Fact.article_id == Article.id)
                                  .group_by(Article.id)).all()
    return {count for _, count in rows}


def writer(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.storage.writer", url, str(PAGES), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_failure_after_the_facts_were_replaced_rolls_everything_back(archive, monkeypatch):
    story = can_tho()
    archive.store_page(page(story.url, "<html>v1</html>"), story, relevant=True)
    before = table_counts(archive)
    facts_before = archive.facts()

    def fail(*_args, **_kwargs):
        raise RuntimeError("the disk is full")
    monkeypatch.setattr(clusters, "assign_cluster", fail)
    changed = replace(story, text="Cần Thơ có 95 sản phẩm OCOP.", facts=story.facts[:1])
    with pytest.raises(RuntimeError):
        archive.store_page(page(story.url, "<html>v2</html>"), changed, relevant=True)
    assert table_counts(archive) == before
    assert archive.facts() == facts_before


def test_a_writer_killed_mid_crawl_loses_and_duplicates_nothing(archive_url):
    process = writer(archive_url)
    stored = 0
    deadline = time.monotonic() + WRITER_TIMEOUT_S
    while stored < KILL_AFTER_PAGES and time.monotonic() < deadline and process.stdout.readline():
        stored += 1
    assert stored == KILL_AFTER_PAGES, process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait()
    with Archive.open(archive_url) as archive:
        partial = table_counts(archive)
        assert partial["articles"] >= stored
        assert partial["article_versions"] == partial["articles"] == partial["raw_responses"]
        assert facts_per_article(archive) == {FACTS_PER_ARTICLE}  # no article with half its facts
    again = writer(archive_url)
    _, errors = again.communicate(timeout=WRITER_TIMEOUT_S)
    assert again.returncode == 0, errors
    with Archive.open(archive_url) as archive:
        assert table_counts(archive) == {"raw_responses": PAGES, "url_states": PAGES, "articles": PAGES,
                                         "article_versions": PAGES, "facts": PAGES * FACTS_PER_ARTICLE}


def test_two_writers_at_once_on_a_new_archive_lose_and_duplicate_nothing(fresh_archive_url):
    """Both writers find no schema: one migrates while the other waits, then both write the same pages."""
    archive_url = fresh_archive_url
    first, second = writer(archive_url), writer(archive_url, "--reverse")
    for process in (first, second):
        _, errors = process.communicate(timeout=WRITER_TIMEOUT_S)
        assert process.returncode == 0, errors
    with Archive.open(archive_url) as archive:
        assert table_counts(archive) == {"raw_responses": PAGES, "url_states": PAGES, "articles": PAGES,
                                         "article_versions": PAGES, "facts": PAGES * FACTS_PER_ARTICLE}
        assert facts_per_article(archive) == {FACTS_PER_ARTICLE}


def test_two_sites_publishing_the_same_stories_at_once_make_one_story_each(archive_url):
    first, second = writer(archive_url, "--site", "baocantho"), writer(archive_url, "--site", "baosoctrang")
    for process in (first, second):
        _, errors = process.communicate(timeout=WRITER_TIMEOUT_S)
        assert process.returncode == 0, errors
    with Archive.open(archive_url) as archive, archive.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Article)).scalar() == 2 * PAGES
        per_cluster = connection.execute(select(func.count()).select_from(Article).group_by(Article.cluster_id)).scalars()
        assert sorted(set(per_cluster)) == [2]
        assert len(archive.articles(one_per_story=True)) == PAGES
