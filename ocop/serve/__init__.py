"""`ocop serve`: Datasette over an SQLite archive, read-only, with the tables described and the headline view."""

from __future__ import annotations

from pathlib import Path

from ocop.errors import WorkFailed

def sqlite_path(archive) -> Path:
    """The archive's file; Datasette serves SQLite files only."""
    if archive.dialect != "sqlite" or not archive.engine.url.database or archive.engine.url.database == ":memory:":
        raise WorkFailed("ocop serve works on an SQLite archive only; for PostgreSQL use `ocop export` "
                         "or point Datasette-compatible tools at the server")
    return Path(archive.engine.url.database)


def database_name(path: Path) -> str:
    """Datasette names a database after its file: ./data/ocop.sqlite3 is served at /ocop."""
    return path.stem


def build_datasette(path: Path):
    """A Datasette over the archive file: opened with mode=ro, every connection query-only, no write routes."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from ocop.serve import plugin
    from ocop.serve.metadata import archive_metadata

    if not pm.is_registered(plugin):
        pm.register(plugin, name="ocop-archive")
    return Datasette(files=[str(path)], metadata=archive_metadata(database_name(path)),
                     settings={"sql_time_limit_ms": plugin.SQL_TIME_LIMIT_MS},
                     crossdb=False)


def serve_archive(archive, *, host: str, port: int) -> None:
    """Serve until interrupted."""
    import uvicorn

    path = sqlite_path(archive)
    archive.close()
    datasette = build_datasette(path)
    print(f"ocop serve: http://{host}:{port}/{database_name(path)} (read-only; Ctrl-C stops)", flush=True)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
