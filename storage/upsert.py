"""Insert-or-keep and insert-or-update statements for the dialects the archive supports (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

SUPPORTED_DIALECTS = ("sqlite", "postgresql")
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def insert_or_keep(connection: Connection, table: Table, values: Mapping[str, Any], conflict: Sequence[str],
                   returning: Sequence[str] = ()):
    """INSERT ... ON CONFLICT DO NOTHING; with `returning`, the new row's columns, or None when it existed."""
    statement = _INSERTS[connection.dialect.name](table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    if returning:
        return connection.execute(statement.returning(*(table.c[name] for name in returning))).first()
    connection.execute(statement)
    return None


def insert_or_update(connection: Connection, table: Table, values: Mapping[str, Any], conflict: Sequence[str],
                     update: Sequence[str]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE SET the `update` columns to the new values."""
    statement = _INSERTS[connection.dialect.name](table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=list(conflict),
                                                set_={name: statement.excluded[name] for name in update})
    connection.execute(statement)
