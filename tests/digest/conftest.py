"""Fixtures of the digest tests: a temporary SQLite archive holding the hand-built sample week."""

import pytest

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
