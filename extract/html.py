"""Whole-page HTML handling for extraction: tolerant lxml parsing, CSS selection, and text as a browser shows it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from cssselect import parser as css_parser
from lxml import etree, html
from lxml.cssselect import CSSSelector, SelectorError

from extract.text import drop_invisible

# Elements whose text is never page text.
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "meta", "link", "iframe",
                            "object", "embed", "canvas", "button", "select", "input", "textarea", "form"})
# Elements that start a new line of text (a "visual block").
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody", "thead",
    "tfoot", "tr", "td", "th", "blockquote", "section", "article", "aside", "header", "footer", "nav", "figure",
    "figcaption", "pre", "address", "center", "main", "hr", "details", "summary", "caption",
})
# A page whose first characters are at least this share replacement or control characters is binary (an
# image, a PDF, a compressed body): real pages, even badly decoded ones, stay far below.
BINARY_SHARE = 0.1
BINARY_SAMPLE_CHARS = 4096
# Replacement characters, and control characters other than tab, line feed, form feed and carriage return.
_ODD_CHARACTER = re.compile(r"[\ufffd\x00-\x08\x0b\x0e-\x1f]")
# A selector ending in ::attr(name) reads that attribute instead of the element's text (parsel's notation).
ATTRIBUTE_MARK = "::attr("
CONTAINS_MARK = "::contains("
# Attribute tests whose value is text inside the attribute's value ("~=": a word of it, so without whitespace).
SUBSTRING_OPERATORS = frozenset({"=", "~=", "|=", "^=", "$=", "*="})
# Combinators whose right-hand element lies inside the left-hand one (sibling combinators may leave the root).
INNER_COMBINATORS = frozenset({" ", ">"})
# Attribute names an XPath step can be written with as they are (others are not pre-checked).
_ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_LINE_BREAK = "\n"


def looks_binary(text: str) -> bool:
    """Decoded bytes that were never text: many replacement or control characters."""
    sample = text[:BINARY_SAMPLE_CHARS]
    odd = len(_ODD_CHARACTER.findall(sample))
    return bool(sample) and odd / len(sample) >= BINARY_SHARE


def parse_page(text: str) -> html.HtmlElement | None:
    """The page as an lxml tree, or None when nothing parses (empty or binary input)."""
    if not isinstance(text, str) or not text.strip() or looks_binary(text):
        return None
    try:
        # XML declarations with an encoding are refused by lxml on str input: drop them.
        if text.lstrip().startswith("<?xml"):
            text = text.split("?>", 1)[-1]
        parser = html.HTMLParser(remove_comments=True, remove_pis=True)
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError, TypeError):
        return None
    return root if isinstance(root, html.HtmlElement) else None


@lru_cache(maxsize=2048)
def _compiled(selector: str) -> CSSSelector | None:
    try:
        return CSSSelector(selector, translator="html")
    except (SelectorError, SyntaxError, ValueError):
        return None


def select(root, selector: str) -> list:
    """Elements matching one CSS selector (an invalid selector matches nothing).

    "css::contains(words)" keeps the elements whose text holds the words (lxml's own :contains() fails on
    non-ASCII pages, so it is done here)."""
    if CONTAINS_MARK in selector:
        selector, needle = selector.split(CONTAINS_MARK, 1)
        needle = needle[:-1] if needle.endswith(")") else needle
        return [element for element in select(root, selector) if needle in element.text_content()]
    compiled = _compiled(selector)
    if compiled is None or root is None:
        return []
    try:
        return [element for element in compiled(root) if isinstance(element.tag, str)]
    except (etree.XPathError, ValueError):
        return []


def matches_any(root, selectors) -> bool:
    """Whether any of the selectors may match under root: False only when none does (a ::contains() selector
    counts as its CSS part). One query for the whole list, for lists that mostly match nothing."""
    group = _selector_group(tuple(selectors))
    if root is None or not group:
        return False
    compiled = _compiled(group)
    if compiled is None:
        return True  # the selectors do not compile together: the caller asks each in turn
    try:
        return bool(compiled(root))
    except (etree.XPathError, ValueError):
        return True


@lru_cache(maxsize=64)
def _selector_group(selectors: tuple[str, ...]) -> str:
    """The valid selectors of a list as one CSS group, matched by the union of what each matches."""
    return ", ".join(css for css in (selector.split(CONTAINS_MARK, 1)[0] for selector in selectors)
                     if _compiled(css) is not None)


def may_match(root, selectors, values_read: dict[str, str | None] | None = None):
    """The selectors of a list, in order, less those that cannot match under root because they need a class name,
    id or attribute value that no element there has. Each attribute named is read once (one query) instead of
    each selector being run: most selectors of the generic lists match nothing on a given page.

    values_read keeps the values read under this root for the next call on it. It stays right while elements are
    removed (what the page lacked, it still lacks), not if any are added or their attributes changed."""
    if root is None:
        return
    values_read = {} if values_read is None else values_read
    for selector in selectors:
        for attribute, text in _attribute_needs(selector):
            if attribute not in values_read:
                values_read[attribute] = _joined_values(root, attribute)
            values = values_read[attribute]
            if values is not None and text not in values:
                break
        else:
            yield selector


def _joined_values(root, attribute: str) -> str | None:
    """Every value of the attribute under root (root included) in one string; None if they cannot be read."""
    try:
        return "\n".join(_attribute_values(attribute)(root))
    except (etree.XPathError, ValueError):
        return None


@lru_cache(maxsize=64)
def _attribute_values(attribute: str) -> etree.XPath:
    return etree.XPath(f"descendant-or-self::*/@{attribute}", smart_strings=False)


@lru_cache(maxsize=2048)
def _attribute_needs(selector: str) -> tuple[tuple[str, str], ...]:
    """(attribute, text) pairs: for the selector to match, some element under the root must have text inside that
    attribute's value (its class names, its id, its attribute values outside :not()). () when nothing is known."""
    css = split_attribute(selector)[0].split(CONTAINS_MARK, 1)[0]
    try:
        parsed = css_parser.parse(css)
    except SelectorError:
        return ()
    if len(parsed) != 1:
        return ()
    needs: list[tuple[str, str]] = []
    _collect_needs(parsed[0].parsed_tree, needs)
    return tuple(needs)


