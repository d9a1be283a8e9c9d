"""Every storage test runs twice: on a fresh SQLite file and on a fresh PostgreSQL schema of its own."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest

from tests.conftest import require_service

POSTGRES_URL = os.environ.get("OCOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


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
    """A URL whose search_path is a fresh schema that only this test uses, dropped afterwards."""
    admin = _postgres_admin()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request, tmp_path):
    """The URL of an empty archive: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    else:
        with postgres_schema_url() as url:
            yield url


@pytest.fixture
def postgres_archive_url():
    with postgres_schema_url() as url:
        yield url


@pytest.fixture
def archive(archive_url):
    from storage import Archive
    with Archive.open(archive_url) as opened:
        yield opened
