"""The `ocop` subcommands, one module per area; each registers its commands on the apps of ocop.cli."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

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


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """A file the user named that cannot be read is bad input: one line, exit 2."""
    try:
        yield
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror or error}") from None


def open_text(path: Path) -> IO[str]:
    """A UTF-8 text file the user named, opened for reading line by line."""
    with reading(path):
        return path.open(encoding="utf-8")


def read_json(path: Path):
    """A JSON file the user named, parsed; one clear line (BadInput) when it cannot be read or is not JSON."""
    with reading(path):
        text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"{path}: not valid JSON ({error.msg})") from None


def read_pinned(path: Path) -> dict[str, float]:
    """The minimum figures of a quality gate: JSON {"figures": {name: number}} (or the bare mapping)."""
    data = read_json(path)
    figures = data.get("figures", data) if isinstance(data, dict) else None
    if not isinstance(figures, dict) or not all(isinstance(value, (int, float)) for value in figures.values()):
        raise BadInput(f"{path}: expected {{\"figures\": {{name: number}}}}")
    return {name: float(value) for name, value in figures.items()}
