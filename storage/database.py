"""Opening an archive: which URL, the engine and its SQLite settings, and migrating the schema to head."""

from __future__ import annotations

import os
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

DATABASE_URL_ENV = "OCOP_DATABASE_URL"
DEFAULT_SQLITE_PATH = Path("data") / "ocop.sqlite3"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# A writer waits this long for another writer's lock before giving up: crawls commit one page at a time,
# so a minute of waiting means something is stuck rather than busy.
SQLITE_BUSY_TIMEOUT_MS = 60_000
# Any constant identifies the migration lock among PostgreSQL advisory locks; this one spells "OCOP".
POSTGRES_MIGRATION_LOCK = 0x4F434F50
# Execution option that marks a connection as a writer (SQLite then takes the write lock up front).
WRITE_OPTION = "ocop_write"


# Migration 0002 builds the search structures in raw SQL (FTS5 tables, a GIN expression index); the models do
# not describe them, so comparing models with the database leaves them out.
SEARCH_OBJECT_PREFIXES = ("article_search", "ix_articles_search")


def described_by_models(_object, name, _type, _reflected, _compare_to) -> bool:
    """Alembic's include_object hook: everything but the search structures."""
    return not (name or "").startswith(SEARCH_OBJECT_PREFIXES)


class BadArchiveURL(Exception):
    """The archive URL cannot be used: unknown dialect, unreachable server, unwritable path."""


def resolve_url(url: str | None) -> str:
    """--db, else OCOP_DATABASE_URL, else the SQLite file ./data/ocop.sqlite3."""
    return url or os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def create_archive_engine(url: str) -> Engine:
    """An engine for the URL; for SQLite: WAL, a busy timeout, foreign keys, and writers that lock up front."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise BadArchiveURL(f"not a database URL: {url!r}") from error
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ArgumentError, ImportError) as error:
        raise BadArchiveURL(f"unsupported database URL {parsed.render_as_string(hide_password=True)!r}: {error}") from error


def _sqlite_engine(parsed: URL) -> Engine:
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BadArchiveURL(f"cannot create the archive's directory {path.parent}: {error.strerror}") from error
    try:
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    except (NoSuchModuleError, ArgumentError) as error:
        raise BadArchiveURL(f"unsupported database URL {str(parsed)!r}: {error}") from error

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not parsed.query.get("mode") == "ro":
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no committed write
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # A writer takes the write lock at BEGIN, so two writers queue on the busy timeout instead of
        # deadlocking when both upgrade a read lock.
        writer = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: commits when the block ends, rolls back on any exception."""
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            yield connection


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, pointing at storage/migrations (and at a connection, when given)."""
    config = Config(str(Path(__file__).parent / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def lock_schema(connection: Connection) -> None:
    """Serialise schema and reference-data changes between processes until the transaction ends.

    SQLite's write transactions (BEGIN IMMEDIATE) are already serial; PostgreSQL takes an advisory lock.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK})


def upgrade_to_head(engine: Engine) -> tuple[str | None, str | None]:
    """Migrate the schema to head under a lock (two processes opening a new archive do it once). (before, after).

    An archive already at head is only read, so a read-only copy can still be queried.
    """
    head = head_revision()
    with engine.connect() as connection:
        current = current_revision(connection)
    if current == head:
        return current, current
    with write_transaction(engine) as connection:
        lock_schema(connection)
        before = current_revision(connection)
        if before != head:
            command.upgrade(alembic_config(connection), "head")
        return before, current_revision(connection)


def check_connection(engine: Engine) -> None:
    """Connect once, turning an unreachable server or an unwritable file into BadArchiveURL."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
        raise BadArchiveURL(f"cannot open the archive {engine.url.render_as_string(hide_password=True)}: {reason}") from error
