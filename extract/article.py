"""Page -> Article: each field from the best evidence (JSON-LD, meta, site profile, generic rules), the visible page last."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import trafilatura
from cssselect import HTMLTranslator

from extract.dates import parse_date_line
from extract.encoding import decode_page
from extract.facts import FACTS_VERSION, facts_for_article
from extract.html import (BLOCK_TAGS, block_lines, clean_line, has_visible_text, inline_text, link_text_share,
                          matches_any, may_match, parse_page, remove, select, select_first, split_attribute)
from extract.html_meta import PageMeta, read_page_meta
from extract.model import Article
from extract.profiles import GenericRules, Profile, ProfileVersion, generic_rules, profile_for, profiles_digest
from extract.text import fold

log = logging.getLogger(__name__)

# Change this when the extraction code changes; profile changes change the digest appended to it.
ARTICLE_RULES_VERSION = "1.0.0"
# Letters only Vietnamese uses among Latin scripts (horn, breve, stroke, dot below, hook above): a page whose
# letters are at least this share of them is Vietnamese.
VIETNAMESE_ONLY_LETTERS = frozenset(
    "ăắằẳẵặơớờởỡợưứừửữựđạảậẩẫấầẹẻẽềểễếệỉịọỏộổỗốồụủỵỷỹ" "ĂẮẰẲẴẶƠỚỜỞỠỢƯỨỪỬỮỰĐẠẢẬẨẪẤẦẸẺẼỀỂỄẾỆỈỊỌỎỘỔỖỐỒỤỦỴỶỸ"
)
VIETNAMESE_LETTER_SHARE = 0.03
# The language is judged on the start of the text only.
LANGUAGE_SAMPLE_CHARS = 5000
_VIETNAMESE_ONLY_LETTER = re.compile("[" + "".join(sorted(VIETNAMESE_ONLY_LETTERS)) + "]")
# Separators between several writers in one byline ("Quang Phong - Tùng Nguyên", "A, B và C").
BYLINE_SEPARATORS = (" - ", " – ", " — ", ",", ";", " và ", " & ")
# A writer's name has at most this many words; longer text in a byline slot is a sentence.
MAX_NAME_WORDS = 6
# Only the first few elements a date selector finds are tried: further ones are other articles' dates.
DATE_LINES_TRIED = 5
# A heading inside the structured title (or holding it) is the headline when it has at least half its length.
MIN_CONTAINED_TITLE_SHARE = 0.5
RELATED_POINTER = ">>"
WORD_CHARACTER = re.compile(r"\w")
# "(Vietnamnet/Reuters)", "(tổng hợp)": a parenthesis in a byline is never part of a name.
PARENTHESISED = re.compile(r"\([^)]*\)?")


@lru_cache(maxsize=1)
def article_version() -> str:
    """The version of the article rules: code version plus a hash of every profile file."""
    return f"{ARTICLE_RULES_VERSION}+{profiles_digest()}"


def extractor_version() -> str:
    return f"{article_version()}/{FACTS_VERSION}"


def extract_article(page: bytes | str, url: str, *, fetched_at: datetime | None = None,
                    content_type: str | None = None, profile: str | None = None,
                    home_province: str | None = None) -> Article:
    """Read a page as an article; never raises: an unreadable page gives empty fields and is_article false."""
    url = url if isinstance(url, str) else ""
    try:
        return _read_article(page, url, fetched_at, content_type, profile, home_province)
    except Exception:  # noqa: BLE001 - the promise of extract/: any input page gives an Article
        log.exception("article extraction failed on %s", url)
        return Article(url=url, extractor_version=extractor_version())


@dataclass
class _Layout:
    """The rules a page is read with: a profile layout when one fits, and the generic rules always."""

    rules: GenericRules
    site: Profile | None
    version: ProfileVersion | None
    body: object | None  # the body container element, when a selector found one
    values_read: dict[str, str | None]  # attribute values of the page read by may_match, shared by its queries

    def selectors(self, name: str) -> tuple[str, ...]:
        own = getattr(self.version, name) if self.version else ()
        return own or getattr(self.rules.version, name)


def _read_article(page, url, fetched_at, content_type, profile_name, home_province=None) -> Article:
    text = page if isinstance(page, str) else decode_page(bytes(page), content_type) if isinstance(page, (bytes, bytearray)) else ""
    root = parse_page(text)
    if root is None:
        return Article(url=url, extractor_version=extractor_version())
    meta = read_page_meta(root)
    layout = _layout(root, url, fetched_at, profile_name)
    title_element, title = _title(root, layout, meta)
    lead_element, lead = _lead(root, layout)
    published_at = _published_at(root, layout, meta, fetched_at)
    modified_at = meta.modified[0] if meta.modified else None
    section = _section(root, layout, meta, title)
    tags = _tags(root, layout, meta)
    byline_names = _byline_names(root, layout)
    body, trailing_names = [], []
    if not _ruled_out(url, layout):  # a known listing, tag or home page has no body worth the search
        body, trailing_names = _body(root, url, layout, lead_element, title_element)
    if lead and body and body[0] == lead:
        body = body[1:]
    lines = ([lead] if lead else []) + body
    article_text = "\n".join(lines)
    authors = _authors(byline_names + trailing_names, meta, url, layout.rules)
    canonical = urljoin(url, meta.canonical_url) if meta.canonical_url else None
    is_article = _is_article(url, layout, meta, title_element is not None, title, article_text, published_at)
    facts = ()
    if is_article and article_text:
        facts = tuple(facts_for_article(title=title, lead=lead, text=article_text, url=canonical or url,
                                        published_at=published_at, home_province=home_province))
    return Article(
        url=url, canonical_url=canonical, is_article=is_article, title=title, lead=lead,
        text=article_text, authors=tuple(authors),
        published_at=published_at, modified_at=modified_at, section=section, tags=tuple(tags),
        language=_language(article_text or title or "", meta.language), facts=facts,
        extractor_version=extractor_version(),
    )


def _layout(root, url: str, fetched_at: datetime | None, profile_name: str | None) -> _Layout:
    rules = generic_rules()
    site = profile_for(url, profile_name)
    values_read: dict[str, str | None] = {}
    if site is not None:
        for version in site.versions_for(fetched_at):
            found = [element for element in select_first(root, version.body, values_read) if has_visible_text(element)]
            if found:
                return _Layout(rules, site, version, found[0], values_read)
    found = [element for element in select_first(root, rules.version.body, values_read) if has_visible_text(element)]
    return _Layout(rules, site, None, max(found, key=lambda element: len(inline_text(element))) if found else None,
                   values_read)


def _values(root, selectors, values_read: dict[str, str | None]) -> list[str]:
    """Texts (or attribute values, with ::attr(name)) of the first selector that gives any."""
    for selector in may_match(root, selectors, values_read):
        css, attribute = split_attribute(selector)
        values = []
        for element in select(root, css):
            if attribute:
                value = clean_line(element.get(attribute) or "")
            elif element.tag == "script":  # a date line some pages write with an inline script
                value = clean_line(html.unescape(element.text or ""))
            else:
                value = " ".join(block_lines(element))
            if value:
                values.append(value)
        if values:
            return values
    return []


def _title(root, layout: _Layout, meta: PageMeta):
    """The visible headline; where several could be it, the one closest to the page's structured title."""
    rules = layout.rules
    if layout.version and layout.version.title:
        for element in select_first(root, layout.version.title, layout.values_read):
            text = inline_text(element)
            if text:
                return element, text
    candidates = [(element, inline_text(element))
                  for selector in may_match(root, rules.version.title, layout.values_read)
                  for element in select(root, selector)]
    candidates = [(element, text) for element, text in candidates if text]
    structured = meta.headline
    if not structured:
        return candidates[0] if candidates else (None, _title_from_page_title(meta.page_title))
    wanted = {fold(structured), fold(_title_from_page_title(structured))}
    for pool in (candidates, [(element, inline_text(element)) for element in select(root, "h1, h2, h3")]):
        scored = [(_title_match(fold(text), wanted), element, text) for element, text in pool if text]
        if scored:
            score, element, text = max(scored, key=lambda item: item[0])
            if score >= rules.thresholds["title_similarity"]:
                return element, text
    return None, structured


