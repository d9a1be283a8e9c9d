"""Commands over saved pages: extract article, extract links, eval articles (and the article scoring they share)."""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from extract.article import extract_article as read_article
from extract.article import extractor_version
from extract.links import extract_links as read_links
from extract.profiles import GENERIC_PROFILE, all_profiles
from extract.scoring import below_pinned
from ocop.cli import eval_app, extract_app
from ocop.commands import read_json, read_pinned, reading
from ocop.errors import BadInput, WorkFailed

# The ScrapingHub article-extraction benchmark's metric: word 4-shingles, counted with repetition; precision and
# recall per page, averaged over pages, and F1 of the two averages.
SHINGLE_WORDS = 4
_WORD = re.compile(r"\w+")


class GoldFormat(str, Enum):
    auto = "auto"
    benchmark = "benchmark"  # {id: {"articleBody", "url"}} with the pages in html/<id>.html beside it
    pages = "pages"  # [{"file", "url", "title", "published_at", "body", "is_article"?}] with the pages beside it
    listings = "listings"  # [{"file", "base_url", "article_urls", "next_page_url"}] with the pages beside it


# ----------------------------------------------------------------------------------------------- scoring


def shingles(text: str | None) -> Counter:
    """The word 4-shingles of a text (fewer words make one shorter shingle; no words make none)."""
    words = _WORD.findall(text or "")
    return Counter(" ".join(words[start:start + SHINGLE_WORDS])
                   for start in range(max(1, len(words) - SHINGLE_WORDS + 1)) if words[start:start + SHINGLE_WORDS])


def body_precision_recall(gold: str | None, predicted: str | None) -> tuple[float, float]:
    """One page's shingle precision and recall (an empty prediction of an empty gold is perfect)."""
    expected, found = shingles(gold), shingles(predicted)
    true_positives = sum((expected & found).values())
    false_positives = sum((found - expected).values())
    false_negatives = sum((expected - found).values())
    if true_positives + false_positives:
        precision = true_positives / (true_positives + false_positives)
    else:
        precision = 1.0 if false_negatives == 0 else 0.0
    recall = true_positives / (true_positives + false_negatives) if true_positives + false_negatives else 1.0
    return precision, recall


def body_figures(pairs: list[tuple[float, float]]) -> dict[str, float]:
    """Mean precision, mean recall and the F1 of those means over pages."""
    if not pairs:
        return {"body_precision": 0.0, "body_recall": 0.0, "body_f1": 0.0}
    precision = statistics.fmean(pair[0] for pair in pairs)
    recall = statistics.fmean(pair[1] for pair in pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"body_precision": precision, "body_recall": recall, "body_f1": f1}


def same_text(gold: str | None, predicted: str | None) -> bool:
    """Exact match after Unicode NFC and whitespace collapsing (the gold's own normalisation)."""
    def plain(text):
        return " ".join(unicodedata.normalize("NFC", text).split()) if isinstance(text, str) else None
    return plain(gold) == plain(predicted)


