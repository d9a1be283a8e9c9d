"""The sample server: what each site serves, robots/sitemaps/feeds, validators, hooks, runtime edits, clean stop."""

from __future__ import annotations

import gzip
import http.client
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.robotparser
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import pytest
from lxml import etree

from ocop.sample import behaviours
from ocop.sample.render import GZIP
from ocop.sample.server import STABLE_PORTS, SampleResponse, serve_sample
from tests.sample.client import fetch

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
UNRENDERED = re.compile(r"\{\{|\}\}|\{%|%\}")
ABSOLUTE_LOOPBACK_URL = re.compile(r"https?://127\.0\.0\.1(?::\d+)?")
SITE_NAMES = ("baonongthon", "langnghe", "tindanang")


def registry(sites) -> dict[str, dict]:
    return {source["name"]: source for source in tomllib.loads(sites.sources_toml())["source"]}


def test_there_are_at_least_two_sites_with_distinct_ports(sites):
    assert set(SITE_NAMES) <= set(sites.names)
    ports = {base.rsplit(":", 1)[1] for base in sites.bases.values()}
    assert len(ports) == len(sites.names)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_every_resource_is_served_with_its_content_type(sites, name):
    for path, resource in sites.resources(name).items():
        answer = fetch(sites.url(name, path))
        assert answer.status == 200, path
        assert answer.body == resource.body, path
        assert answer.headers["content-type"] == resource.content_type
        if not resource.content_type.startswith(GZIP):
            assert "charset=utf-8" in answer.headers["content-type"], path
            answer.body.decode("utf-8")


@pytest.mark.parametrize("name", SITE_NAMES)
def test_no_placeholder_is_left_and_absolute_urls_point_at_the_site_itself(sites, name):
    base = sites.bases[name]
    for path, resource in sites.resources(name).items():
        if resource.content_type == GZIP:
            continue
        text = resource.body.decode("utf-8")
        assert not UNRENDERED.search(text), path
        for found in ABSOLUTE_LOOPBACK_URL.findall(text):
            assert found == base, (path, found)


def test_unknown_path_is_404(sites):
    assert fetch(sites.url("baonongthon", "/khong-co-trang-nay.html")).status == 404


@pytest.mark.parametrize("name", SITE_NAMES)
def test_robots_disallows_the_draft_and_allows_the_sections(sites, name):
    robots = fetch(sites.url(name, "/robots.txt"))
    assert robots.headers["content-type"].startswith("text/plain")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(robots.text.splitlines())
    site = sites.site(name)
    drafts = [article for article in site.articles if article.draft]
    assert drafts, "each site holds one page the crawler must not fetch"
    for draft in drafts:
        assert not parser.can_fetch("ocop-monitor", sites.url(name, site.article_path(draft)))
    source = registry(sites)[name]
    for start_url in source["start_urls"]:
        assert parser.can_fetch("ocop-monitor", start_url)
    assert parser.site_maps() == source["sitemaps"]


def _locations(xml: bytes, element: str) -> list[tuple[str, str | None]]:
    root = etree.fromstring(xml)
    return [(node.findtext("sm:loc", namespaces=SITEMAP_NS), node.findtext("sm:lastmod", namespaces=SITEMAP_NS))
            for node in root.findall(f"sm:{element}", SITEMAP_NS)]


@pytest.mark.parametrize("name", SITE_NAMES)
def test_sitemap_index_leads_to_a_news_sitemap_of_every_published_article(sites, name):
    site = sites.site(name)
    source = registry(sites)[name]
    (index_url,) = source["sitemaps"]
    children = _locations(fetch(index_url).body, "sitemap")
    assert len(children) >= 2 and all(lastmod for _, lastmod in children)
    article_locations = {}
    for child_url, _ in children:
        answer = fetch(child_url)
        assert answer.status == 200
        body = gzip.decompress(answer.body) if child_url.endswith(".gz") else answer.body
        article_locations.update(_locations(body, "url"))
    expected = {sites.url(name, site.article_path(a)): a for a in site.published_articles()}
    found = {url: lastmod for url, lastmod in article_locations.items() if url in expected}
    assert set(found) == set(expected)
    for url, lastmod in found.items():
        assert datetime.fromisoformat(lastmod) == expected[url].modified_or_published