def _title_match(visible: str, wanted: set[str]) -> float:
    """How well a visible heading matches the structured title (1.0 when one holds the other)."""
    best = 0.0
    for title in wanted:
        if visible and (visible in title or title in visible) and len(visible) >= len(title) * MIN_CONTAINED_TITLE_SHARE:
            return 1.0
        best = max(best, SequenceMatcher(None, visible, title).ratio())
    return best


def _title_from_page_title(page_title: str | None) -> str | None:
    """<title> without the site name after its last separator."""
    if not page_title:
        return None
    for separator in (" | ", " - ", " – ", " :: "):
        if separator in page_title:
            return page_title.rsplit(separator, 1)[0].strip() or page_title
    return page_title


def _lead(root, layout: _Layout):
    rules = layout.rules
    selectors = (layout.version.lead if layout.version else ()) or rules.version.lead
    for element in select_first(root, selectors, layout.values_read):
        lines = [line for line in block_lines(element) if not line.startswith(rules.boilerplate_line_prefixes)]
        # A pointer to another article inside the sapo (">> ...") ends it.
        text = clean_line(" ".join(lines).split(RELATED_POINTER)[0])
        if text:
            return element, text
    return None, None


def _published_at(root, layout: _Layout, meta: PageMeta, fetched_at: datetime | None) -> datetime | None:
    """The machine-readable time where it agrees with the visible date line; the visible line where they differ.

    Only a profile knows where the date line is: a date found by the generic selectors may be a sidebar's,
    so on a page read without a profile it never overrides a machine-readable time."""
    visible = _visible_date(root, layout, fetched_at)
    if visible is None or (layout.version is None and meta.published and not _same_minute(visible, meta.published)):
        return meta.published[0] if meta.published else None
    same_minute = _same_minute(visible, meta.published)
    if same_minute:
        return max(same_minute, key=lambda moment: moment.second)
    if visible.hour == visible.minute == 0:  # a date-only line: a machine time on the same day refines it
        same_day = [moment for moment in meta.published if moment.date() == visible.date()]
        if same_day:
            return same_day[0]
    return visible


