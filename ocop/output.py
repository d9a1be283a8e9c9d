"""Writing rows to stdout as a table, CSV or JSON: the one output path of every query command."""

from __future__ import annotations

import csv
import enum
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any

from rich.console import Console
from rich.table import Table


class RowFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def emit_rows(rows: Iterable[dict], fmt: RowFormat, columns: Sequence[str] | None = None,
              out: IO[str] | None = None, title: str | None = None) -> int:
    """Write rows in the chosen format; returns how many were written. JSON is one array, CSV has a header."""
    out = out or sys.stdout
    rows = [{key: _plain(value) for key, value in row.items()} for row in rows]
    if columns is None:
        columns = list(rows[0]) if rows else []
    if fmt is RowFormat.json:
        json.dump([{column: row.get(column) for column in columns} for row in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt is RowFormat.csv:
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: _csv_cell(row.get(column)) for column in columns})
    else:
        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if row.get(column) is None else str(row.get(column)) for column in columns))
        Console(file=out, width=max(160, Console().width)).print(table)
    return len(rows)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value
