"""Running the real `ocop` command from the end-to-end tests: one subprocess each, JSON rows back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ocop.demo import LOOPBACK_CRAWL_SETTINGS


def ocop(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ocop", *args], capture_output=True, text=True, timeout=timeout,
                          check=False)


def crawl_command(sources_file: Path, db: str) -> list[str]:
    """`ocop crawl` of every source of the file, without the politeness delays our own loopback sample needs not."""
    settings = [option for setting in LOOPBACK_CRAWL_SETTINGS for option in ("--set", setting)]
    return [sys.executable, "-m", "ocop", "crawl", "--sources-file", str(sources_file), "--db", db, *settings]


def query(command: str, db: str, *args: str) -> list[dict]:
    """Every row `ocop facts|articles` gives for the filters, as JSON."""
    result = ocop(command, "--db", db, "--format", "json", "--limit", "0", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
