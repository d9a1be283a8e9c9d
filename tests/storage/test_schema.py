"""Opening and migrating the archive: which URL, SQLite settings, bad URLs, provinces, migrations equal to the models."""

from __future__ import annotations

import os

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from ocop.cli import main
from storage import Archive, BadArchiveURL
from storage.database import alembic_config, described_by_models, head_revision, write_transaction
from storage.models import Base, Province

ARCHIVE_TABLES = {"sources", "crawl_runs", "url_states", "raw_responses", "articles", "article_versions", "facts",
                  "provinces", "story_clusters", "article_shingle_bands"}


def test_db_upgrade_creates_then_reports_the_schema(fresh_archive_url, capsys):
    assert main(["db", "upgrade", "--db", fresh_archive_url]) == 0
    assert f"migrated from nothing to {head_revision()}" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", fresh_archive_url]) == 0
    assert f"already at {head_revision()}" in capsys.readouterr().err
    with Archive.open(fresh_archive_url, migrate=False) as archive:
        assert ARCHIVE_TABLES <= set(inspect(archive.engine).get_table_names())


def test_the_migrations_build_exactly_the_models(archive):
    with archive.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": described_by_models})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_to_nothing_and_back(fresh_archive_url):
    archive = Archive.open(fresh_archive_url)
    with write_transaction(archive.engine) as connection:
        command.downgrade(alembic_config(connection), "base")
    assert not ARCHIVE_TABLES & set(inspect(archive.engine).get_table_names())
    archive.upgrade()
    assert ARCHIVE_TABLES <= set(inspect(archive.engine).get_table_names())
    archive.close()


def test_provinces_hold_both_eras_and_the_merger(archive):
    with archive.engine.connect() as connection:
        per_era = dict(connection.execute(select(Province.era, func.count()).group_by(Province.era)).all())
        soc_trang = connection.execute(select(Province.current_name).where(Province.name == "Sóc Trăng")).scalar()
    assert per_era == {"old": 63, "new": 34}
    assert soc_trang == "Cần Thơ"


def test_the_default_archive_is_created_in_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCOP_DATABASE_URL", raising=False)
    with Archive.open(None) as archive:
        assert archive.dialect == "sqlite"
    assert (tmp_path / "data" / "ocop.sqlite3").is_file()


def test_the_environment_names_the_archive(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'from-env.sqlite3'}"
    monkeypatch.setenv("OCOP_DATABASE_URL", url)
    with Archive.open(None) as archive:
        assert archive.url == url
    assert main(["facts", "--format", "json"]) == 0  # the command reads the same variable


def test_sqlite_settings(tmp_path):
    with Archive.open(f"sqlite:///{tmp_path / 'a.sqlite3'}") as archive, archive.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000


@pytest.mark.parametrize("url", [
    "nosuchdialect://x/y",
    "mysql://user@127.0.0.1/ocop",
    "postgresql+psycopg://postgres@127.0.0.1:1/test",
    "not a url at all",
])
def test_bad_urls_are_bad_input(url, capsys):
    with pytest.raises(BadArchiveURL):
        Archive.open(url)
    assert main(["facts", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ocop: ")


def test_an_unwritable_path_is_bad_input(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert main(["db", "upgrade", "--db", f"sqlite:///{blocker / 'ocop.sqlite3'}"]) == 2
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    try:
        if os.access(read_only, os.W_OK):
            return  # running as root: every directory is writable, nothing more to test here
        assert main(["db", "upgrade", "--db", f"sqlite:///{read_only / 'ocop.sqlite3'}"]) == 2
    finally:
        read_only.chmod(0o755)
    assert capsys.readouterr().err.count("\n") == 1


def test_a_read_only_archive_at_head_can_be_queried(tmp_path):
    path = tmp_path / "copy.sqlite3"
    Archive.open(f"sqlite:///{path}").close()
    with Archive.open(f"sqlite:///file:{path}?mode=ro&uri=true") as archive:
        assert archive.facts() == [] and archive.headline() == []
