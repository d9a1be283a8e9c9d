"""Crawling: ocop crawl and ocop sources."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ocop.cli import app, sources_app, DbOption
from ocop.commands import not_built

@app.command("crawl")
def crawl(db: DbOption = None) -> None:
    """Crawl the enabled sources of the registry (or --url start pages) into the archive."""
    not_built("crawl")


@sources_app.command("list")
def sources_list() -> None:
    """List the source registry."""
    not_built("sources list")


@sources_app.command("check")
def sources_check(name: Optional[str] = typer.Argument(None)) -> None:
    """Fetch a sample of each source and report fields that come back empty."""
    not_built("sources check")
