"""Storing pages in batches (one transaction for several pages) and the near-duplicate lookup's cost per article."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from storage import clusters
from storage.prepared import prepare_page
from tests.storage.pages import article, can_tho, dong_thap, page, soc_trang
from tests.storage.test_durability import table_counts
from tests.storage.test_search_and_clusters import OTHER_STORY, WIRE_STORY


def batch_of_three():
    stories = (can_tho(), soc_trang(), dong_thap())
    return [prepare_page(page(story.url, f"<html>{number}</html>"), story) for number, story in enumerate(stories)] + [
        prepare_page(page("https://langngheviet.com.vn/thoi-tiet.html", "<html>mưa</html>"))]


def test_a_batch_stores_what_its_pages_one_by_one_store(archive, archive_url):
    from storage import Archive

    outcomes = archive.store_pages(batch_of_three())
    assert [outcome.url_status for outcome in outcomes] == ["archived"] * 3 + ["irrelevant"]
    assert all(outcome.created for outcome in outcomes[:3])
    facts = sorted((row["url"], row["count"]) for row in archive.facts())
    counts = table_counts(archive)
    with Archive.open(archive_url) as same:  # committed: another connection sees the same
        assert table_counts(same) == counts
    again = archive.store_pages(batch_of_three())  # the same pages again: nothing new
    assert not any(outcome.created or outcome.changed for outcome in again)
    assert table_counts(archive) == counts
    assert sorted((row["url"], row["count"]) for row in archive.facts()) == facts == sorted(
        (prepared.page.url, fact.count) for prepared in batch_of_three() if prepared.article
        for fact in prepared.article.facts)


def test_a_batch_is_all_or_nothing(archive, monkeypatch):
    real = clusters.assign_cluster
    calls = []

    def fail_on_the_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real(*args, **kwargs)
    monkeypatch.setattr(clusters, "assign_cluster", fail_on_the_second)
    before = table_counts(archive)
    with pytest.raises(RuntimeError):
        archive.store_pages(batch_of_three())
    assert table_counts(archive) == before
    assert archive.page_state(can_tho().url) is None  # the first page of the batch is not seen either


def test_the_near_duplicate_lookup_is_one_statement_per_article(archive):
    statements = []

    def count(_connection, _cursor, statement, *_args):
        if "article_shingle_bands" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)
    event.listen(archive.engine, "before_cursor_execute", count)
    stories = [article(f"https://ttxvn.vn/{number}.html", f"Tin {number}", [], filler=WIRE_STORY + f" Bản {number}.")
               for number in range(3)] + [article("https://baotravinh.vn/cau-ke.html", "Cầu Kè", [], filler=OTHER_STORY)]
    outcomes = [archive.store_page(page(story.url), story, relevant=True) for story in stories]
    event.remove(archive.engine, "before_cursor_execute", count)
    assert len(statements) <= len(stories) and len(set(statements)) == 1  # one statement text, built once
    assert len({outcome.cluster_id for outcome in outcomes[:3]}) == 1 and outcomes[3].cluster_id != outcomes[0].cluster_id


@pytest.mark.parametrize("archive_url", ["sqlite"], indirect=True)  # PostgreSQL plans by its statistics
def test_the_near_duplicate_lookup_reads_the_band_index(archive):
    parameters = {f"band_{band}": band for band in range(clusters.BANDS)} | {"article_id": 0}
    with archive.engine.connect() as connection:
        plan = " | ".join(row[-1] for row in connection.execute(
            text("EXPLAIN QUERY PLAN " + clusters._SHARED_BAND_CANDIDATES.element.text), parameters))
    assert "ix_article_shingle_bands_band" in plan and "SCAN shared" not in plan, plan
