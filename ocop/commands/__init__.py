"""The `ocop` subcommands, one module per area; each registers its commands on the apps of ocop.cli."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocop.errors import BadInput

if TYPE_CHECKING:
    from storage import Archive


def open_archive(db: str | None, *, migrate: bool = True) -> Archive:
    """Open the archive of --db / OCOP_DATABASE_URL / ./data/ocop.sqlite3; a URL that cannot be used is bad input."""
    from storage import Archive, BadArchiveURL
    try:
        return Archive.open(db, migrate=migrate)
    except BadArchiveURL as error:
        raise BadInput(str(error)) from error
