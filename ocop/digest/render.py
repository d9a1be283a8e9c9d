"""Rendering a WeekDigest as Markdown, a self-contained HTML page or JSON, in Vietnamese or English."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, StrictUndefined

from ocop.digest.chart import STACK_COLOURS, new_certifications_svg
from ocop.digest.model import STAR_LEVELS, Citation, DigestFormat, Figure, Language, WeekDigest
from ocop.digest.week import VIETNAM

BILLION = 1_000_000_000
MILLION = 1_000_000
MONEY_PATTERN = "#,##0.##"  # at most two decimals: "3,8 tỷ đồng", "1,25 tỷ đồng"
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")
WEB_SCHEMES = frozenset({"http", "https"})
MARKDOWN_URL_BREAKERS = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}  # they end a link's URL


@cache
def messages() -> dict[str, dict]:
    """The words of the digest per language (messages.toml)."""
    return tomllib.loads(files("ocop.digest").joinpath("messages.toml").read_text(encoding="utf-8"))


@dataclass
class Wording:
    """Formats numbers, money, dates and figures in one language, and numbers the evidence as it is cited."""

    language: str
    evidence: list[Citation] = field(default_factory=list)
    _evidence_numbers: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def words(self) -> dict:
        return messages()[self.language]

    def text(self, key: str, **fields: object) -> str:
        return self.words[key].format(**fields)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.words["locale"])

    def money(self, amount: int) -> str:
        for unit, key in ((BILLION, "billion"), (MILLION, "million")):
            if amount >= unit:
                return self.text(key, n=format_decimal(amount / unit, format=MONEY_PATTERN, locale=self.words["locale"]))
        return self.text("dong", n=self.number(amount))

    def day(self, moment: datetime | None) -> str:
        if moment is None:
            return self.words["date_unknown"]
        return format_date(moment.astimezone(VIETNAM).date() if isinstance(moment, datetime) else moment,
                           self.words["date_format"], locale=self.words["locale"])

    def moment(self, moment: datetime) -> str:
        return format_datetime(moment.astimezone(VIETNAM), self.words["date_format"] + " HH:mm",
                               tzinfo=VIETNAM, locale=self.words["locale"])

    def stars(self, stars: int | None) -> str:
        return self.words["all_levels"] if stars is None else self.text("stars", stars=stars)

    def value(self, figure_or_total: Figure | int, qualifier: str | None = None) -> str:
        """A number with its qualifier ("hơn 92"), money in đồng, a product's stars as stars."""
        if isinstance(figure_or_total, Figure):
            figure = figure_or_total
            qualifier = figure.qualifier
            if figure.kind == "budget":
                shown = self.money(figure.value or 0)
            elif figure.kind == "product_rating":
                return self.stars(figure.value)
            else:
                shown = self.number(figure.value or 0)
        else:
            shown = self.number(figure_or_total)
        return self.words["qualifier"][qualifier].format(n=shown) if qualifier else shown

    def phrase(self, figure: Figure, detailed: bool = False) -> str:
        """A figure in words: "hơn 92 sản phẩm 4 sao, đến năm 2025"; detailed adds its status and scope, and its
        district or commune comes first."""
        if figure.kind == "product_rating":
            words = f"{figure.product or '?'}: {self.stars(figure.value)}"
            return f"{figure.district}: {words}" if figure.district else words
        if figure.kind == "budget":
            parts = [self.value(figure)]
        elif figure.kind == "subject_count":
            parts = [self.text("subjects_n", n=self.value(figure))]
        elif figure.stars is None:
            parts = [self.text("products", n=self.value(figure))]
        else:
            parts = [self.text("products_at_stars", n=self.value(figure), stars=figure.stars)]
        if detailed or figure.kind == "subject_count":
            parts += [self.words["status"][figure.status]] if figure.status else []
            parts += [self.words["scope"][figure.scope]] if figure.scope else []
        if figure.year is not None:
            parts.append(self.text("by_year" if figure.status == "target" else "in_year", year=figure.year))
        words = ", ".join(parts)
        return f"{figure.district}: {words}" if figure.district else words

    def place(self, province: str | None, current: str | None, nationwide: bool = False) -> str:
        if nationwide:
            return self.words["nationwide"]
        if province and current and current != province:
            return f"{province} ({self.text('now_part_of', current=current)})"
        return province or self.words["place_unknown"]

    def cite(self, figure: Figure) -> int:
        """The evidence number of a figure's citation, given in order of first use."""
        citation = figure.citation
        key = (citation.article.url, citation.sentence)
        if key not in self._evidence_numbers:
            self.evidence.append(citation)
            self._evidence_numbers[key] = len(self.evidence)
        return self._evidence_numbers[key]


def _markdown_escape(text: object) -> str:
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def _web_url(url: str) -> bool:
    """Only http(s) addresses become links: a page's canonical URL is the page's say, and could be javascript:."""
    return urlsplit(url).scheme in WEB_SCHEMES


def _markdown_url(url: str) -> str:
    if not _web_url(url):
        return "#"
    return "".join(MARKDOWN_URL_BREAKERS.get(character, character) for character in url)


@cache
def _environment(autoescape: bool) -> Environment:
    environment = Environment(loader=PackageLoader("ocop.digest", "templates"), autoescape=autoescape,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
    environment.filters["md"] = _markdown_escape
    environment.filters["md_url"] = _markdown_url
    environment.filters["web_url"] = _web_url
    return environment


def _chart(digest: WeekDigest, wording: Wording) -> str | None:
    rows = [(wording.place(area.province, area.province_current),
             _stacks(area.new_by_stars, area.new_products_count))
            for area in digest.areas if area.new_products_count]
    if not rows:
        return None
    legend = {stars: wording.text("stars_short", stars=stars) if stars else wording.words["stars_unknown"]
              for stars in STACK_COLOURS}
    return new_certifications_svg(rows, legend, wording.words["chart_axis"], number=wording.number)


def _stacks(new_by_stars: dict, new_total: int) -> dict[int | None, int]:
    """Star-level counts, plus the part of the all-levels figure that no star level accounts for."""
    stacks: dict[int | None, int] = {stars: new_by_stars[stars].total for stars in STAR_LEVELS if stars in new_by_stars}
    stacks[None] = new_total - sum(stacks.values())
    return stacks


def render(digest: WeekDigest, fmt: DigestFormat | str = DigestFormat.md, language: Language | str = Language.vi) -> str:
    """The digest as text in the chosen format; JSON is the same in both languages (see docs/digest.md)."""
    fmt, language = DigestFormat(fmt), Language(language)
    if fmt is DigestFormat.json:
        return json.dumps(digest.to_json(), ensure_ascii=False, indent=1) + "\n"
    wording = Wording(language.value)
    template = _environment(fmt is DigestFormat.html).get_template(f"digest.{fmt.value}.j2")
    return template.render(digest=digest, w=wording, star_levels=STAR_LEVELS, language=language.value,
                           chart=_chart(digest, wording) if fmt is DigestFormat.html else None)
