"""The crawl commands around the crawl itself: bounds, progress, `ocop sources check`, `scrapy crawl ocop`,
and the distributed frontier on Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.crawl.conftest import CRAWL_TIMEOUT, DEFAULT_POOL, FAST_SETTINGS, OCOP, ROOT, article_paths, requested_paths
from tests.crawl.test_discovery import expected_archive

pytestmark = pytest.mark.slow


def test_max_articles_and_max_pages_bound_a_run(crawl, sites):
    crawl.run("--max-articles", "3")
    assert crawl.article_count() == 3
    run = crawl.runs()[-1]
    assert run.status == "finished" and run.stats["close_reason"] == "max_articles"
    crawl.run("--max-pages", "4")
    bounded = crawl.runs()[-1]
    assert bounded.stats["pages"] == 4 and bounded.stats["close_reason"] == "max_pages"
    crawl.run()
    about, _ = expected_archive(sites)
    assert crawl.archived_urls() == about  # bounded runs left nothing half-done


def test_progress_lines_on_stderr(crawl, sites):
    name = sites.names[0]
    for path in article_paths(sites, name):
        from ocop.sample.behaviours import slow
        sites.route(name, path, slow(0.2))
    done = crawl.run("--source", name, settings={"OCOP_PROGRESS_INTERVAL": "0.5"})
    progress = [line for line in done.stderr.splitlines() if line.startswith("ocop crawl: ") and "finished" not in line]
    assert progress, done.stderr
    assert all(" pages, " in line and " articles, " in line and " facts, " in line and " errors, " in line
               and line.endswith(" pages/s") for line in progress)


def check(sites, tmp_path, *names: str):
    sources = tmp_path / "sources.toml"
    sites.write_sources(sources)
    command = [OCOP, "sources", "check", *names, "--sources-file", str(sources), "--format", "json"]
    for key, value in FAST_SETTINGS.items():
        command += ["--set", f"{key}={value}"]
    return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=CRAWL_TIMEOUT)


def test_sources_check_reports_healthy_sources_and_empty_fields(sites, tmp_path):
    import json

    done = check(sites, tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {row["source"]: row for row in json.loads(done.stdout)}
    assert set(rows) == set(sites.names)
    for row in rows.values():
        assert row["healthy"] and row["article_links"] > 0
        assert set(row["kinds"].split(",")) == {"feed", "listing", "sitemap"}
    assert not (tmp_path / "data").exists(), "a check writes no archive"

    # a site whose article pages lost their dates and title: the check says which fields came back empty
    name = sites.names[0]
    from ocop.sample.server import SampleResponse

    bare = SampleResponse(200, "<html><body><p>Trang không có tiêu đề.</p><p>Nội dung OCOP.</p></body></html>"
                          .encode("utf-8"))
    for path in article_paths(sites, name):
        sites.route(name, path, lambda request: bare)
    broken = check(sites, tmp_path, name)
    assert broken.returncode == 1
    (row,) = json.loads(broken.stdout)
    assert not row["healthy"] and row["source"] == name
    assert "published_at" in row["empty_fields"] or row["articles_read"].startswith("0/")


def test_scrapy_crawl_from_the_project_root(crawl, sites):
    env = {**os.environ, "OCOP_DATABASE_URL": crawl.db, "OCOP_SOURCES_FILE": str(crawl.sources_file)}
    command = [str(Path(sys.executable).with_name("scrapy")), "crawl", "ocop", "-a", f"source={sites.names[0]}",
               "-s", "LOG_LEVEL=WARNING"]
    for key, value in FAST_SETTINGS.items():
        command += ["-s", f"{key}={value}"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=CRAWL_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    about, _ = expected_archive(sites)
    name = sites.names[0]
    assert crawl.archived_urls() == {url for url in about if url.startswith(sites.url(name, "/"))}


def redis_url() -> str:
    url = os.environ.get("OCOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 - any failure to reach it means the service is absent
        require_service("Redis", f"{url}: {error}")
    return url


@pytest.mark.redis
def test_distributed_workers_share_one_frontier(crawl, sites):
    import redis

    url = redis_url()
    prefix = f"ocop-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "OCOP_REDIS_URL": url, "OCOP_REDIS_PREFIX": prefix}
    try:
        seeded = subprocess.run(crawl.command("--distributed", "--seed"), capture_output=True, text=True, env=env,
                                timeout=CRAWL_TIMEOUT)
        assert seeded.returncode == 0, seeded.stderr
        assert crawl.article_count() == 0  # seeding fetches nothing
        workers = [subprocess.Popen(crawl.command("--distributed", "--idle-exit", "2", settings=DEFAULT_POOL), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
        outputs = [worker.communicate(timeout=CRAWL_TIMEOUT)[1] for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), outputs
    finally:
        server = redis.Redis.from_url(url)
        keys = list(server.scan_iter(f"{prefix}:*"))
        if keys:
            server.delete(*keys)
    about, _ = expected_archive(sites)
    assert crawl.archived_urls() == about
    assert crawl.version_count() == len(about)
    for name in sites.names:  # each article page was fetched once, by one of the two workers
        fetched = [path for path in requested_paths(sites, name) if path in article_paths(sites, name)]
        assert len(fetched) == len(set(fetched))
    assert sum("finished" in output for output in outputs) == 2