@pytest.mark.parametrize("name", SITE_NAMES)
def test_news_sitemap_is_also_served_gzipped(sites, name):
    path = sites.site(name).paths["news_sitemap"]
    plain = fetch(sites.url(name, path))
    zipped = fetch(sites.url(name, path + ".gz"))
    assert zipped.headers["content-type"] == GZIP
    assert gzip.decompress(zipped.body) == plain.body


@pytest.mark.parametrize("name", SITE_NAMES)
def test_rss_feed_items_link_to_served_articles_with_dates(sites, name):
    (feed_url,) = registry(sites)[name]["feeds"]
    answer = fetch(feed_url)
    assert answer.headers["content-type"].startswith("application/rss+xml")
    items = etree.fromstring(answer.body).findall("channel/item")
    assert items
    for item in items:
        assert item.findtext("title")
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert fetch(item.findtext("link")).status == 200


@pytest.mark.parametrize("name", SITE_NAMES)
def test_article_url_pattern_matches_articles_and_no_listing(sites, name):
    pattern = re.compile(registry(sites)[name]["article_url_pattern"])
    site = sites.site(name)
    article_paths = {site.article_path(article) for article in site.articles}
    for path in sites.resources(name):
        assert bool(pattern.search(path.split("?")[0])) == (path in article_paths), path


def test_rendered_registry_is_one_the_crawler_loads(sites, tmp_path):
    from crawler.registry import load_registry

    path = tmp_path / "sources.toml"
    sites.write_sources(path)
    sources = {source.name: source for source in load_registry(path)}
    assert set(sources) == set(sites.names)
    for name, source in sources.items():
        site = sites.site(name)
        assert source.profile == name
        assert all(source.is_article_url(sites.url(name, site.article_path(a))) for a in site.articles)
        assert not any(source.is_article_url(url) for url in source.seeds)
        assert fetch(source.page_url(source.start_urls[0], 2)).status == 200
    assert sources["tindanang"].home_province == "Đà Nẵng"


def test_conditional_requests_get_304(sites):
    url = sites.url("langnghe", "/ocop")
    first = fetch(url)
    assert first.headers["etag"] and first.headers["last-modified"]
    by_etag = fetch(url, {"If-None-Match": first.headers["etag"]})
    assert by_etag.status == 304 and by_etag.body == b"" and "content-length" not in by_etag.headers
    assert by_etag.headers["etag"] == first.headers["etag"]
    assert fetch(url, {"If-Modified-Since": first.headers["last-modified"]}).status == 304
    assert fetch(url, {"If-None-Match": '"other"'}).status == 200
    an_hour_earlier = parsedate_to_datetime(first.headers["last-modified"]) - timedelta(hours=1)
    assert fetch(url, {"If-Modified-Since": format_datetime(an_hour_earlier, usegmt=True)}).status == 200


def test_head_answers_headers_without_body(sites):
    answer = fetch(sites.url("tindanang", "/"), method="HEAD")
    assert answer.status == 200 and answer.body == b"" and int(answer.headers["content-length"]) > 0


def test_request_log_records_method_path_status_and_headers(fresh_sites):
    fetch(fresh_sites.url("baonongthon", "/ocop/"), {"User-Agent": "ocop-test/1"})
    fetch(fresh_sites.url("baonongthon", "/nowhere"))
    log = fresh_sites.requests("baonongthon")
    assert [(r.method, r.target, r.status) for r in log] == [("GET", "/ocop/", 200), ("GET", "/nowhere", 404)]
    assert log[0].headers["user-agent"] == "ocop-test/1"
    assert log[0].path == "/ocop/"
    assert fresh_sites.requests("langnghe") == []
    fresh_sites.clear_requests()
    assert fresh_sites.requests("baonongthon") == []


def test_query_string_pagination_is_served(sites):
    page_two = fetch(sites.url("langnghe", "/ocop?page=2"))
    assert page_two.status == 200 and page_two.body != fetch(sites.url("langnghe", "/ocop")).body


