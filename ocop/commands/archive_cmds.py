"""Archive commands: db upgrade, facts (and the headline view), articles, search, export, reextract, serve."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from ocop.cli import DbOption, app, db_app
from ocop.commands import open_archive
from ocop.errors import BadInput, WorkFailed
from ocop.output import RowFormat, emit_rows

DEFAULT_ROW_LIMIT = 1000  # a table of more rows is unreadable; `ocop export` is for whole tables
# A terminal table shows what a reader scans for; CSV and JSON carry every column.
FACT_TABLE_COLUMNS = ("province", "kind", "count", "stars", "status", "scope", "year", "published_at", "source",
                      "sentence")
ARTICLE_TABLE_COLUMNS = ("article_id", "published_at", "source", "title", "facts", "version", "url")
HEADLINE_TABLE_COLUMNS = ("province", "province_current", "stars", "count", "qualifier", "as_of", "source",
                          "sentence", "url")

ProvinceOption = Annotated[Optional[str], typer.Option(
    "--province", help="Old (63) or current (34) province name, diacritics optional; a current name also matches "
                       "the old units merged into it.")]
StarsOption = Annotated[Optional[int], typer.Option("--stars", help="Star level: 3, 4 or 5.")]
KindOption = Annotated[Optional[str], typer.Option(
    "--kind", help="product_count, subject_count, product_rating or budget.")]
StatusOption = Annotated[Optional[str], typer.Option("--status", help="achieved, candidate or target.")]
SinceOption = Annotated[Optional[str], typer.Option("--since", help="Reported on or after this date (YYYY-MM-DD).")]
UntilOption = Annotated[Optional[str], typer.Option("--until", help="Reported on or before this date (YYYY-MM-DD).")]
SourceOption = Annotated[Optional[str], typer.Option("--source", help="Only this source (registry name).")]
FormatOption = Annotated[RowFormat, typer.Option("--format", help="Output format.")]
LimitOption = Annotated[int, typer.Option("--limit", help="At most this many rows, newest first; 0 for all.")]
OnePerStoryOption = Annotated[bool, typer.Option(
    "--one-per-story", help="Count a story carried by several sites once (its cluster's first article).")]


@contextmanager
def _user_errors():
    """Filter values the archive rejects are the user's to fix: one line, exit 2."""
    from storage import BadFilter
    try:
        yield
    except BadFilter as error:
        raise BadInput(str(error)) from error


def _emit(rows: list[dict], fmt: RowFormat, columns, table_columns, limit: int, what: str) -> None:
    emit_rows(rows, fmt, columns=table_columns if fmt is RowFormat.table else columns)
    if limit and len(rows) == limit:
        print(f"ocop: showing the first {limit} {what}; --limit 0 shows all", file=sys.stderr)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the archive's schema (Alembic) and load the provinces."""
    archive = open_archive(db, migrate=False)
    before, after = archive.upgrade()
    change = f"migrated from {before or 'nothing'} to {after}" if before != after else f"already at {after}"
    print(f"ocop: archive {archive.display_url}: schema {change}", file=sys.stderr)


@app.command("facts")
def facts(province: ProvinceOption = None, stars: StarsOption = None, kind: KindOption = None,
          status: StatusOption = None, since: SinceOption = None, until: UntilOption = None,
          source: SourceOption = None, fmt: FormatOption = RowFormat.table, limit: LimitOption = DEFAULT_ROW_LIMIT,
          one_per_story: OnePerStoryOption = False,
          latest: Annotated[bool, typer.Option(
              "--latest", help="The headline view: per province and star level, the latest reported achieved total "
                               "of OCOP products, with the article that said it (totals are never added).")] = False,
          db: DbOption = None) -> None:
    """Query extracted facts, each with its article's URL, date and evidence sentence."""
    from storage.queries import FACT_COLUMNS, HEADLINE_COLUMNS
    archive = open_archive(db)
    with _user_errors():
        if latest:
            if kind not in (None, "product_count") or status not in (None, "achieved") or source or one_per_story:
                raise BadInput("--latest is the achieved product_count view: it takes --province, --stars, "
                               "--since and --until only")
            rows = archive.headline(province=province, stars=stars, since=since, until=until)
            emit_rows(rows, fmt, columns=HEADLINE_TABLE_COLUMNS if fmt is RowFormat.table else HEADLINE_COLUMNS,
                      title="Latest reported OCOP products per province")
            return
        rows = archive.facts(province=province, stars=stars, kind=kind, status=status, since=since, until=until,
                             source=source, one_per_story=one_per_story, limit=limit)
    _emit(rows, fmt, FACT_COLUMNS, FACT_TABLE_COLUMNS, limit, "facts")


@app.command("articles")
def articles(province: ProvinceOption = None, stars: StarsOption = None, kind: KindOption = None,
             status: StatusOption = None, since: SinceOption = None, until: UntilOption = None,
             source: SourceOption = None, fmt: FormatOption = RowFormat.table,
             limit: LimitOption = DEFAULT_ROW_LIMIT, one_per_story: OnePerStoryOption = False,
             db: DbOption = None) -> None:
    """Query archived articles; fact filters keep the articles holding a matching fact."""
    from storage.queries import ARTICLE_COLUMNS
    archive = open_archive(db)
    with _user_errors():
        rows = archive.articles(province=province, stars=stars, kind=kind, status=status, since=since, until=until,
                                source=source, one_per_story=one_per_story, limit=limit)
    _emit(rows, fmt, ARTICLE_COLUMNS, ARTICLE_TABLE_COLUMNS, limit, "articles")


