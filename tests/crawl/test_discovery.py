"""Discovery and memory: sitemaps (index, gzipped news sitemap, lastmod), RSS, listings with pagination,
robots.txt, relevance, and a second crawl that fetches no article page again."""

from __future__ import annotations

import dataclasses
import gzip
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from storage.models import Article, ArticleVersion, RawResponse
from tests.crawl.conftest import DEFAULT_POOL, article_paths, requested_paths

pytestmark = pytest.mark.slow

REALISTIC_ID = 2612010000  # article ids of the sample are date-coded (yymmddHHMM); profiles expect that shape


def expected_archive(sites) -> tuple[set[str], set[str]]:
    """(URLs of the sample's published OCOP articles, URLs of its other published articles)."""
    about, other = set(), set()
    for name in sites.names:
        site = sites.site(name)
        for article in site.articles:
            if not article.draft:
                (about if article.about_ocop else other).add(sites.url(name, site.article_path(article)))
    return about, other


def test_full_crawl_archives_the_ocop_articles_and_a_second_crawl_fetches_none_again(crawl, sites):
    done = crawl.run(settings=DEFAULT_POOL)
    about, other = expected_archive(sites)
    assert crawl.archived_urls() == about
    states = crawl.url_states()
    assert {url for url, status in states.items() if status == "irrelevant"} == other  # seen, not archived
    assert crawl.version_count() == len(about)

    for name in sites.names:
        paths = requested_paths(sites, name)
        site = sites.site(name)
        assert site.paths["sitemap_index"] in paths and site.paths["feed"] in paths
        news = site.paths["news_sitemap"] + (".gz" if site.index_lists_gzip else "")
        assert news in paths, f"{name}: the news sitemap listed in the index was not read"
        # robots.txt: the drafts linked from the OCOP section sit under a disallowed prefix
        assert not [path for path in paths if any(path.startswith(prefix) for prefix in site.disallowed)]
        assert paths.count("/robots.txt") == 1
    # raw responses are kept compressed, with headers and fetch time, for re-extraction offline
    raw = crawl.rows(select(RawResponse).where(RawResponse.url.in_(about)))
    assert len(raw) == len(about) and all(r.body_encoding == "zlib" and r.headers and r.fetched_at for r in raw)
    run = crawl.runs()[-1]
    assert run.status == "finished" and run.stats["articles_new"] == len(about) and run.stats["pages"] > len(about)
    assert f"finished: {run.stats['pages']} pages, {len(about)} articles" in done.stderr

    sites.clear_requests()
    crawl.run()
    for name in sites.names:
        fetched_again = article_paths(sites, name) & set(requested_paths(sites, name))
        assert not fetched_again, f"{name}: {fetched_again} fetched again"
    assert crawl.url_states() == states and crawl.version_count() == len(about)
    second = crawl.runs()[-1]
    assert second.stats["articles"] == 0 and second.stats["skipped_seen"] >= len(about) + len(other)


