"""Archive commands: db upgrade, facts, articles, search, export, reextract, serve."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ocop.cli import app, db_app, DbOption
from ocop.commands import not_built

@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the archive's schema."""
    not_built("db upgrade")


@app.command("facts")
def facts(db: DbOption = None) -> None:
    """Query extracted facts with their article and evidence sentence."""
    not_built("facts")


@app.command("articles")
def articles(db: DbOption = None) -> None:
    """Query archived articles."""
    not_built("articles")


@app.command("search")
def search(query: str, db: DbOption = None) -> None:
    """Full-text search over articles, insensitive to Vietnamese diacritics."""
    not_built("search")


@app.command("export")
def export(db: DbOption = None) -> None:
    """Bulk export of articles or facts."""
    not_built("export")


@app.command("reextract")
def reextract(db: DbOption = None) -> None:
    """Re-run the current extractors over archived raw HTML, without the network."""
    not_built("reextract")


@app.command("serve")
def serve(db: DbOption = None) -> None:
    """A read-only web interface over the archive."""
    not_built("serve")