def _same_minute(visible: datetime, moments: list[datetime]) -> list[datetime]:
    return [moment for moment in moments
            if moment.replace(second=0, microsecond=0) == visible.replace(second=0, microsecond=0)]


def _visible_date(root, layout: _Layout, fetched_at: datetime | None) -> datetime | None:
    date_order = layout.version.date_order if layout.version else "DMY"
    limit = layout.rules.thresholds["max_date_line_chars"]
    for line in _values(root, layout.selectors("date"), layout.values_read)[:DATE_LINES_TRIED]:
        if len(line) <= limit:
            moment = parse_date_line(line, fetched_at=fetched_at, date_order=date_order)
            if moment is not None:
                return moment
    return None


def _section(root, layout: _Layout, meta: PageMeta, title: str | None) -> str | None:
    if layout.version and layout.version.section:
        names = _values(root, layout.version.section, layout.values_read)
        if names:
            return names[-1]
    if meta.section:
        return meta.section
    crumbs = [name for name, _ in meta.breadcrumb if name != title]
    if crumbs:
        return crumbs[-1]
    names = _values(root, layout.rules.version.section, layout.values_read)
    return names[-1] if names else None


def _tags(root, layout: _Layout, meta: PageMeta) -> list[str]:
    visible = _values(root, layout.version.tags, layout.values_read) if layout.version and layout.version.tags else []
    return list(dict.fromkeys(visible or meta.keywords))


def _byline_names(root, layout: _Layout) -> list[str]:
    if layout.version is not None and not layout.version.byline:
        return []
    names = []
    for text in _values(root, layout.selectors("byline"), layout.values_read)[:1]:
        names.extend(_split_byline(text, layout.rules))
    return names


def _split_byline(text: str, rules: GenericRules) -> list[str]:
    """Writers' names in a byline, without "Theo", photo credits, sources after a slash or publications."""
    pieces = [_strip_byline_words(PARENTHESISED.sub(" ", line), rules) for line in text.split("\n")]
    for separator in BYLINE_SEPARATORS:
        pieces = [part for piece in pieces for part in piece.split(separator)]
    names = []
    for piece in pieces:
        name = clean_line(piece.split("/")[0])
        if name.startswith(rules.photo_credit_prefixes):
            continue
        name = _strip_byline_words(name, rules).strip(" :-–")
        if _looks_like_name(name, rules):
            names.append(name)
    return names


def _strip_byline_words(text: str, rules: GenericRules) -> str:
    text = clean_line(text)
    for suffix in rules.byline_suffixes:
        text = text.split(suffix)[0].strip()
    for prefix in rules.byline_prefixes:
        if text.startswith(prefix + " ") or (prefix.endswith(":") and text.startswith(prefix)):
            return text[len(prefix):].strip(" :")
    return text


def _looks_like_name(name: str, rules: GenericRules) -> bool:
    if not name or len(name.split()) > MAX_NAME_WORDS or any(char.isdigit() for char in name):
        return False
    if "." in name and " " not in name and len(name) > 4:  # a domain such as VietQ.vn
        return False
    folded = fold(name)
    return folded not in _folded_words(rules.publications)


def _authors(names: list[str], meta: PageMeta, url: str, rules: GenericRules) -> list[str]:
    """Writers from the visible byline; the structured author only when it is a person, not the publisher."""
    if not names:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        publishers = {_squash(name) for name in meta.publisher_names} | {_squash(host), _squash(host.split(".")[0])}
        names = [name for name in meta.authors
                 if name[0].isupper() and _squash(name) not in publishers and _looks_like_name(name, rules)]
    return list(dict.fromkeys(names))


