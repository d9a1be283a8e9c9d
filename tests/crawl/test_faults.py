"""A site that misbehaves: 500 then success, timeouts, redirect chains, windows-1258, truncation, a 50 MB page,
404/410, and one article under two URLs. One crawl over a listing of such pages; each test reads the archive."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from ocop.sample.behaviours import fail_then_serve, huge, redirect_to, reencoded, truncated
from ocop.sample.server import SampleResponse, serve_sample
from storage.models import Article, ArticleVersion, RawResponse, UrlState
from tests.crawl.conftest import Crawl

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("crawl-faults")]  # one crawl serves every test here

SITE = "baonongthon"
TIMEOUT_SECONDS = 1  # the crawl's DOWNLOAD_TIMEOUT; slow pages wait longer than this
SLOW_SECONDS = TIMEOUT_SECONDS + 1.5
HUGE_MEGABYTES = 50


@dataclass
class Faulty:
    crawl: Crawl
    sites: object
    urls: dict[str, str]  # role -> the URL the listing links to
    targets: dict[str, str]  # role -> the sample article URL whose content it serves
    titles: dict[str, str]
    stderr: str


def slow_first(seconds: float):
    """Too slow on the first request (the crawler times out), on time afterwards."""
    def hook(request):
        if request.hit == 1 and request.resource is not None:
            return SampleResponse(200, request.resource.body, request.resource.content_type, delay=seconds)
        return None
    return hook


def always_slow(seconds: float):
    def hook(request):
        return SampleResponse(200, b"<html><body>cham</body></html>", delay=seconds)
    return hook


def serve_copy_of(sites, path: str):
    """Serve the page at `path` under another URL (the same article reachable twice)."""
    def hook(request):
        resource = sites.resources(SITE)[path]
        return SampleResponse(200, resource.body, resource.content_type)
    return hook


def listing(links: list[tuple[str, str]]) -> bytes:
    items = "\n".join(f'<article class="story"><h2 class="story__title"><a href="{href}">{html.escape(title)}</a></h2>'
                      f'<p class="story__sapo">{html.escape(title)}</p></article>' for href, title in links)
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Kiểm thử</title></head>'
            f'<body><main><h1>Tin kiểm thử OCOP</h1><div class="list-news">{items}</div></main></body></html>'
            ).encode("utf-8")


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    with serve_sample() as sites:
        site = sites.site(SITE)
        ocop = [a for a in site.articles if a.about_ocop and not a.draft]
        paths = [site.article_path(a) for a in ocop]
        roles = ["retried_500", "slow_once", "redirected", "windows_1258", "truncated", "duplicated"]
        targets = dict(zip(roles, paths))
        titles = {role: a.title for role, a in zip(roles, ocop)}
        # new paths in the site's article URL shape for the pages that are not plain sample articles
        extra = {role: f"/ocop/kiem-thu-{role.replace('_', '-')}-d26120100{index:02d}.html"
                 for index, role in enumerate(["redirect_start", "redirect_middle", "gone_404", "gone_410", "huge",
                                               "duplicate_copy", "always_slow"])}
        sites.route(SITE, targets["retried_500"], fail_then_serve(2))
        sites.route(SITE, targets["slow_once"], slow_first(SLOW_SECONDS))
        sites.route(SITE, extra["redirect_start"], redirect_to(extra["redirect_middle"], 301))
        sites.route(SITE, extra["redirect_middle"], redirect_to(sites.url(SITE, targets["redirected"]), 302))
        sites.route(SITE, targets["windows_1258"], reencoded("cp1258"))
        sites.route(SITE, targets["truncated"], truncated(0.5))
        sites.route(SITE, extra["gone_410"], lambda request: SampleResponse(410, b"<html><body>Gone</body></html>"))
        sites.route(SITE, extra["huge"], huge(HUGE_MEGABYTES))
        sites.route(SITE, extra["duplicate_copy"], serve_copy_of(sites, targets["duplicated"]))
        sites.route(SITE, extra["always_slow"], always_slow(SLOW_SECONDS))
        # gone_404 has no page at all: the server answers 404
        linked = {**{role: targets[role] for role in roles if role != "redirected"},
                  "redirected": extra["redirect_start"], **{role: extra[role] for role in
                                                             ("gone_404", "gone_410", "huge", "duplicate_copy",
                                                              "always_slow")}}
        titled = [(sites.url(SITE, path), f"Bài kiểm thử {role.replace('_', ' ')} về sản phẩm OCOP")
                  for role, path in linked.items()]
        sites.route(SITE, "/kiem-thu/", lambda request: SampleResponse(200, listing(titled)))
        tmp_path = tmp_path_factory.mktemp("faults")
        runner = Crawl(tmp_path, sites)
        sources = tmp_path / "faults.toml"
        sources.write_text(f"""
