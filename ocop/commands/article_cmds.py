"""Commands over one saved page: extract article, extract links, eval articles."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ocop.cli import extract_app, eval_app
from ocop.commands import not_built

@extract_app.command("article")
def extract_article(files: list[Path] = typer.Argument(None), url: Optional[str] = typer.Option(None, "--url"),
                    fetched_at: Optional[str] = typer.Option(None, "--fetched-at"),
                    input_list: Optional[Path] = typer.Option(None, "--input")) -> None:
    """Read a saved page as an article: one JSON object (or JSON lines with --input)."""
    not_built("extract article")


@extract_app.command("links")
def extract_links(file: Path, url: str = typer.Option(..., "--url")) -> None:
    """Read a saved listing page: its article URLs and next page, as JSON."""
    not_built("extract links")


@eval_app.command("articles")
def eval_articles(gold: Path = typer.Option(..., "--gold")) -> None:
    """Score article extraction against a gold file."""
    not_built("eval articles")
