"""What a page says about itself in machine-readable form: JSON-LD articles (also inside @graph) and meta tags."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from extract.dates import parse_timestamp
from extract.html import clean_line, select

ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                           "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "Report",
                           "LiveBlogPosting", "TechArticle", "ScholarlyArticle", "SocialMediaPosting"})
# Meta tags that carry the publication time, best first.
PUBLISHED_META = ("article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate",
                  "dc.date.issued", "dcterms.created", "sailthru.date", "date", "publish-date", "article.published")
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "lastmod", "dcterms.modified",
                 "article.updated")
# Elements other than meta tags that carry the publication and modification times in an attribute.
TIME_ITEMPROPS = ("datePublished", "dateModified")
# The tags read here, collected in one walk over the page: a query per tag walks the whole page each time.
READ_TAGS = ("script", "meta", "link", "title")
JSON_LD_TYPE = "application/ld+json"
# Some CMSs escape entities in JSON-LD twice ("&amp;#7871;").
ENTITY_ESCAPE_DEPTH = 2
# JSON the CMS wrote by hand often has raw control characters or trailing commas: both are repaired.
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass
class PageMeta:
    """The machine-readable claims of one page; each field is None or empty when the page does not say."""

    is_article_type: bool = False
    headline: str | None = None
    published: list[datetime] = field(default_factory=list)
    modified: list[datetime] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    publisher_names: list[str] = field(default_factory=list)
    section: str | None = None
    breadcrumb: list[tuple[str, str]] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    og_type: str | None = None
    language: str | None = None
    page_title: str | None = None


def read_page_meta(root) -> PageMeta:
    """JSON-LD first (its claims come first in each list), then OpenGraph, itemprop and named meta tags."""
    meta = PageMeta()
    tagged: dict[str, list] = {tag: [] for tag in READ_TAGS}
    for element in root.iter(*READ_TAGS):  # in document order, root included, as a CSS query gives them
        tagged[element.tag].append(element)
    for node in _json_ld_nodes(tagged["script"]):
        _read_json_ld_node(node, meta)
    _read_meta_tags(root, tagged, meta)
    return meta


def _json_ld_nodes(scripts):
    for script in scripts:
        if script.get("type") != JSON_LD_TYPE:
            continue
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            try:
                data = json.loads(_TRAILING_COMMA.sub(r"\1", text), strict=False)
            except ValueError:
                continue
        yield from _flatten(data)


def _flatten(data, depth: int = 0):
    if depth > 4:  # JSON-LD nests a few levels at most; deeper is not worth following
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten(graph, depth + 1)


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {item for item in kind if isinstance(item, str)}
    return set()


def _read_json_ld_node(node: dict, meta: PageMeta) -> None:
    kinds = _types(node)
    if "BreadcrumbList" in kinds and not meta.breadcrumb:
        meta.breadcrumb = _breadcrumb(node)
        return
    if not kinds & ARTICLE_TYPES:
        return
    meta.is_article_type = True
    meta.headline = meta.headline or _text(node.get("headline")) or _text(node.get("name"))
    _append_moment(meta.published, node.get("datePublished"))
    _append_moment(meta.modified, node.get("dateModified"))
    meta.authors.extend(_names(node.get("author")))
    meta.publisher_names.extend(_names(node.get("publisher")))
    meta.section = meta.section or _text(_first(node.get("articleSection")))
    meta.keywords.extend(_keywords(node.get("keywords")))
    meta.language = meta.language or _text(node.get("inLanguage"))
    entity = node.get("mainEntityOfPage")
    meta.canonical_url = meta.canonical_url or _text(entity.get("@id") if isinstance(entity, dict) else entity)


def _breadcrumb(node: dict) -> list[tuple[str, str]]:
    items = node.get("itemListElement")
    crumbs = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        target = item.get("item")
        name = item.get("name") or (target.get("name") if isinstance(target, dict) else None)
        url = target.get("@id") if isinstance(target, dict) else target
        if _text(name):
            crumbs.append((_text(name), url if isinstance(url, str) else ""))
    return crumbs


def _read_meta_tags(root, tagged: dict[str, list], meta: PageMeta) -> None:
    values: dict[str, list[str]] = {}
    for tag in tagged["meta"]:
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip()
        content = tag.get("content")
        if key and content is not None:
            values.setdefault(key.lower(), []).append(content)
    # Every itemprop element, the time ones picked here: one attribute test per element costs a fraction of the
    # CSS group "[itemprop=datePublished], [itemprop=dateModified]" (two walks, each comparing values).
    for tag in select(root, "[itemprop]"):
        if tag.tag != "meta" and tag.get("itemprop") in TIME_ITEMPROPS:
            value = tag.get("datetime") or tag.get("content")
            if value:
                values.setdefault(tag.get("itemprop").lower(), []).append(value)

    def first(*keys: str) -> str | None:
        for key in keys:
            for value in values.get(key.lower(), []):
                if line := clean_line(value):
                    return line
        return None

    for key in PUBLISHED_META:
        for value in values.get(key.lower(), []):
            _append_moment(meta.published, value)
    for key in MODIFIED_META:
        for value in values.get(key.lower(), []):
            _append_moment(meta.modified, value)
    meta.headline = meta.headline or first("og:title", "twitter:title")
    meta.og_type = first("og:type")
    meta.section = meta.section or first("article:section")
    if not meta.keywords:
        meta.keywords = [word for word in map(clean_line, values.get("article:tag", [])) if word]
    if not meta.authors:
        meta.authors = [name for name in (clean_line(value) for value in values.get("article:author", [])
                                           + values.get("author", [])) if name and "://" not in name]
    for link in tagged["link"]:
        if link.get("rel") == "canonical" and link.get("href", "").strip():
            meta.canonical_url = link.get("href").strip()
            break
    meta.canonical_url = meta.canonical_url or first("og:url")
    html_language = root.get("lang") or root.get("xml:lang")
    meta.language = meta.language or (clean_line(html_language) if html_language else None) or first("og:locale", "language", "content-language")
    title = tagged["title"]
    meta.page_title = clean_line(title[0].text_content()) if title else None


def _append_moment(moments: list[datetime], value) -> None:
    moment = parse_timestamp(_text(_first(value)))
    if moment is not None:
        moments.append(moment)


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value) -> str | None:
    if isinstance(value, str):
        return clean_line(_unescape(value)) or None
    return None


def _unescape(text: str) -> str:
    """Entities in JSON-LD strings, escaped once or (on some CMSs) twice."""
    for _ in range(ENTITY_ESCAPE_DEPTH):
        if "&" not in text:
            break
        text = html.unescape(text)
    return text


def _names(value) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        name = _text(value.get("name"))
        return [name] if name else []
    name = _text(value)
    return [name] if name else []


def _keywords(value) -> list[str]:
    if isinstance(value, list):
        return [word for item in value for word in _keywords(item)]
    if isinstance(value, str):
        return [word for word in (clean_line(part) for part in value.split(",")) if word]
    return []