def _collect_needs(node, needs: list[tuple[str, str]]) -> None:
    """The needs of one node of cssselect's parsed selector and of the nodes it is made of."""
    if isinstance(node, css_parser.CombinedSelector):
        _collect_needs(node.selector, needs)
        if node.combinator in INNER_COMBINATORS:
            _collect_needs(node.subselector, needs)
        return
    if isinstance(node, css_parser.Class):
        needs.append(("class", node.class_name))
    elif isinstance(node, css_parser.Hash):
        needs.append(("id", node.id))
    elif isinstance(node, css_parser.Attrib):
        name, value = node.attrib.lower(), node.value.value if node.value is not None else None
        if (node.namespace is None and getattr(node, "flag", None) is None and node.operator in SUBSTRING_OPERATORS
                and _ATTRIBUTE_NAME.fullmatch(name) and not (node.operator == "~=" and any(map(str.isspace, value)))):
            needs.append((name, value))
    inner = getattr(node, "selector", None)  # the element the pseudo-class, :not() or attribute test applies to
    if inner is not None:
        _collect_needs(inner, needs)


def split_attribute(selector: str) -> tuple[str, str | None]:
    """"a.next::attr(href)" -> ("a.next", "href"); a plain selector -> (selector, None)."""
    if ATTRIBUTE_MARK not in selector:
        return selector, None
    css, attribute = selector.split(ATTRIBUTE_MARK, 1)
    return css, attribute.rstrip(")")


def select_first(root, selectors, values_read: dict[str, str | None] | None = None) -> list:
    """The matches of the first selector in a list that matches anything (values_read: see may_match)."""
    for selector in may_match(root, selectors, values_read):
        found = select(root, selector)
        if found:
            return found
    return []


def clean_line(text: str) -> str:
    """One line as a reader sees it: NFC, no invisible characters, every whitespace run one space.

    Unlike `extract.text.normalize` it keeps the publisher's tone placement and HTML entities as written."""
    return " ".join(unicodedata.normalize("NFC", drop_invisible(text)).split())


def inline_text(element) -> str:
    """An element's visible text on one line (inline tags joined without separators, <br> as a space)."""
    parts: list[str] = []
    _collect(element, parts, line_breaks=False)
    return clean_line("".join(parts))


def has_visible_text(element) -> bool:
    """bool(inline_text(element)), without building the text: the first visible character decides.

    The NFC that inline_text applies cannot change the answer: a character's canonical decomposition is
    whitespace exactly when the character is (tests/articles/test_html.py checks every character)."""
    if not isinstance(element.tag, str) or element.tag in INVISIBLE_TAGS:
        return False
    if _is_visible(element.text):
        return True
    return any(has_visible_text(child) or _is_visible(child.tail) for child in element)


def _is_visible(text: str | None) -> bool:
    return bool(text) and bool(drop_invisible(text).strip())


def block_lines(element) -> list[str]:
    """An element's visible text, one line per visual block (paragraph, heading, list item, cell, <br> run)."""
    parts: list[str] = []
    _collect(element, parts, line_breaks=True)
    return [line for line in (clean_line(chunk) for chunk in "".join(parts).split(_LINE_BREAK)) if line]


def _collect(element, parts: list[str], *, line_breaks: bool) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None or tag in INVISIBLE_TAGS:
        return
    is_block = line_breaks and tag in BLOCK_TAGS
    if is_block:
        parts.append(_LINE_BREAK)
    if element.text:
        parts.append(element.text.replace(_LINE_BREAK, " "))
    for child in element:
        _collect(child, parts, line_breaks=line_breaks)
        if child.tail:
            parts.append(child.tail.replace(_LINE_BREAK, " "))
    if tag == "br":
        parts.append(_LINE_BREAK if line_breaks else " ")
    elif is_block:
        parts.append(_LINE_BREAK)


def link_text_share(element) -> float:
    """The share of an element's visible text that sits inside links (1.0 for a list of headlines)."""
    total = len(inline_text(element))
    if total == 0:
        return 0.0
    linked = sum(len(inline_text(link)) for link in element.iter("a"))
    return min(1.0, linked / total)


def remove(element) -> None:
    """Take an element out of its tree, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