def test_hook_fail_then_serve(fresh_sites):
    fresh_sites.route("baonongthon", "/ocop/", behaviours.fail_then_serve(2, status=503))
    url = fresh_sites.url("baonongthon", "/ocop/")
    assert [fetch(url).status for _ in range(3)] == [503, 503, 200]
    assert [r.status for r in fresh_sites.requests("baonongthon")] == [503, 503, 200]


def test_hook_retry_after_and_gzip_encoding(fresh_sites):
    fresh_sites.route("langnghe", "/ocop", behaviours.fail_then_serve(1, status=429, retry_after_seconds=2))
    refused = fetch(fresh_sites.url("langnghe", "/ocop"))
    assert refused.status == 429 and refused.headers["retry-after"] == "2"
    fresh_sites.route("langnghe", "/", behaviours.gzip_encoded())
    answer = fetch(fresh_sites.url("langnghe", "/"), {"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    assert gzip.decompress(answer.body) == fresh_sites.resources("langnghe")["/"].body


def test_hook_redirect_chain_and_new_paths(fresh_sites):
    fresh_sites.route("tindanang", "/cu/", behaviours.redirect_to("/cu-hon/"))
    fresh_sites.route("tindanang", "/cu-hon/", behaviours.redirect_to("/chuyen-muc/ocop/", status=302))
    first = fetch(fresh_sites.url("tindanang", "/cu/"))
    assert first.status == 301 and first.headers["location"] == "/cu-hon/"
    assert fetch(fresh_sites.url("tindanang", "/cu-hon/")).headers["location"] == "/chuyen-muc/ocop/"
    fresh_sites.unroute("tindanang", "/cu/")
    assert fetch(fresh_sites.url("tindanang", "/cu/")).status == 404


def test_hook_slow_truncated_and_huge(fresh_sites):
    fresh_sites.route("langnghe", "/ocop", behaviours.slow(0.3))
    started = time.monotonic()
    assert fetch(fresh_sites.url("langnghe", "/ocop")).status == 200
    assert time.monotonic() - started >= 0.3
    fresh_sites.route("langnghe", "/", behaviours.truncated(0.5))
    with pytest.raises(http.client.IncompleteRead):  # the body is shorter than announced
        fetch(fresh_sites.url("langnghe", "/"))
    fresh_sites.route("langnghe", "/to", behaviours.huge(megabytes=2))
    assert len(fetch(fresh_sites.url("langnghe", "/to")).body) >= 2 * 1024 * 1024


def test_hook_reencoded_in_windows_1258(fresh_sites):
    site = fresh_sites.site("langnghe")
    article = next(a for a in site.articles if a.id == 26392)
    path = site.article_path(article)
    fresh_sites.route("langnghe", path, behaviours.reencoded("cp1258"))
    answer = fetch(fresh_sites.url("langnghe", path))
    assert answer.headers["content-type"] == "text/html; charset=cp1258"
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("utf-8")
    import unicodedata
    assert article.title in unicodedata.normalize("NFC", answer.body.decode("cp1258"))


def test_custom_hook_sees_the_normal_resource(fresh_sites):
    seen = []

    def hook(request):
        seen.append((request.site, request.path, request.query, request.hit, request.resource is not None))
        return SampleResponse(200, b"ok", "text/plain; charset=utf-8") if request.query == "x=1" else None

    fresh_sites.route("langnghe", "/ocop", hook)
    assert fetch(fresh_sites.url("langnghe", "/ocop?x=1")).body == b"ok"
    assert fetch(fresh_sites.url("langnghe", "/ocop?page=2")).status == 200
    assert seen == [("langnghe", "/ocop", "x=1", 1, True), ("langnghe", "/ocop", "page=2", 2, True)]


def test_a_broken_hook_answers_500_with_its_traceback(fresh_sites):
    def broken(request):
        raise RuntimeError("hook bug")

    fresh_sites.route("baonongthon", "/", broken)
    answer = fetch(fresh_sites.url("baonongthon", "/"))
    assert answer.status == 500 and "RuntimeError: hook bug" in answer.text
    assert fresh_sites.requests("baonongthon")[-1].status == 500


def test_updating_an_article_changes_its_validators_and_sitemap(fresh_sites):
    site = fresh_sites.site("baonongthon")
    article = site.published_articles()[0]
    url = fresh_sites.article_url("baonongthon", article.id)
    assert url == fresh_sites.url("baonongthon", site.article_path(article))
    before = fetch(url)
    later = article.modified_or_published + timedelta(days=1)
    assert fresh_sites.update_article("baonongthon", article.id, title=article.title + " (cập nhật)",
                                      modified=later) == url
    assert fetch(url, {"If-None-Match": before.headers["etag"]}).status == 200
    after = fetch(url)
    assert "(cập nhật)" in after.text
    assert parsedate_to_datetime(after.headers["last-modified"]) == later.replace(microsecond=0)
    news = fetch(fresh_sites.url("baonongthon", site.paths["news_sitemap"])).body
    assert dict(_locations(news, "url"))[url] == later.isoformat()


def test_adding_an_article_puts_it_in_listing_feed_and_sitemap(fresh_sites):
    import dataclasses
    site = fresh_sites.site("tindanang")
    template = next(a for a in site.published_articles() if a.about_ocop)
    newest = dataclasses.replace(template, id=99999, slug="thanh-pho-them-san-pham-moi", title="Thành phố thêm sản phẩm mới",
                                 published=datetime(2026, 11, 28, 9, 0, tzinfo=timezone(timedelta(hours=7))))
    url = fresh_sites.put_article("tindanang", newest)
    assert url.endswith("/2026/11/thanh-pho-them-san-pham-moi/") and fetch(url).status == 200
    assert url in fetch(fresh_sites.url("tindanang", "/chuyen-muc/ocop/")).text
    assert url in fetch(fresh_sites.url("tindanang", "/feed/")).text
    assert url in fetch(fresh_sites.url("tindanang", "/news-sitemap.xml")).text


def _refused(base: str) -> bool:
    host, port = base.removeprefix("http://").split(":")
    with socket.socket() as probe:
        return probe.connect_ex((host, int(port))) != 0


def test_stopping_frees_the_ports():
    with serve_sample() as running:
        bases = running.bases
        assert not any(_refused(base) for base in bases.values())
    assert all(_refused(base) for base in bases.values())
    for base in bases.values():  # the port can be bound again at once
        with socket.socket() as again:
            again.bind(("127.0.0.1", int(base.rsplit(":", 1)[1])))


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for probe in sockets:
        probe.bind(("127.0.0.1", 0))
    ports = [probe.getsockname()[1] for probe in sockets]
    for probe in sockets:
        probe.close()
    return ports


def test_fixed_ports_give_the_same_urls_on_every_run():
    ports = dict(zip(SITE_NAMES, _free_ports(len(SITE_NAMES))))
    with serve_sample(ports=ports) as first:
        urls = first.bases
        assert urls == {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    with serve_sample(ports=ports) as second:
        assert second.bases == urls
    assert len(set(STABLE_PORTS.values())) == len(STABLE_PORTS) and set(STABLE_PORTS) == set(SITE_NAMES)


def test_a_taken_port_is_one_clear_error_and_nothing_keeps_running():
    with serve_sample() as running:
        taken = int(running.bases["langnghe"].rsplit(":", 1)[1])
        serving_threads = [thread for thread in threading.enumerate() if thread.name.startswith("sample-")]
        with pytest.raises(OSError, match="cannot serve sample site langnghe on 127.0.0.1:"):
            with serve_sample(ports={"langnghe": taken}):
                pass
        time.sleep(0.2)  # a few serving-loop polls, for a thread that was told to stop
        assert len([t for t in threading.enumerate() if t.name.startswith("sample-")]) == len(serving_threads)


def test_runs_as_a_process_writing_the_registry_and_stops_on_sigterm(tmp_path: Path):
    registry_file = tmp_path / "sources.toml"
    process = subprocess.Popen([sys.executable, "-m", "ocop.sample.server", "--sources-out", str(registry_file)],
                               stdout=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline().split() for _ in SITE_NAMES]
        bases = {name: url.rstrip("/") for name, url in lines}
        assert set(bases) == set(SITE_NAMES)
        sources = tomllib.loads(registry_file.read_text(encoding="utf-8"))["source"]
        assert {s["name"]: s["homepage"] for s in sources} == {n: b + "/" for n, b in bases.items()}
        assert fetch(sources[0]["start_urls"][0]).status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert all(_refused(base) for base in bases.values())
