"""Listing page -> Links: the article URLs it links to (absolute, deduplicated, page order) and its next page."""

from __future__ import annotations

import logging
from urllib.parse import urldefrag, urljoin, urlsplit

from extract.encoding import decode_page
from extract.html import inline_text, may_match, parse_page, select, split_attribute
from extract.model import Links
from extract.profiles import GenericRules, Profile, generic_rules, profile_for

log = logging.getLogger(__name__)

WEB_SCHEMES = ("http", "https")
# A headline link's anchor text has at least this many words ("Giá vàng giảm mạnh" has four).
MIN_HEADLINE_WORDS = 4


def extract_links(page: bytes | str, url: str, *, profile: str | None = None) -> Links:
    """Article links and the next page of a listing; never raises (an unreadable page gives empty Links)."""
    try:
        return _read_links(page, url if isinstance(url, str) else "", profile)
    except Exception:  # noqa: BLE001 - the promise of extract/: any input page gives Links
        log.exception("link extraction failed on %s", url)
        return Links()


def _read_links(page, url: str, profile_name: str | None) -> Links:
    text = page if isinstance(page, str) else decode_page(bytes(page), None) if isinstance(page, (bytes, bytearray)) else ""
    root = parse_page(text)
    if root is None:
        return Links()
    base = _base_url(root, url)
    site = profile_for(url, profile_name)
    rules = generic_rules()
    host = _host(url)
    same_site = [(anchor, target) for anchor in select(root, "a[href]")
                 if (target := _absolute(base, anchor.get("href"))) is not None and _host(target) == host]
    patterned = sum(1 for _, target in same_site if rules.article_url_pattern.search(urlsplit(target).path))
    headline_anchors = set()
    if patterned < rules.thresholds["min_patterned_links"]:
        headline_anchors = _headline_anchors(root, site, rules)
    found: dict[str, None] = {}
    for anchor, target in same_site:
        if target not in found and _is_article_link(target, anchor in headline_anchors, site, rules):
            found[target] = None
    return Links(article_urls=tuple(found), next_page_url=_next_page(root, base, url, site, rules))


def _base_url(root, url: str) -> str:
    for base in select(root, "base[href]"):
        return urljoin(url, base.get("href").strip())
    return url


def _absolute(base: str, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    try:
        target = urldefrag(urljoin(base, href)).url
    except ValueError:
        return None
    return target if urlsplit(target).scheme in WEB_SCHEMES else None


def _host(url: str) -> str:
    """Host and port (sites on one loopback address differ by port), without "www."."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return ""


def _headline_anchors(root, site: Profile | None, rules: GenericRules) -> set:
    """Anchors in headline positions (h2/h3 titles and the like) of a site without a URL pattern."""
    if site is not None and site.article_url_pattern is not None:
        return set()
    anchors = set()
    for selector in may_match(root, rules.version.article_links[:-1]):  # the last generic selector is every link
        for anchor in select(root, selector):
            if len(inline_text(anchor).split()) >= MIN_HEADLINE_WORDS:
                anchors.add(anchor)
    return anchors


def _is_article_link(target: str, is_headline: bool, site: Profile | None, rules: GenericRules) -> bool:
    path = urlsplit(target).path
    verdict = site.is_article_url(target) if site is not None else None
    if verdict is not None:
        return verdict
    if site is not None and site.article_url_pattern is not None:
        return False  # the site's article shape is known and this URL does not have it
    if rules.not_article_url_pattern.search(path):
        return False
    return bool(rules.article_url_pattern.search(path)) or is_headline


def _next_page(root, base: str, url: str, site: Profile | None, rules: GenericRules) -> str | None:
    selectors: tuple[str, ...] = ()
    if site is not None:
        for version in site.versions:
            selectors += version.next_page
    for selector in may_match(root, selectors + rules.version.next_page):
        css, attribute = split_attribute(selector)
        for element in select(root, css):
            target = _absolute(base, element.get(attribute or "href"))
            if target and target != url:
                return target
    words = set(rules.next_page_words)
    for anchor in select(root, "a[href]"):
        if inline_text(anchor) in words or (anchor.get("title") or "").strip() in words:
            target = _absolute(base, anchor.get("href"))
            if target and target != url and _host(target) == _host(url):
                return target
    return None