def _squash(text: str) -> str:
    return "".join(char for char in fold(text) if char.isalnum())


def _body(root, url: str, layout: _Layout, lead_element, title_element) -> tuple[list[str], list[str]]:
    """Body lines without boilerplate, and the writers named in trailing byline lines."""
    rules = layout.rules
    container = layout.body
    if container is None:
        return _generic_body(root, url, rules), []
    fallback = _generic_body(root, url, rules) if layout.version is None else None
    lines, names = _container_body(container, layout, lead_element, title_element)
    if fallback and _shared_text(fallback, lines) >= rules.thresholds["generic_agreement_share"]:
        # trafilatura read the same region as the generic container: its finer cleaning wins there, but the
        # short lines it skips between the lines it keeps (subheadings) stay.
        return _agreed_lines(lines, set(fallback), rules.thresholds["max_subheading_words"]), names
    return lines, names


def _agreed_lines(lines: list[str], kept: set[str], max_subheading_words: int) -> list[str]:
    positions = [index for index, line in enumerate(lines) if line in kept]
    if not positions:
        return []
    first, last = positions[0], positions[-1]
    return [line for index, line in enumerate(lines)
            if line in kept or (first < index < last and len(line.split()) <= max_subheading_words)]


def _shared_text(lines: list[str], others: list[str]) -> float:
    """The share of the text of `lines` that is also a line of `others`."""
    known = set(others)
    total = sum(len(line) for line in lines)
    return sum(len(line) for line in lines if line in known) / total if total else 0.0


def _container_body(container, layout: _Layout, lead_element, title_element) -> tuple[list[str], list[str]]:
    rules = layout.rules
    for element in (lead_element, title_element):
        if element is not None and _is_inside(element, container):
            remove(element)
    for selector in layout.version.drop if layout.version else ():
        for element in select(container, selector):
            if element is not container:
                remove(element)
    # Most bodies hold none of what the generic rules drop: one query over them all says so.
    if matches_any(container, rules.version.drop):
        # A generic rule that would take most of the text away has hit a wrapper, not a box: it is skipped.
        most_of_text = len(inline_text(container)) * rules.thresholds["max_generic_drop_share"]
        # may_match stays right while elements are removed: what the body lacked, it still lacks after.
        for selector in may_match(container, rules.version.drop):
            for element in select(container, selector):
                if element is not container and element.getparent() is not None and len(inline_text(element)) <= most_of_text:
                    remove(element)
    _remove_link_boxes(container, rules)
    trailing_names = _take_trailing_bylines(container, rules)
    lines = [line for line in block_lines(container)
             if WORD_CHARACTER.search(line) and not line.startswith(rules.boilerplate_line_prefixes)]
    lines, source_names = _drop_trailing_source_lines(lines, rules)
    return lines, trailing_names + source_names


def _is_inside(element, container) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def _remove_link_boxes(container, rules: GenericRules) -> None:
    """Boxes of links to other articles: a related-box heading, or blocks that are mostly headline links."""
    share = rules.thresholds["link_block_share"]
    doomed = []
    for element in container.iter(*BLOCK_TAGS):
        if element is container:
            continue
        text = inline_text(element)
        if not text:
            continue
        links = element.findall(".//a")
        if text.startswith(rules.related_box_headings) and (links or len(text) < 40):
            doomed.append(element)
        elif len(links) >= 2 and link_text_share(element) >= share:
            doomed.append(element)
        elif element.tag in ("p", "li", "div") and text.startswith(rules.boilerplate_line_prefixes):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None and not any(_is_inside(element, other) for other in doomed if other is not element):
            remove(element)


def _take_trailing_bylines(container, rules: GenericRules) -> list[str]:
    """Right-aligned short lines at the end of the body are the byline: take them out, keep the names."""
    names: list[str] = []
    max_words = rules.thresholds["max_byline_words"]
    blocks = [element for element in container.iter("p", "div")
              if element is not container and has_visible_text(element)]
    for element in reversed(blocks):
        style = (element.get("style") or "").replace(" ", "").lower()
        aligned = "text-align:right" in style or (element.get("align") or "").lower() == "right"
        text = inline_text(element)
        if not aligned or len(text.split()) > max_words:
            break
        names = _split_byline("\n".join(block_lines(element)), rules) + names
        remove(element)
    return names


