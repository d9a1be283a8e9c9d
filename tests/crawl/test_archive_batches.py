"""The archive pipeline's group commit: pages that wait for the writer are stored together, each item goes on only
after its own transaction committed, and a page that cannot be stored fails alone."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from scrapy.utils.test import get_crawler

from crawler.archive import crawler_archive
from crawler.items import PageItem
from crawler.pipelines import MAX_PAGES_PER_WRITE, ArchivePipeline
from crawler.spiders.ocop import OcopSpider
from storage import Archive

PAGES = 120  # more than two batches' worth


def item(number: int) -> PageItem:
    return PageItem(url=f"http://127.0.0.1/tin-{number}.html", final_url=f"http://127.0.0.1/tin-{number}.html",
                    source="local", status=200, headers={"content-type": "text/html; charset=utf-8"},
                    body=f"<html>tin {number}</html>".encode(), fetched_at=datetime.now(timezone.utc))


@pytest.fixture()
def pipeline(tmp_path):
    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    crawler = get_crawler(OcopSpider, {"OCOP_DATABASE_URL": url, "OCOP_SOURCES_FILE": None})
    archived = ArchivePipeline(crawler)
    yield archived, url
    archived.close_spider()
    crawler_archive(crawler).close()


def test_pages_waiting_for_the_writer_go_in_one_transaction_and_each_is_stored_when_it_goes_on(pipeline, monkeypatch):
    archived, url = pipeline
    archive = crawler_archive(archived.crawler)
    batches = []
    real = archive.store_pages

    def recording(batch):
        outcomes = real(batch)
        batches.append(len(batch))
        return outcomes
    monkeypatch.setattr(archive, "store_pages", recording)

    async def crawl():
        async def one(number):
            done = await archived.process_item(item(number))
            assert archive.page_state(done.url) is not None  # committed before the item goes on
            return done
        return await asyncio.gather(*(one(number) for number in range(PAGES)))
    done = asyncio.run(crawl())
    assert [entry.outcome for entry in done] == ["irrelevant"] * PAGES
    assert sum(batches) == PAGES and max(batches) <= MAX_PAGES_PER_WRITE and len(batches) < PAGES
    with Archive.open(url) as reopened:
        assert all(reopened.page_state(entry.url) for entry in done)


def test_a_page_that_cannot_be_stored_fails_alone(pipeline, monkeypatch):
    archived, _url = pipeline
    archive = crawler_archive(archived.crawler)
    real = archive.store_pages
    bad = item(7).url

    def refusing_batches(batch):
        if any(prepared.page.url == bad for prepared in batch):
            raise RuntimeError("cannot store this page")
        return real(batch)
    monkeypatch.setattr(archive, "store_pages", refusing_batches)

    async def crawl():
        return await asyncio.gather(*(archived.process_item(item(number)) for number in range(20)),
                                    return_exceptions=True)
    results = asyncio.run(crawl())
    failed = [number for number, result in enumerate(results) if isinstance(result, Exception)]
    assert failed == [7]
    assert all(archive.page_state(item(number).url) for number in range(20) if number != 7)