def same_minute(gold: str | None, predicted: datetime | str | None) -> bool:
    """Two moments equal to the minute, with the same UTC offset written."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    try:
        expected = datetime.fromisoformat(gold)
        found = predicted if isinstance(predicted, datetime) else datetime.fromisoformat(predicted)
    except (TypeError, ValueError):
        return False
    return (expected.utcoffset() == found.utcoffset()
            and expected.replace(second=0, microsecond=0) == found.replace(second=0, microsecond=0))


@dataclass
class ArticleScore:
    """Figures of one extraction run against one gold file."""

    pages: int = 0
    body_pairs: list[tuple[float, float]] = field(default_factory=list)
    titles_exact: int = 0
    titles_gold: int = 0
    dates_exact: int = 0
    dates_gold: int = 0
    is_article_right: int = 0
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        figures = body_figures(self.body_pairs)
        if self.titles_gold:
            figures["title_exact"] = self.titles_exact / self.titles_gold
        if self.dates_gold:
            figures["published_exact"] = self.dates_exact / self.dates_gold
        if self.pages:
            figures["is_article_accuracy"] = self.is_article_right / self.pages
        return figures


def score_article(score: ArticleScore, name: str, gold: dict, article) -> None:
    """Add one page to a score: body always, title and date where the gold has them, article-ness."""
    score.pages += 1
    expected_article = gold.get("is_article", True)
    score.is_article_right += article.is_article == expected_article
    if not expected_article:
        if article.is_article:
            score.misses.append(f"{name}: is_article true, gold false")
        return
    score.body_pairs.append(body_precision_recall(gold.get("body", gold.get("articleBody")), article.text))
    if "title" in gold:
        score.titles_gold += 1
        if same_text(gold["title"], article.title):
            score.titles_exact += 1
        else:
            score.misses.append(f"{name}: title {article.title!r}, gold {gold['title']!r}")
    if "published_at" in gold:
        score.dates_gold += 1
        if same_minute(gold["published_at"], article.published_at):
            score.dates_exact += 1
        else:
            found = article.published_at.isoformat() if article.published_at else None
            score.misses.append(f"{name}: published_at {found}, gold {gold['published_at']}")


def links_figures(rows: list[tuple[dict, object]]) -> dict[str, float]:
    """Article-link precision and recall over all listing pages pooled, and the share of next pages right."""
    found_total = gold_total = shared = next_right = 0
    for gold, links in rows:
        expected, found = set(gold["article_urls"]), set(links.article_urls)
        found_total, gold_total, shared = found_total + len(found), gold_total + len(expected), shared + len(found & expected)
        next_right += links.next_page_url == gold.get("next_page_url")
    return {
        "links_precision": shared / found_total if found_total else 0.0,
        "links_recall": shared / gold_total if gold_total else 0.0,
        "next_page_exact": next_right / len(rows) if rows else 0.0,
    }


# ----------------------------------------------------------------------------------------------- gold files


def read_page_file(path: Path) -> bytes:
    """A saved page, gzip-compressed or not."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def benchmark_pages(gold_path: Path, data: dict) -> list[tuple[str, Path, dict]]:
    """(id, page file, gold row) of the ScrapingHub benchmark's ground truth."""
    rows = []
    for item_id, row in data.items():
        candidates = [gold_path.parent / "html" / f"{item_id}.html", gold_path.parent / "html" / f"{item_id}.html.gz"]
        page = next((candidate for candidate in candidates if candidate.exists()), None)
        if page is None:
            raise BadInput(f"{gold_path}: no page html/{item_id}.html beside it")
        rows.append((item_id, page, {"articleBody": row.get("articleBody", ""), "url": row.get("url") or ""}))
    return rows


def listed_pages(gold_path: Path, data: list) -> list[tuple[str, Path, dict]]:
    """(file, page file, gold row) of a list-shaped gold file whose rows name their page in "file"."""
    rows = []
    for number, row in enumerate(data, 1):
        if not isinstance(row, dict) or not isinstance(row.get("file"), str):
            raise BadInput(f"{gold_path}: row {number} has no \"file\"")
        page = gold_path.parent / row["file"]
        if not page.exists():
            raise BadInput(f"{gold_path}: row {number}: no page {row['file']} beside it")
        rows.append((row["file"], page, row))
    return rows


def load_gold(gold_path: Path, gold_format: GoldFormat) -> tuple[GoldFormat, list[tuple[str, Path, dict]]]:
    data = read_json(gold_path)
    if gold_format is GoldFormat.auto:
        if isinstance(data, dict):
            gold_format = GoldFormat.benchmark
        elif isinstance(data, list) and data and isinstance(data[0], dict) and "article_urls" in data[0]:
            gold_format = GoldFormat.listings
        elif isinstance(data, list):
            gold_format = GoldFormat.pages
        else:
            raise BadInput(f"{gold_path}: neither a benchmark object nor a list of pages")
    if gold_format is GoldFormat.benchmark:
        if not isinstance(data, dict):
            raise BadInput(f"{gold_path}: the benchmark format is an object of {{id: {{articleBody, url}}}}")
        return gold_format, benchmark_pages(gold_path, data)
    if not isinstance(data, list):
        raise BadInput(f"{gold_path}: the {gold_format.value} format is a list of rows")
    return gold_format, listed_pages(gold_path, data)


# ----------------------------------------------------------------------------------------------- commands


def _read_page(path: Path) -> bytes:
    with reading(path):
        return read_page_file(path)


def _fetch_time(value: str | None, where: str = "--fetched-at") -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadInput(f"{where}: not an ISO 8601 date: {value!r}") from None


def _check_profile(profile: str | None) -> None:
    if profile is not None and profile != GENERIC_PROFILE and profile not in all_profiles():
        names = ", ".join(sorted(all_profiles()))
        raise BadInput(f"--profile: no profile {profile!r} (known: {GENERIC_PROFILE}, {names})")


