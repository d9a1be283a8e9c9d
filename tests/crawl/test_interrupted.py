"""A crawl stopped midway (SIGINT, then SIGKILL) and started again loses no article and duplicates none."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from ocop.sample.behaviours import slow
from storage.models import RawResponse
from tests.crawl.conftest import DEFAULT_POOL, article_paths
from tests.crawl.test_discovery import expected_archive

pytestmark = pytest.mark.slow

ARTICLE_DELAY = 0.3  # seconds per article page, one request at a time: slow enough to stop the crawl halfway
WAIT_LIMIT = 60


def start(crawl, jobdir):
    command = crawl.command("--jobdir", str(jobdir), settings={**DEFAULT_POOL, "CONCURRENT_REQUESTS": "1"})
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=crawl.tmp_path)


def wait_for_articles(crawl, process, count: int) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the crawl ended before it could be stopped: {process.stderr.read()[-2000:]}"
        try:
            if crawl.article_count() >= count:
                return
        except OperationalError:  # the archive is not created yet
            pass
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} articles after {WAIT_LIMIT} s")


def wait_for_article_requests(sites, process, count: int) -> None:
    """Until the sites answered `count` article requests: stopping then leaves most of the crawl undone,
    however long the extraction processes take to start."""
    deadline = time.monotonic() + WAIT_LIMIT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the crawl ended before it could be stopped: {process.stderr.read()[-2000:]}"
        answered = sum(1 for name in sites.names for entry in sites.requests(name)
                       if entry.path in article_paths(sites, name))
        if answered >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} article requests after {WAIT_LIMIT} s")


def test_sigint_then_sigkill_then_resume(crawl, sites, tmp_path):
    about, _ = expected_archive(sites)
    for name in sites.names:
        for path in article_paths(sites, name):
            sites.route(name, path, slow(ARTICLE_DELAY))
    jobdir = tmp_path / "job"

    first = start(crawl, jobdir)
    wait_for_article_requests(sites, first, 2)
    first.send_signal(signal.SIGINT)
    _, stderr = first.communicate(timeout=WAIT_LIMIT)
    assert first.returncode == 130, stderr[-2000:]
    assert "interrupted" in stderr
    after_sigint = crawl.article_count()
    assert 0 < after_sigint < len(about)
    assert crawl.runs()[-1].status == "interrupted"

    second = start(crawl, jobdir)
    wait_for_articles(crawl, second, after_sigint + 1)
    second.kill()
    second.wait(timeout=WAIT_LIMIT)
    after_kill = crawl.article_count()
    assert after_kill < len(about), "the crawl finished before it was killed"

    for name in sites.names:
        for path in article_paths(sites, name):
            sites.unroute(name, path)
    resumed = crawl.run("--jobdir", str(jobdir))
    assert "did not stop cleanly" in resumed.stderr  # the queue a SIGKILL left behind is not trusted
    assert crawl.archived_urls() == about
    assert crawl.version_count() == len(about)
    per_url = crawl.rows(select(RawResponse.url, func.count()).where(RawResponse.url.in_(about))
                         .group_by(RawResponse.url))
    assert {url for url, _ in per_url} == about and all(count == 1 for _, count in per_url)
    assert crawl.runs()[-1].status == "finished"
