"""The offline sample's three sites read through their profiles: every published article exactly as written."""

import pytest

from extract.article import extract_article
from extract.links import extract_links
from ocop.sample.content import load_sites
from ocop.sample.render import render_site

BASE = "http://127.0.0.1:8123"
SITES = load_sites()


def _article_pages(site):
    rendered = render_site(site, BASE)
    for article in site.articles:
        if article.draft:
            continue
        paths = [path for path, resource in rendered.items()
                 if article.slug in path and resource.content_type.startswith("text/html")]
        assert len(paths) == 1, (site.name, article.slug)
        yield article, paths[0], rendered[paths[0]]


@pytest.mark.parametrize("site", SITES, ids=lambda site: site.name)
def test_every_sample_article_is_read_as_written(site):
    for written, path, resource in _article_pages(site):
        article = extract_article(resource.body, BASE + path, content_type=resource.content_type, profile=site.name)
        assert article.is_article, path
        assert article.title == written.title, path
        assert article.published_at == written.published, path
        assert article.authors == (written.author,), path
        assert article.lead == written.lead, path
        assert article.text == written.text(), path


@pytest.mark.parametrize("site", SITES, ids=lambda site: site.name)
def test_sample_listings_link_their_own_articles_and_are_not_articles(site):
    rendered = render_site(site, BASE)
    article_paths = {path for _, path, _ in _article_pages(site)}
    listing = next(path for path in rendered if path.rstrip("/").endswith("ocop"))
    resource = rendered[listing]
    links = extract_links(resource.body, BASE + listing, profile=site.name)
    assert links.article_urls and all(url.removeprefix(BASE) in article_paths for url in links.article_urls)
    assert links.next_page_url is not None
    assert extract_article(resource.body, BASE + listing, profile=site.name).is_article is False
