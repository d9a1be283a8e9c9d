"""Turns a sample site's content into the bytes it serves (pages, feed, sitemaps, robots.txt) for one base URL."""

from __future__ import annotations

import gzip
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

import jinja2

from ocop.sample.content import SITES_DIR, SampleArticle, SampleSite, slugify

COMMON_TEMPLATES = SITES_DIR / "_common"
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
CSS = "text/css; charset=utf-8"
SVG = "image/svg+xml; charset=utf-8"
GZIP = "application/gzip"
WEEKDAYS_VI = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
RELATED_COUNT = 3       # how many links a "Tin liên quan" box holds
OLDER_COUNT = 5         # how many links a "Tin khác" / "Xem thêm" box holds
FEED_LENGTH = 20        # items in an RSS feed, as on most Vietnamese outlets
HOME_LENGTH = 8         # articles on a home page


@dataclass(frozen=True)
class Resource:
    """One servable thing: its body, Content-Type and the time it last changed (for Last-Modified)."""

    body: bytes
    content_type: str
    last_modified: datetime

    @property
    def etag(self) -> str:
        """A strong validator derived from the body."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


def weekday_vi(moment: datetime) -> str:
    """The Vietnamese name of the day of the week ("Thứ hai" ... "Chủ nhật")."""
    return WEEKDAYS_VI[moment.weekday()]


def _environment(site: SampleSite) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(site.directory / "templates"),
            jinja2.FileSystemLoader(COMMON_TEMPLATES),
        ]),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["weekday_vi"] = weekday_vi
    environment.filters["rfc822"] = format_datetime
    environment.filters["slugify"] = slugify
    return environment


def _pages(items: list, size: int) -> list[list]:
    count = max(1, math.ceil(len(items) / size))
    return [items[index * size:(index + 1) * size] for index in range(count)]


def _newest_change(articles: list[SampleArticle], fallback: datetime) -> datetime:
    return max((article.modified_or_published for article in articles), default=fallback)


def render_site(site: SampleSite, base: str) -> dict[str, Resource]:
    """Every resource of `site` keyed by request path (with its query where the layout uses one).

    `base` is the site's root URL without the trailing slash ("http://127.0.0.1:8123"); every absolute URL in
    the output starts with it.
    """
    environment = _environment(site)
    published = site.published_articles()
    site_changed = _newest_change(published, datetime.fromtimestamp(0).astimezone())
    paths = site.paths
    tag_names = sorted({tag for article in published for tag in article.tags})

    def url(path: str) -> str:
        return base + path

    def article_url(article: SampleArticle) -> str:
        return url(site.article_path(article))

    def tag_path(tag: str) -> str:
        return paths["tag"].format(tag=slugify(tag))

    common = {"base": base, "site": site, "site_changed": site_changed, "url": url, "article_url": article_url, "tag_path": tag_path,
              "image_path": lambda article, index: paths["image"].format(id=article.id, index=index)}
    resources: dict[str, Resource] = {}

    def add(path: str, template: str, content_type: str, changed: datetime, **context) -> None:
        body = environment.get_template(template).render(**common, **context).encode("utf-8")
        resources[path] = Resource(body, content_type, changed)

    drafts = [article for article in site.articles if article.draft]
    ocop_section = site.sections[0].slug
    add("/", "home.html", HTML, site_changed, articles=published[:HOME_LENGTH],
        ocop_articles=[a for a in published if a.section == ocop_section][:HOME_LENGTH])

    for section in site.sections:
        in_section = [article for article in published if article.section == section.slug]
        pages = _pages(in_section, site.page_size)
        for number, page in enumerate(pages, start=1):
            add(site.section_path(section.slug, number), "listing.html", HTML, _newest_change(in_section, site_changed),
                heading=section.title, section=section, articles=page, page=number, page_count=len(pages),
                page_url=lambda n, slug=section.slug: url(site.section_path(slug, n)),
                drafts=drafts if section.slug == ocop_section and number == 1 else [])

    for tag in tag_names:
        tagged = [article for article in published if tag in article.tags]
        add(tag_path(tag), "listing.html", HTML, _newest_change(tagged, site_changed), heading=tag, section=None,
            articles=tagged, page=1, page_count=1, page_url=None, drafts=[])

    for article in site.articles:
        same_section = [a for a in published if a.section == article.section and a.id != article.id]
        newer = [a for a in same_section if a.published > article.published][-RELATED_COUNT:]
        older = [a for a in same_section if a.published <= article.published][:OLDER_COUNT]
        add(site.article_path(article), "article.html", HTML, article.modified_or_published, article=article,
            section=site.section(article.section), related=(older + newer)[:RELATED_COUNT],
            newer=newer, older=older)
        figures = sum(1 for kind, _ in article.blocks() if kind == "figure")
        for index in range(1, figures + 1):
            add(paths["image"].format(id=article.id, index=index), "placeholder.svg", SVG, site_changed,
                caption=article.title)

    feed_sections = site.feed_sections or tuple(section.slug for section in site.sections)
    add(paths["feed"], "rss.xml", RSS, site_changed,
        articles=[a for a in published if a.section in feed_sections][:FEED_LENGTH])
    add(paths["news_sitemap"], "news_sitemap.xml", XML, site_changed, articles=published)
    resources[paths["news_sitemap"] + ".gz"] = Resource(
        gzip.compress(resources[paths["news_sitemap"]].body, mtime=0), GZIP, site_changed)
    add(paths["sitemap_index"], "sitemap_index.xml", XML, site_changed,
        sitemaps=[url(paths["news_sitemap"] + (".gz" if site.index_lists_gzip else "")),
                  url(paths["section_sitemap"])])
    add(paths["section_sitemap"], "section_sitemap.xml", XML, site_changed,
        locations=[url("/")] + [url(site.section_path(section.slug)) for section in site.sections])
    add("/robots.txt", "robots.txt", TEXT, site_changed, disallowed=site.disallowed)
    add(paths["stylesheet"], "style.css", CSS, site_changed)
    return resources
