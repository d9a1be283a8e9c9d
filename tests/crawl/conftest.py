"""Crawl tests: the offline sample on loopback, a crawl in a subprocess with short timeouts, the archive read back."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from ocop.sample.server import SampleSites, serve_sample
from storage.models import Article, ArticleVersion, CrawlRun, RawResponse, UrlState

ROOT = Path(__file__).resolve().parents[2]
OCOP = str(Path(sys.executable).with_name("ocop"))
# Everything a crawl of loopback sites can do fast: no politeness delays, quick retries and timeouts.
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "OCOP_RETRY_BACKOFF_BASE": "0.05",
    "DOWNLOAD_TIMEOUT": "3",
    "OCOP_PROGRESS_INTERVAL": "0",
    # Extract in the crawl's own process: a pool's start-up costs more than it saves on a small site.
    # The tests of the full crawl, the interrupted crawl and the distributed one keep the default pool.
    "OCOP_EXTRACT_PROCESSES": "0",
}
DEFAULT_POOL = {"OCOP_EXTRACT_PROCESSES": "2"}
CRAWL_TIMEOUT = 90  # seconds: a crawl of the sample takes a few; a hung one fails the test instead of CI


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str


class Crawl:
    """Runs `ocop crawl` against one temporary archive and reads that archive back."""

    def __init__(self, tmp_path: Path, sites: SampleSites) -> None:
        self.tmp_path = tmp_path
        self.sites = sites
        self.db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        self.sources_file = tmp_path / "sources.toml"
        sites.write_sources(self.sources_file)
        self._engine = None

    def command(self, *args: str, settings: dict[str, str] | None = None) -> list[str]:
        merged = {**FAST_SETTINGS, **(settings or {})}
        command = [OCOP, "crawl", "--db", self.db, *args]
        if "--sources-file" not in args:
            command += ["--sources-file", str(self.sources_file)]
        for name, value in merged.items():
            command += ["--set", f"{name}={value}"]
        return command

    def run(self, *args: str, settings: dict[str, str] | None = None, expect: int = 0) -> CrawlResult:
        done = subprocess.run(self.command(*args, settings=settings), capture_output=True, text=True, cwd=self.tmp_path,
                              timeout=CRAWL_TIMEOUT)
        assert done.returncode == expect, f"exit {done.returncode}\n{done.stderr[-4000:]}"
        return CrawlResult(done.returncode, done.stdout, done.stderr)

    # --- reading the archive back -------------------------------------------------------------------

    @property
    def engine(self):
        if self._engine is None:
            self._engine = create_engine(self.db)
        return self._engine

    def rows(self, statement) -> list:
        with self.engine.connect() as connection:
            return list(connection.execute(statement))

    def archived_urls(self) -> set[str]:
        return {row.url for row in self.rows(select(Article.url))}

    def url_states(self) -> dict[str, str]:
        return {row.url: row.status for row in self.rows(select(UrlState.url, UrlState.status))}

    def url_state(self, url: str):
        found = self.rows(select(UrlState).where(UrlState.url == url))
        return found[0] if found else None

    def versions(self, url: str) -> int:
        return self.rows(select(Article.version).where(Article.url == url))[0].version

    def version_count(self) -> int:
        return self.rows(select(func.count()).select_from(ArticleVersion))[0][0]

    def article_count(self) -> int:
        return self.rows(select(func.count()).select_from(Article))[0][0]

    def raw_count(self) -> int:
        return self.rows(select(func.count()).select_from(RawResponse))[0][0]

    def runs(self) -> list:
        return self.rows(select(CrawlRun).order_by(CrawlRun.id))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


@pytest.fixture
def sites():
    with serve_sample() as running:
        yield running


@pytest.fixture
def crawl(tmp_path, sites):
    runner = Crawl(tmp_path, sites)
    yield runner
    runner.close()


def article_paths(sites: SampleSites, name: str) -> set[str]:
    """The request paths of every published article of a sample site."""
    site = sites.site(name)
    return {site.article_path(article) for article in site.articles if not article.draft}


def requested_paths(sites: SampleSites, name: str) -> list[str]:
    """What a site was asked for, in order: paths with their query."""
    return [entry.target for entry in sites.requests(name)]
