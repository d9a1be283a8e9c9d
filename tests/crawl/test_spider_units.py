"""The generic spider's readers, without a crawl: what a start response is, dates of sitemaps and feeds, Atom."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone

import pytest
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.utils.test import get_crawler

from crawler import meta
from crawler.registry import Source
from crawler.spiders.ocop import OcopSpider, _first_tag, _parse_date, parse_since

SOURCE = Source(name="mau", title="Mẫu", homepage="https://mau.example.vn/", kind="national",
                allowed_domains=("mau.example.vn",), start_urls=("https://mau.example.vn/ocop/",),
                article_url_pattern=r"-\d+\.html$")
SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- generated -->
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://mau.example.vn/moi-123.html</loc><lastmod>2026-11-20T08:00:00+07:00</lastmod></url>
 <url><loc>https://mau.example.vn/cu-124.html</loc>
  <news:news><news:publication_date>2024-01-02T08:00:00+07:00</news:publication_date></news:news></url>
 <url><loc>https://mau.example.vn/chuyen-muc/ocop/</loc></url>
 <url><loc>https://khac.example.vn/la-125.html</loc></url>
</urlset>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>A</title><link rel="alternate" href="https://mau.example.vn/a-1.html"/><updated>2026-11-21T01:00:00Z</updated></entry>
<entry><title>B</title><link rel="alternate" href="https://mau.example.vn/b-2.html"/><published>2023-01-01T01:00:00Z</published></entry>
</feed>"""


@pytest.fixture
def spider():
    crawler = get_crawler(OcopSpider, {"OCOP_SOURCES_FILE": None})
    spider = OcopSpider(since="2025-01-01")
    spider.crawler = crawler
    spider.sources = {SOURCE.name: SOURCE}
    return spider


def response(cls, body: bytes, url: str = "https://mau.example.vn/sitemap.xml"):
    return cls(url=url, body=body, request=Request(url, meta={meta.SOURCE: SOURCE.name}))


def test_what_a_start_response_is(spider):
    assert spider.seed_kind(response(XmlResponse, SITEMAP))[0] == "sitemap"
    assert spider.seed_kind(response(XmlResponse, gzip.compress(SITEMAP)))[0] == "sitemap"
    assert spider.seed_kind(response(XmlResponse, ATOM))[0] == "feed"
    assert spider.seed_kind(response(HtmlResponse, b"<!DOCTYPE html><html><body>x</body></html>"))[0] == "listing"
    assert _first_tag(b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">') == "rdf"


def test_a_sitemap_gives_article_urls_on_the_site_with_their_lastmod_and_respects_since(spider):
    requests = list(spider.parse_seed(response(XmlResponse, gzip.compress(SITEMAP))))
    assert [r.url for r in requests] == ["https://mau.example.vn/moi-123.html"]  # the 2024 one predates --since
    assert requests[0].meta[meta.SITEMAP_LASTMOD] == "2026-11-20T08:00:00+07:00"
    assert requests[0].meta[meta.ROLE] == meta.ROLE_ARTICLE


def test_an_atom_feed_and_its_dates(spider):
    requests = list(spider.parse_seed(response(XmlResponse, ATOM, "https://mau.example.vn/feed.atom")))
    assert [r.url for r in requests] == ["https://mau.example.vn/a-1.html"]
    assert requests[0].meta[meta.SITEMAP_LASTMOD] == "2026-11-21T01:00:00+00:00"


def test_a_broken_gzip_or_empty_sitemap_is_an_error_not_a_crash(spider):
    assert list(spider.parse_seed(response(XmlResponse, gzip.compress(SITEMAP)[:40]))) == []
    assert list(spider.parse_seed(response(XmlResponse, b'<?xml version="1.0"?>'))) == []
    assert spider.crawler.stats.get_value("ocop/errors") == 1


def test_dates():
    assert _parse_date("Thu, 06 Feb 2025 20:30:48 +0700") == datetime(2025, 2, 6, 13, 30, 48, tzinfo=timezone.utc)
    assert _parse_date("2025-02-06").utcoffset() == timedelta(hours=7)
    assert _parse_date("hôm qua") is None and _parse_date("") is None
    assert parse_since("2025-07-01").isoformat() == "2025-07-01T00:00:00+07:00"
    with pytest.raises(ValueError):
        parse_since("01/07/2025")
