"""The sample's content as data: each site's settings (site.toml) and articles (articles.toml), with the facts their author meant them to state."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache
from pathlib import Path

SITES_DIR = Path(__file__).parent / "sites"


@dataclass(frozen=True)
class Section:
    """A section of a site (OCOP, markets, weather, ...): its slug, heading and page size."""

    slug: str
    title: str


@dataclass(frozen=True)
class ExpectedFact:
    """One fact an article's author meant a sentence to state, in the fields of facts.md."""

    sentence: str
    kind: str
    count: int | None = None
    stars: int | None = None
    status: str | None = None
    scope: str | None = None
    qualifier: str | None = None
    province: str | None = None
    nationwide: bool = False
    district: str | None = None
    year: int | None = None
    product: str | None = None
    amount_vnd: int | None = None

    def to_json(self) -> dict:
        """The fields of facts.md (no span) and the sentence."""
        return {name: getattr(self, name) for name in (*FACT_FIELDS, "sentence")}


FACT_FIELDS = tuple(f.name for f in fields(ExpectedFact) if f.name != "sentence")  # facts.md's fields, in order


@dataclass(frozen=True)
class SampleArticle:
    """One article of a sample site, as written: text blocks, dates, byline, tags and intended facts."""

    id: int
    slug: str
    section: str
    title: str
    published: datetime
    author: str
    lead: str
    body: str
    about_ocop: bool
    modified: datetime | None = None
    tags: tuple[str, ...] = ()
    draft: bool = False
    facts: tuple[ExpectedFact, ...] = ()

    @property
    def modified_or_published(self) -> datetime:
        """When the article last changed."""
        return self.modified or self.published

    def blocks(self) -> list[tuple[str, str]]:
        """The body as (kind, text) blocks: "p" paragraph, "h2" subheading, "figure" image caption.

        Blocks are separated by blank lines; "## " opens a subheading and "[ảnh] " an image with its caption.
        """
        result = []
        for raw in self.body.strip().split("\n\n"):
            block = " ".join(line.strip() for line in raw.strip().splitlines())
            if block.startswith("## "):
                result.append(("h2", block[3:].strip()))
            elif block.startswith(FIGURE_MARK):
                result.append(("figure", block[len(FIGURE_MARK):].strip()))
            elif block:
                result.append(("p", block))
        return result

    def text(self) -> str:
        """The lead and the body's paragraphs and subheadings, one a line (what an extractor should find)."""
        lines = [self.lead] + [text for kind, text in self.blocks() if kind != "figure"]
        return "\n".join(lines)


FIGURE_MARK = "[ảnh]"


@dataclass(frozen=True)
class SampleSite:
    """A sample site: its identity, URL layout (format strings) and articles."""

    name: str
    title: str
    kind: str
    description: str
    page_size: int
    sections: tuple[Section, ...]
    paths: dict[str, str]
    articles: tuple[SampleArticle, ...]
    disallowed: tuple[str, ...] = ()
    feed_sections: tuple[str, ...] = ()
    index_lists_gzip: bool = True
    home_province: str | None = None
    directory: Path = field(default=SITES_DIR)

    def section(self, slug: str) -> Section:
        """The section with this slug."""
        for section in self.sections:
            if section.slug == slug:
                return section
        raise KeyError(f"site {self.name} has no section {slug!r}")

    def article_path(self, article: SampleArticle) -> str:
        """The path an article is served at (drafts under the path robots.txt disallows)."""
        template = self.paths["draft"] if article.draft else self.paths["article"]
        return template.format(section=article.section, slug=article.slug, id=article.id,
                               year=article.published.year, month=f"{article.published.month:02d}")

    def section_path(self, slug: str, page: int = 1) -> str:
        """The path of page `page` of a section's listing."""
        template = self.paths["section"] if page == 1 else self.paths["section_page"]
        return template.format(section=slug, page=page)

    def published_articles(self) -> list[SampleArticle]:
        """Every article but drafts, newest first."""
        return sorted((a for a in self.articles if not a.draft), key=lambda a: a.published, reverse=True)


