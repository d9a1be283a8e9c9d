"""The `ocop` subcommands, one module per area; each registers its commands on the apps of ocop.cli."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocop.errors import BadInput, WorkFailed

if TYPE_CHECKING:
    from storage import Archive


def not_built(command: str) -> None:
    """Say plainly that a command exists in the interface but is not built yet (exit 1)."""
    raise WorkFailed(f"'{command}' is not built yet")


def open_archive(db: str | None, *, migrate: bool = True) -> Archive:
    """Open the archive of --db / OCOP_DATABASE_URL / ./data/ocop.sqlite3; a URL that cannot be used is bad input."""
    from storage import Archive, BadArchiveURL
    try:
        return Archive.open(db, migrate=migrate)
    except BadArchiveURL as error:
        raise BadInput(str(error)) from error