def test_gzipped_news_sitemap_with_lastmod_and_since(crawl, sites):
    name = next(n for n in sites.names if sites.site(n).index_lists_gzip)
    site = sites.site(name)
    served = sites.resources(name)[site.paths["news_sitemap"] + ".gz"].body
    assert gzip.decompress(served).lstrip().startswith(b"<?xml")
    published = sorted(a.published for a in site.articles if not a.draft and a.about_ocop)
    since = published[len(published) // 2]
    crawl.run("--url", sites.url(name, site.paths["sitemap_index"]), "--since", since.date().isoformat())
    archived = crawl.rows(select(Article.url, Article.published_at))
    assert archived, "the sitemap index led to no article"
    midnight = datetime.combine(since.date(), datetime.min.time(), since.tzinfo)
    assert all(row.published_at >= midnight for row in archived)
    wanted = {sites.url(name, site.article_path(a)) for a in site.articles
              if not a.draft and a.about_ocop and a.modified_or_published >= midnight}
    assert {row.url for row in archived} == wanted
    older = {site.article_path(a) for a in site.articles if a.modified_or_published < midnight}
    assert not older & set(requested_paths(sites, name)), "articles older than --since were fetched"


def test_rss_feed_alone_finds_articles(crawl, sites):
    name = sites.names[0]
    site = sites.site(name)
    crawl.run("--url", sites.url(name, site.paths["feed"]))
    paths = requested_paths(sites, name)
    assert site.paths["feed"] in paths
    archived = crawl.archived_urls()
    assert archived and all(url.startswith(sites.url(name, "/")) for url in archived)
    assert not any(path.startswith("/" + site.sections[0].slug) for path in paths[1:] if path != site.paths["feed"]
                   and path.rstrip("/") == "/" + site.sections[0].slug), "a feed crawl needs no listing"


def test_pagination_stops_at_the_already_seen_page(crawl, sites):
    name = next(n for n in sites.names if len(_ocop_section(sites, n)) > sites.site(n).page_size)
    site = sites.site(name)
    section = site.sections[0].slug
    in_section = _ocop_section(sites, name)
    # three listing pages and more: add articles to the OCOP section
    template = in_section[0]
    for offset in range(1, 2 * site.page_size + 1):
        sites.put_article(name, dataclasses.replace(
            template, id=REALISTIC_ID + offset, slug=f"{template.slug}-{offset}",
            published=template.published - timedelta(days=400 + offset), modified=None))
    pages = [site.section_path(section, n) for n in range(1, 4)]
    start = sites.url(name, pages[0])
    crawl.run("--url", start)
    first = requested_paths(sites, name)
    assert all(_requested(first, page) for page in pages), "the first crawl reads every listing page"

    newest = max(a.published for a in sites.site(name).articles)
    sites.put_article(name, dataclasses.replace(template, id=REALISTIC_ID, slug=f"{template.slug}-moi",
                                                published=newest + timedelta(hours=1), modified=None))
    sites.clear_requests(name)
    crawl.run("--url", start)
    second = requested_paths(sites, name)
    new_path = sites.site(name).article_path(next(a for a in sites.site(name).articles if a.id == REALISTIC_ID))
    assert new_path in second
    assert _requested(second, pages[0]) and _requested(second, pages[1])  # page 2 is where the seen articles begin
    assert not _requested(second, pages[2]), "pagination went past a page whose articles were all seen"
    assert sites.url(name, new_path) in crawl.archived_urls()


def test_an_updated_article_becomes_a_new_version_and_an_untouched_one_does_not(crawl, sites):
    name = sites.names[0]
    site = sites.site(name)
    crawl.run("--source", name)
    ocop = [a for a in site.articles if a.about_ocop and not a.draft]
    changed, touched = ocop[0], ocop[1]
    later = datetime.now().astimezone() + timedelta(minutes=1)
    changed_url = sites.update_article(name, changed.id, lead=changed.lead + " Số liệu được cập nhật thêm.",
                                       modified=later)
    touched_url = sites.update_article(name, touched.id, modified=later)  # new lastmod, same words
    sites.clear_requests(name)
    crawl.run("--source", name)
    again = requested_paths(sites, name)
    assert site.article_path(changed) in again and site.article_path(touched) in again
    others = article_paths(sites, name) - {site.article_path(changed), site.article_path(touched)}
    assert not others & set(again)
    assert crawl.versions(changed_url) == 2 and crawl.versions(touched_url) == 1
    versions = crawl.rows(select(ArticleVersion.version, ArticleVersion.lead)
                          .join(Article, Article.id == ArticleVersion.article_id).where(Article.url == changed_url)
                          .order_by(ArticleVersion.version))
    assert [v.version for v in versions] == [1, 2] and "cập nhật thêm" in versions[1].lead
    # the re-check was conditional: the archive's validators were sent
    asked = [r for r in sites.requests(name) if r.path == site.article_path(touched)]
    assert asked and ("if-none-match" in asked[-1].headers or "if-modified-since" in asked[-1].headers)


def test_refresh_age_rechecks_conditionally_and_unchanged_pages_cost_a_304(crawl, sites):
    name = sites.names[0]
    crawl.run("--source", name)
    versions = crawl.version_count()
    sites.clear_requests(name)
    crawl.run("--source", name, settings={"OCOP_REFRESH_AFTER_DAYS": "0.000001"})
    asked = [r for r in sites.requests(name) if r.path in article_paths(sites, name)]
    assert asked and all(r.status == 304 for r in asked)
    assert crawl.version_count() == versions
    assert crawl.runs()[-1].stats["not_modified"] == len(asked)


def _ocop_section(sites, name):
    site = sites.site(name)
    return [a for a in site.articles if a.section == site.sections[0].slug and not a.draft]


def _requested(paths: list[str], page: str) -> bool:
    return page in paths
