"""The weekly digest, the schedule and the offline demo."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ocop.cli import app, DbOption
from ocop.commands import not_built

@app.command("digest")
def digest(db: DbOption = None) -> None:
    """The weekly digest of OCOP facts."""
    not_built("digest")


@app.command("schedule")
def schedule() -> None:
    """Run the configured schedule of crawls and digests, or print it as crontab lines."""
    not_built("schedule")


@app.command("demo")
def demo() -> None:
    """Serve the bundled offline sample on loopback, crawl it into the default archive, print the facts per province."""
    not_built("demo")
