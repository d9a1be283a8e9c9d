"""Bulk export of the facts or articles tables to CSV, JSON lines or Parquet, streamed in batches."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select

from storage.models import Article, Source
from storage.queries import FACT_COLUMNS, Filters, fact_statement, present_fact, vietnam_time

articles = Article.__table__
sources = Source.__table__

EXPORT_FORMATS = ("csv", "jsonl", "parquet")
PARQUET_BATCH_ROWS = 10_000  # rows per Parquet row group: bounded memory, and groups big enough to compress well

ARTICLE_COLUMNS = (
    "article_id", "url", "first_url", "source", "title", "lead", "text", "authors", "tags", "section", "language",
    "published_at", "modified_at", "first_seen_at", "last_seen_at", "version", "cluster_id", "extractor_version",
)


class ExportUnavailable(Exception):
    """The chosen export format needs an optional library that is not installed."""


def article_export_statement() -> Select:
    return (select(articles.c.id.label("article_id"), articles.c.canonical_url.label("url"),
                   articles.c.url.label("first_url"), sources.c.name.label("source"), articles.c.title,
                   articles.c.lead, articles.c.text, articles.c.authors, articles.c.tags, articles.c.section,
                   articles.c.language, articles.c.published_at, articles.c.modified_at, articles.c.first_seen_at,
                   articles.c.last_seen_at, articles.c.version, articles.c.cluster_id, articles.c.extractor_version)
            .select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
            .order_by(articles.c.id))


def export_rows(archive, table: str) -> tuple[tuple[str, ...], Iterator[dict]]:
    """The columns and a stream of rows of a table as researchers see it."""
    if table == "facts":
        statement = fact_statement(Filters()).order_by(None).order_by("fact_id")
        return FACT_COLUMNS, (present_fact(row) for row in archive.stream(statement))
    if table == "articles":
        return ARTICLE_COLUMNS, (_present_article(row) for row in archive.stream(article_export_statement()))
    raise ValueError(f"unknown table {table!r}")


def _present_article(row: Mapping[str, Any]) -> dict:
    result = dict(row)
    for name in ("published_at", "modified_at", "first_seen_at", "last_seen_at"):
        result[name] = vietnam_time(result[name])
    return result


def export_table(archive, table: str, fmt: str, out: Path) -> int:
    """Write a whole table to out in the format; returns how many rows were written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    columns, rows = export_rows(archive, table)
    writer = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}[fmt]
    return writer(columns, rows, out)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _write_csv(columns: tuple[str, ...], rows: Iterable[dict], out: Path) -> int:
    written = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row[name]) for name in columns])
            written += 1
    return written


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return _plain(value)


def _write_jsonl(columns: tuple[str, ...], rows: Iterable[dict], out: Path) -> int:
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({name: _plain(row[name]) for name in columns}, ensure_ascii=False) + "\n")
            written += 1
    return written


def _arrow_schema(columns: tuple[str, ...]):
    import pyarrow as pa
    timestamp = pa.timestamp("us", tz="Asia/Ho_Chi_Minh")
    types = {
        "span": pa.list_(pa.int64()), "authors": pa.list_(pa.string()), "tags": pa.list_(pa.string()),
        "nationwide": pa.bool_(),
        **{name: timestamp for name in ("published_at", "modified_at", "first_seen_at", "last_seen_at")},
        **{name: pa.int64() for name in ("fact_id", "article_id", "count", "stars", "year", "amount_vnd", "version",
                                         "cluster_id")},
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in columns])


def _write_parquet(columns: tuple[str, ...], rows: Iterable[dict], out: Path) -> int:
    try:  # before the file is opened or a row read (export_rows streams lazily)
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportUnavailable("Parquet export needs pyarrow: pip install 'ocop-monitor[parquet]'") from None
    schema = _arrow_schema(columns)
    written = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) == PARQUET_BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written += len(batch)
                batch = []
        if batch or written == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            written += len(batch)
    return written