def _drop_trailing_source_lines(lines: list[str], rules: GenericRules) -> tuple[list[str], list[str]]:
    """Closing "Theo X" source lines: never body; the names in them are writers unless they are publications."""
    names: list[str] = []
    max_words = rules.thresholds["max_byline_words"]
    while lines:
        last = lines[-1]
        if len(last.split()) <= max_words and _is_source_line(last, rules):
            names = _split_byline(last, rules) + names
            lines = lines[:-1]
        else:
            break
    return lines, names


@lru_cache(maxsize=4)
def _folded_words(words: tuple[str, ...]) -> frozenset[str]:
    """A rules list (publication names, non-article titles) folded once, not again for every line or page."""
    return frozenset(fold(word) for word in words)


def _is_source_line(line: str, rules: GenericRules) -> bool:
    """ "Theo Infonet", "Nguồn: TTXVN", "Zing/Themost10", "Lao Động": a line naming where the text came from."""
    publications = _folded_words(rules.publications)
    return (line.startswith(("Theo ", "Nguồn:", "Nguồn "))
            or fold(line) in publications or fold(line.split("/")[0].strip()) in publications
            or (" " not in line and ("/" in line or "." in line.strip("."))))


def _generic_body(root, url: str, rules: GenericRules) -> list[str]:
    """No container known: trafilatura finds the body; our line rules clean it."""
    extracted = trafilatura.extract(root, url=url or None, include_comments=False, include_tables=True,
                                    include_images=False, deduplicate=False,
                                    prune_xpath=_caption_xpaths(rules.caption_selectors))
    if not extracted:
        return []
    lines = [clean_line(line) for line in extracted.split("\n")]
    lines = [line for line in lines if line and not line.startswith(rules.boilerplate_line_prefixes)]
    lines, _ = _drop_trailing_source_lines(lines, rules)
    return lines


@lru_cache(maxsize=1)
def _caption_xpaths(selectors: tuple[str, ...]) -> list[str]:
    """The generic caption selectors as the XPath trafilatura prunes with."""
    return [HTMLTranslator().css_to_xpath(selector) for selector in selectors]


def _ruled_out(url: str, layout: _Layout) -> bool:
    """Known not to be an article from its URL, or from a profiled site's layouts and URL shapes together."""
    url_verdict = layout.site.is_article_url(url) if layout.site else None
    if url_verdict is False:
        return True
    if url_verdict is None and layout.rules.not_article_url_pattern.search(urlsplit(url).path):
        return True
    # A profiled site's page in none of its article layouts and without its article URL shape.
    return layout.site is not None and layout.version is None and not url_verdict


def _is_article(url: str, layout: _Layout, meta: PageMeta, headline_shown: bool, title: str | None, text: str,
                published_at: datetime | None) -> bool:
    """One article, not a home, listing, tag, video hub or error page."""
    rules = layout.rules
    if not title or not text or fold(title) in _folded_words(rules.not_article_titles):
        return False
    if _ruled_out(url, layout):
        return False
    path = urlsplit(url).path
    url_verdict = layout.site.is_article_url(url) if layout.site else None
    words = len(text.split())
    evidenced = bool(url_verdict or meta.is_article_type or layout.version is not None)
    if words < rules.thresholds["min_article_words"] and not (evidenced and words >= rules.thresholds["min_evidenced_article_words"]):
        return False
    if layout.version is not None or meta.is_article_type:
        return True  # the site's article layout, or the page's own JSON-LD, says so
    if not headline_shown:  # the page's title is not shown as a headline: a section, listing or home page,
        return bool(meta.published) and words >= rules.thresholds["min_unevidenced_article_words"]  # unless dated
    return bool(url_verdict or meta.og_type == "article" or published_at is not None
                or rules.article_url_pattern.search(path) or words >= rules.thresholds["min_unevidenced_article_words"])


def _language(text: str, declared: str | None) -> str | None:
    if _is_vietnamese(text[:LANGUAGE_SAMPLE_CHARS]):
        return "vi"
    if declared:
        return declared.replace("_", "-").split("-")[0].lower() or None
    return None


def _is_vietnamese(sample: str) -> bool:
    """Are at least VIETNAMESE_LETTER_SHARE of the sample's letters Vietnamese-only ones? Letters are counted
    (one test per character, the slow part) only when the Vietnamese-only ones are under that share of all
    the characters: at or above it, they are above it of the letters too."""
    vietnamese = len(_VIETNAMESE_ONLY_LETTER.findall(sample))
    if vietnamese and vietnamese / len(sample) >= VIETNAMESE_LETTER_SHARE:
        return True
    letters = sum(map(str.isalpha, sample))
    return bool(letters) and vietnamese / letters >= VIETNAMESE_LETTER_SHARE