[[source]]
name = "kiemthu"
title = "Kiểm thử"
homepage = "{sites.url(SITE, '/')}"
kind = "national"
allowed_domains = ["127.0.0.1"]
start_urls = ["{sites.url(SITE, '/kiem-thu/')}"]
article_url_pattern = '-d\\d+\\.html$'
profile = "{SITE}"
""", encoding="utf-8")
        done = runner.run("--sources-file", str(sources), settings={"DOWNLOAD_TIMEOUT": str(TIMEOUT_SECONDS)})
        yield Faulty(runner, sites, {role: sites.url(SITE, path) for role, path in linked.items()},
                     {role: sites.url(SITE, path) for role, path in targets.items()}, titles, done.stderr)
        runner.close()


def state(faulty: Faulty, role: str):
    return faulty.crawl.url_state(faulty.urls[role])


def test_500_then_success_is_retried_and_archived(faulty):
    assert faulty.urls["retried_500"] in faulty.crawl.archived_urls()
    asked = [r.status for r in faulty.sites.requests(SITE) if r.target.endswith(faulty.targets["retried_500"][-30:])]
    assert asked == [500, 500, 200]


def test_a_timeout_is_retried_and_a_page_that_never_answers_is_recorded_as_an_error(faulty):
    assert faulty.urls["slow_once"] in faulty.crawl.archived_urls()
    never = state(faulty, "always_slow")
    assert never.status == "error" and never.http_status == 599
    assert never.article_id is None


def test_a_redirect_chain_is_followed_and_the_final_url_kept(faulty):
    chain = state(faulty, "redirected")
    assert chain.status == "archived"
    final = faulty.crawl.rows(select(Article.url).where(Article.id == chain.article_id))[0].url
    assert final == faulty.targets["redirected"]
    raw = faulty.crawl.rows(select(RawResponse.url, RawResponse.final_url).where(RawResponse.url == faulty.urls["redirected"]))
    assert raw[0].final_url == faulty.targets["redirected"]


def test_a_windows_1258_page_reads_as_proper_vietnamese(faulty):
    title = faulty.crawl.rows(select(Article.title).where(Article.url == faulty.urls["windows_1258"]))[0].title
    assert unicodedata.normalize("NFC", title) == unicodedata.normalize("NFC", faulty.titles["windows_1258"])


def test_a_truncated_page_is_not_archived_but_recorded(faulty):
    truncated_state = state(faulty, "truncated")
    assert truncated_state.status == "error" and truncated_state.article_id is None
    assert faulty.urls["truncated"] not in faulty.crawl.archived_urls()


def test_a_50_mb_page_is_capped_and_recorded_without_stopping_the_crawl(faulty):
    capped = state(faulty, "huge")
    assert capped.status == "error" and capped.http_status == 599
    raw = faulty.crawl.rows(select(RawResponse.headers).where(RawResponse.url == faulty.urls["huge"]))
    assert "maxsize" in raw[0].headers["x-ocop-error"].lower() or "max size" in raw[0].headers["x-ocop-error"].lower()
    assert faulty.crawl.runs()[-1].status == "finished"


def test_404_and_410_are_recorded_as_gone(faulty):
    for role, status in (("gone_404", 404), ("gone_410", 410)):
        gone = state(faulty, role)
        assert gone.status == "gone" and gone.http_status == status


def test_one_article_under_two_urls_is_archived_once(faulty):
    first, copy = state(faulty, "duplicated"), state(faulty, "duplicate_copy")
    assert first.status == copy.status == "archived"
    assert first.article_id == copy.article_id
    versions = faulty.crawl.rows(select(ArticleVersion.id).where(ArticleVersion.article_id == first.article_id))
    assert len(versions) == 1


def test_the_run_record_counts_the_errors(faulty):
    run = faulty.crawl.runs()[-1]
    assert run.stats["errors"] >= 3  # truncated, too large, never answering
    assert run.stats["gone"] == 2 and run.stats["retries"] >= 3
    states = faulty.crawl.rows(select(UrlState.status))
    assert {"archived", "error", "gone"} <= {row.status for row in states}
