"""Commands over sentences: extract facts and eval facts."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ocop.cli import extract_app, eval_app
from ocop.commands import not_built

@extract_app.command("facts")
def extract_facts(input_file: Optional[Path] = typer.Option(None, "--input")) -> None:
    """Read OCOP facts from JSON-lines sentences (stdin by default)."""
    not_built("extract facts")


@eval_app.command("facts")
def eval_facts(gold: Path = typer.Option(..., "--gold")) -> None:
    """Score the fact extractor against a gold file."""
    not_built("eval facts")
