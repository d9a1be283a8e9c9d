"""Fixtures of the digest tests: a temporary SQLite archive holding the hand-built sample week, a PostgreSQL schema."""

import os
import uuid

import pytest

from tests.conftest import require_service
from tests.digest.sample_week import store_sample


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory):
    """An archive filled through Archive.store_page, twice (a second crawl of the same pages changes nothing)."""
    from storage import Archive
    url = f"sqlite:///{tmp_path_factory.mktemp('archive') / 'ocop.sqlite3'}"
    with Archive.open(url) as archive:
        store_sample(archive)
        store_sample(archive)
    return url


POSTGRES_URL = os.environ.get("OCOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_url():
    """A URL whose search_path is a new PostgreSQL schema of this test only, dropped afterwards."""
    import psycopg
    from sqlalchemy import make_url
    server = make_url(POSTGRES_URL)
    try:
        admin = psycopg.connect(host=server.host, port=server.port or 5432, user=server.username,
                                password=server.password, dbname=server.database, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        require_service("PostgreSQL", str(error).strip().splitlines()[0])
    schema = f"digest_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