@app.command("search")
def search(query: Annotated[str, typer.Argument(help="Words to find as a phrase; diacritics and đ optional.")],
           fmt: FormatOption = RowFormat.table,
           limit: Annotated[int, typer.Option("--limit", help="At most this many articles, best first.")] = 50,
           db: DbOption = None) -> None:
    """Full-text search over articles, insensitive to Vietnamese diacritics ("can tho" finds "Cần Thơ")."""
    from storage.search import SEARCH_COLUMNS
    if limit < 1:
        raise BadInput("--limit must be at least 1")
    archive = open_archive(db)
    with _user_errors():
        rows = archive.search(query, limit=limit)
    emit_rows(rows, fmt, columns=SEARCH_COLUMNS)


class ExportFormat(str, enum.Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


class ExportTable(str, enum.Enum):
    facts = "facts"
    articles = "articles"


@app.command("export")
def export(fmt: Annotated[ExportFormat, typer.Option("--format", help="File format.")],
           out: Annotated[Path, typer.Option("--out", help="File to write.")],
           table: Annotated[ExportTable, typer.Option("--table", help="Which table.")] = ExportTable.facts,
           db: DbOption = None) -> None:
    """Bulk export of the facts or articles table (streamed, so any size fits)."""
    from storage.export import ExportUnavailable, export_table
    if not out.parent.exists():
        raise BadInput(f"--out: directory {out.parent} does not exist")
    archive = open_archive(db)
    try:
        written = export_table(archive, table.value, fmt.value, out)
    except ExportUnavailable as error:
        raise WorkFailed(str(error)) from error
    except OSError as error:
        raise BadInput(f"--out: cannot write {out}: {error.strerror}") from error
    print(f"ocop: wrote {written} {table.value} to {out}", file=sys.stderr)


def _bundled_rules() -> dict[str, tuple[str | None, str | None]]:
    """Each bundled registry source's (profile, home province): the rules of pages archived before the archive
    recorded its sources' own (schema 0005), or by a writer that registered none."""
    from crawler.registry import load_registry
    return {source.name: (source.profile, source.home_province) for source in load_registry()}


def _extractor() -> Callable:
    """Reads an archived page with the rules its crawl registered for the source, so it is read as it was."""
    from extract.article import extract_article
    bundled = _bundled_rules()

    def extract(page):
        bundled_profile, bundled_home = bundled.get(page.source, (None, None))
        return extract_article(page.body, page.url, fetched_at=page.fetched_at, content_type=page.content_type,
                               profile=page.profile or bundled_profile,
                               home_province=page.home_province or bundled_home)
    return extract


@app.command("reextract")
def reextract(since: SinceOption = None, db: DbOption = None,
              fmt: FormatOption = RowFormat.table) -> None:
    """Re-run the current extractors over archived raw HTML (no network); lists the articles whose facts changed."""
    from storage.reextract import reextract as reextract_archive
    archive = open_archive(db)
    extract = _extractor()
    seen = changed = added = removed = 0
    rows = []
    with _user_errors():
        for result in reextract_archive(archive, extract, since=since):
            seen += 1
            if not result.changed:
                continue
            changed += 1
            added += len(result.added)
            removed += len(result.removed)
            rows.append({"article_id": result.article_id, "url": result.url,
                         "extractor": f"{result.old_extractor_version} -> {result.new_extractor_version}",
                         "text_changed": result.text_changed, "facts_added": len(result.added),
                         "facts_removed": len(result.removed),
                         "added": [_describe(fact) for fact in result.added],
                         "removed": [_describe(fact) for fact in result.removed]})
    emit_rows(rows, fmt, columns=["article_id", "url", "extractor", "text_changed", "facts_added", "facts_removed",
                                  "added", "removed"], title="Articles whose extraction changed")
    print(f"ocop: re-read {seen} articles; {changed} changed: {added} facts added, {removed} removed",
          file=sys.stderr)


def _describe(fact: dict) -> str:
    """A fact in one line: kind, number, stars, status, place."""
    number = fact["count"] if fact["count"] is not None else fact["amount_vnd"]
    parts = [fact["kind"], str(number) if number is not None else fact.get("product") or "",
             f"{fact['stars']}★" if fact["stars"] else "", fact["status"] or "", fact["scope"] or "",
             fact["province"] or ("cả nước" if fact["nationwide"] else "")]
    return " ".join(part for part in parts if part)


@app.command("serve")
def serve(port: Annotated[int, typer.Option("--port", help="Port on the host.")] = 8001,
          host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
          db: DbOption = None) -> None:
    """A read-only web interface (Datasette) over an SQLite archive, for researchers."""
    from ocop.serve import serve_archive
    archive = open_archive(db)
    serve_archive(archive, host=host, port=port)
