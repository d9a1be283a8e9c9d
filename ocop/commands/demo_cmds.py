"""`ocop demo`: the offline sample crawled into the archive, summarised per province."""

from __future__ import annotations

from ocop.cli import DbOption, app
from ocop.commands import open_archive


@app.command("demo")
def demo(db: DbOption = None) -> None:
    """Serve the bundled offline sample on loopback, crawl it into the archive (default ./data/ocop.sqlite3) and
    print the facts found per province. Running it again adds no duplicates."""
    from ocop.demo import run_demo
    with open_archive(db) as archive:
        run_demo(archive)
