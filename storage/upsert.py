"""Insert-or-keep and insert-or-update statements for the dialects the archive supports (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

SUPPORTED_DIALECTS = ("sqlite", "postgresql")
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
# Statements are built once per shape and executed with the values as parameters: building a statement with its
# values inlined costs more than running it on the crawl's write path.
_STATEMENT_SHAPES = 64


def insert_or_keep(connection: Connection, table: Table, values: Mapping[str, Any], conflict: Sequence[str],
                   returning: Sequence[str] = ()):
    """INSERT ... ON CONFLICT DO NOTHING; with `returning`, the new row's columns, or None when it existed."""
    statement = _insert_or_keep(connection.dialect.name, table, tuple(conflict), tuple(returning))
    result = connection.execute(statement, dict(values))
    return result.first() if returning else None


def insert_or_update(connection: Connection, table: Table, values: Mapping[str, Any], conflict: Sequence[str],
                     update: Sequence[str]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE SET the `update` columns to the new values."""
    connection.execute(_insert_or_update(connection.dialect.name, table, tuple(conflict), tuple(update)), dict(values))


@lru_cache(maxsize=_STATEMENT_SHAPES)
def _insert_or_keep(dialect: str, table: Table, conflict: tuple[str, ...], returning: tuple[str, ...]):
    statement = _INSERTS[dialect](table).on_conflict_do_nothing(index_elements=list(conflict))
    return statement.returning(*(table.c[name] for name in returning)) if returning else statement


@lru_cache(maxsize=_STATEMENT_SHAPES)
def _insert_or_update(dialect: str, table: Table, conflict: tuple[str, ...], update: tuple[str, ...]):
    statement = _INSERTS[dialect](table)
    return statement.on_conflict_do_update(index_elements=list(conflict),
                                           set_={name: statement.excluded[name] for name in update})