def slugify(text: str) -> str:
    """A URL slug from Vietnamese text: "Cần Thơ có 92 sản phẩm" -> "can-tho-co-92-san-pham"."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in plain if unicodedata.category(char) != "Mn")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _fact(table: dict) -> ExpectedFact:
    unknown = set(table) - set(FACT_FIELDS) - {"sentence"}
    if unknown:
        raise ValueError(f"unknown fact fields {sorted(unknown)}")
    return ExpectedFact(**table)


def _article(table: dict) -> SampleArticle:
    table = dict(table)
    table.setdefault("slug", slugify(table["title"]))
    table["tags"] = tuple(table.get("tags", ()))
    table["facts"] = tuple(_fact(fact) for fact in table.get("facts", ()))
    return SampleArticle(**table)


def load_site(directory: Path) -> SampleSite:
    """Read one site's site.toml and articles.toml."""
    settings = tomllib.loads((directory / "site.toml").read_text(encoding="utf-8"))
    articles = tomllib.loads((directory / "articles.toml").read_text(encoding="utf-8"))
    return SampleSite(
        name=settings["name"],
        title=settings["title"],
        kind=settings["kind"],
        description=settings["description"],
        page_size=settings["page_size"],
        sections=tuple(Section(**section) for section in settings["section"]),
        paths=dict(settings["paths"]),
        disallowed=tuple(settings["robots_disallow"]),
        feed_sections=tuple(settings.get("feed_sections", ())),
        index_lists_gzip=settings.get("index_lists_gzip", True),
        home_province=settings.get("home_province"),
        articles=tuple(_article(article) for article in articles["article"]),
        directory=directory,
    )


@cache
def load_sites() -> tuple[SampleSite, ...]:
    """Every sample site under sites/, in name order."""
    return tuple(load_site(path.parent) for path in sorted(SITES_DIR.glob("*/site.toml")))


def expected_facts() -> list[dict]:
    """Every article's intended facts with where they are served: site, path, title, draft flag and facts."""
    return [
        {"site": site.name, "path": site.article_path(article), "title": article.title,
         "published": article.published.isoformat(), "draft": article.draft,
         "home_province": site.home_province, "facts": [fact.to_json() for fact in article.facts]}
        for site in load_sites() for article in site.articles if article.about_ocop
    ]


GOLD_HOST = "{site}.sample.invalid"   # a reserved name (RFC 2606): gold rows carry a URL shape, never a live address


def gold_rows() -> list[dict]:
    """The intended facts as gold rows for `ocop eval facts --gold`: one row per fact-bearing sentence of a
    published article, with its title, a URL of the article's shape and the article text before it as context."""
    rows = []
    for site in load_sites():
        for article in site.published_articles():
            by_sentence: dict[str, list[dict]] = {}
            for fact in article.facts:
                by_sentence.setdefault(fact.sentence, []).append(
                    {name: value for name, value in fact.to_json().items() if name != "sentence"})
            text = article.text()
            for number, (sentence, facts) in enumerate(by_sentence.items(), start=1):
                before = text[:text.index(sentence)].strip()
                rows.append({"id": f"{site.name}-{article.id}-{number}", "text": sentence, "title": article.title,
                             "url": f"http://{GOLD_HOST.format(site=site.name)}{site.article_path(article)}",
                             "context": before.replace("\n", " ") or None, "published_at": article.published.isoformat(),
                             "home_province": site.home_province, "facts": facts})
    return rows


def main(argv: list[str] | None = None) -> None:
    """Print the intended facts: per article as JSON, or with --gold as gold JSON lines."""
    parser = argparse.ArgumentParser(prog="python -m ocop.sample.content", description=main.__doc__)
    parser.add_argument("--gold", action="store_true", help="one gold row per fact-bearing sentence (JSON lines)")
    if parser.parse_args(argv).gold:
        for row in gold_rows():
            print(json.dumps(row, ensure_ascii=False))
    else:
        json.dump(expected_facts(), sys.stdout, ensure_ascii=False, indent=1)
        print()


if __name__ == "__main__":
    main()
