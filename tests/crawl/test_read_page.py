"""read_page, the extraction pool's call: the page read, and what the archive keeps of it computed beside, the same
as the archive computes it itself."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from crawler.pipelines import read_page
from ocop.sample.content import load_sites
from ocop.sample.render import render_site
from storage.prepared import ArticleContent, decompress_body

BASE = "http://127.0.0.1:1"
FETCHED_AT = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def sample_pages():
    """(url, resource, about OCOP) of every published article of the offline sample."""
    for site in load_sites():
        resources = render_site(site, BASE)
        for article in site.articles:
            if not article.draft:
                yield BASE + site.article_path(article), resources[site.article_path(article)], article.about_ocop


def test_the_pool_reads_each_page_and_prepares_what_the_archive_keeps_of_it():
    pages = list(sample_pages())
    assert any(about for *_, about in pages) and not all(about for *_, about in pages)
    for url, resource, about_ocop in pages:
        reading = read_page(resource.body, url, FETCHED_AT, resource.content_type, None, None)
        assert reading.relevant is about_ocop, url
        body = reading.stored_body
        assert decompress_body(body.data, body.encoding) == resource.body
        assert body.digest == hashlib.sha256(resource.body).hexdigest()
        if reading.relevant:
            assert reading.content == ArticleContent.of(reading.article)
            assert reading.content.signature is not None  # sample articles are long enough to cluster
        else:
            assert reading.content is None


def test_a_page_without_any_ocop_signal_is_not_extracted():
    page = "<html><head><title>Giá xăng hôm nay</title></head><body><p>Giá xăng tăng nhẹ.</p></body></html>".encode()
    reading = read_page(page, BASE + "/gia-xang.html", FETCHED_AT, "text/html; charset=utf-8", None, None)
    assert (reading.article, reading.relevant, reading.content) == (None, False, None)
    assert decompress_body(reading.stored_body.data, reading.stored_body.encoding) == page
