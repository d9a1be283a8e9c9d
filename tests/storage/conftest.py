"""Every storage test runs twice: on SQLite and on PostgreSQL, each time on an archive no other test touches.

Migrating a new archive for each of a hundred tests would cost a minute, so each test process migrates once
(an SQLite template file, a PostgreSQL schema) and every test starts from a copy of the file or an emptied
schema. Tests of migrating itself use `fresh_archive_url`.
"""

from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager

import pytest

from tests.conftest import require_service

POSTGRES_URL = os.environ.get("OCOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Tables a test may fill; provinces (the gazetteer) and alembic_version belong to the migrated schema.
FILLED_TABLES = ("article_shingle_bands", "facts", "article_versions", "url_states", "raw_responses", "articles",
                 "story_clusters", "crawl_runs", "sources")


def _postgres_admin():
    """A plain psycopg connection to the test server, or a skip (a failure in CI) when it is not there."""
    import psycopg
    from sqlalchemy import make_url

    url = make_url(POSTGRES_URL)
    try:
        return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                               dbname=url.database, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        require_service("PostgreSQL", str(error).strip().splitlines()[0])


@contextmanager
def postgres_schema_url():
    """A URL whose search_path is a new schema, dropped afterwards."""
    admin = _postgres_admin()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", schema, admin
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    from storage import Archive
    path = tmp_path_factory.mktemp("template") / "archive.sqlite3"
    Archive.open(f"sqlite:///{path}").close()  # closing the last connection folds the WAL into the file
    return path


@pytest.fixture(scope="session")
def postgres_session():
    from storage import Archive
    with postgres_schema_url() as (url, schema, admin):
        Archive.open(url).close()
        yield url, schema, admin


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request, tmp_path):
    """The URL of an empty, migrated archive that only this test uses."""
    if request.param == "sqlite":
        path = tmp_path / "archive.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url, schema, admin = request.getfixturevalue("postgres_session")
    tables = ", ".join(f'"{schema}"."{table}"' for table in FILLED_TABLES)
    admin.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_archive_url(request, tmp_path):
    """The URL of a place where no archive exists yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    else:
        with postgres_schema_url() as (url, _schema, _admin):
            yield url


@pytest.fixture
def postgres_archive_url(request):
    return request.getfixturevalue("postgres_session")[0]


@pytest.fixture
def archive(archive_url):
    from storage import Archive
    with Archive.open(archive_url) as opened:
        yield opened