def _print_json(record: dict, *, one_line: bool = False) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=None if one_line else 1) + "\n")


@extract_app.command("article")
def extract_article(
    files: list[Path] = typer.Argument(None, help="One saved page (HTML, gzip allowed)."),
    url: Optional[str] = typer.Option(None, "--url", help="The page's URL (for links, the site profile, the canonical URL)."),
    fetched_at: Optional[str] = typer.Option(None, "--fetched-at", help="When the page was fetched (ISO 8601): the base of relative dates."),
    input_list: Optional[Path] = typer.Option(None, "--input", help="JSON lines of {path, url, fetched_at?}: one article per line out."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Use this site profile instead of the URL's domain's ('generic': none)."),
) -> None:
    """Read a saved page as an article: one JSON object (or JSON lines with --input)."""
    _check_profile(profile)
    if input_list is not None:
        if files:
            raise BadInput("give either FILE or --input, not both")
        _extract_list(input_list, profile)
        return
    if not files or len(files) != 1:
        raise BadInput("give one saved page FILE (or --input LIST)")
    if not url:
        raise BadInput("--url is required with FILE")
    moment = _fetch_time(fetched_at)
    article = read_article(_read_page(files[0]), url, fetched_at=moment, profile=profile)
    _print_json(article.to_json())


def _extract_list(input_list: Path, profile: str | None) -> None:
    with reading(input_list):
        lines = input_list.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{input_list}, line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInput(f"{where}: not valid JSON ({error.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("path"), str) or not isinstance(row.get("url"), str):
            raise BadInput(f"{where}: expected {{\"path\", \"url\", \"fetched_at\"?}}")
        path = Path(row["path"])
        if not path.is_absolute() and not path.exists():
            path = input_list.parent / path  # paths may be relative to the list itself
        moment = _fetch_time(row.get("fetched_at"), f"{where}: fetched_at")
        article = read_article(_read_page(path), row["url"], fetched_at=moment, profile=profile)
        _print_json({"path": row["path"], **article.to_json()}, one_line=True)


@extract_app.command("links")
def extract_links(
    file: Path = typer.Argument(..., help="One saved listing, section or home page."),
    url: str = typer.Option(..., "--url", help="The page's URL (links are resolved against it)."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Use this site profile instead of the URL's domain's ('generic': none)."),
) -> None:
    """Read a saved listing page: its article URLs and next page, as JSON."""
    _check_profile(profile)
    _print_json(read_links(_read_page(file), url, profile=profile).to_json())


@eval_app.command("articles")
def eval_articles(
    gold: Path = typer.Option(..., "--gold", help="Gold file: the benchmark's ground-truth.json, or articles.json / listings.json of saved pages."),
    gold_format: GoldFormat = typer.Option(GoldFormat.auto, "--format", help="Shape of the gold file (auto: by its shape)."),
    pinned: Optional[Path] = typer.Option(None, "--pinned", help="JSON {\"figures\": {name: minimum}}: exit 1 if any figure falls below."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    show: bool = typer.Option(False, "--show", help="List the titles, dates and article verdicts that missed."),
) -> None:
    """Score article extraction against a gold file: body shingle P/R/F1, titles and dates exact, links."""
    pinned_figures = read_pinned(pinned) if pinned else None
    gold_format, rows = load_gold(gold, gold_format)
    misses: list[str] = []
    if gold_format is GoldFormat.listings:
        figures = links_figures([(row, read_links(_read_page(page), row["base_url"])) for _, page, row in rows])
    else:
        score = ArticleScore()
        for name, page, row in rows:
            article = read_article(_read_page(page), row.get("url") or "")
            score_article(score, name, row, article)
        figures, misses = score.figures(), score.misses
    if as_json:
        _print_json({"extractor_version": extractor_version(), "gold": str(gold), "pages": len(rows),
                     **{name: round(value, 4) for name, value in figures.items()}}, one_line=True)
    else:
        print(f"articles {extractor_version()} on {gold} ({gold_format.value}, {len(rows)} pages)")
        for name, value in figures.items():
            print(f"{name:<22} {value:.4f}")
    if show and misses:
        print(f"\nmisses ({len(misses)}):")
        for miss in misses:
            print(f"  {miss}")
    if pinned_figures is not None:
        drops = below_pinned(figures, pinned_figures)
        if drops:
            raise WorkFailed("article extraction below the pinned figures: " + "; ".join(drops))

