"""`ocop demo`: the offline sample crawled into the archive, summarised per province."""

from __future__ import annotations

from ocop.cli import DbOption, app
from ocop.commands import open_archive


@app.command("demo")
def demo(db: DbOption = None) -> None:
    """Crawl the bundled offline sample, served on loopback, into the archive and print the facts per province."""
    from ocop.demo import run_demo
    with open_archive(db) as archive:
        run_demo(archive)
