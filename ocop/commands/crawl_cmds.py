"""Crawling: `ocop crawl` (Scrapy in this process), `ocop sources list` and `ocop sources check`."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

import typer

from ocop.cli import DbOption, app, sources_app
from ocop.commands import open_archive
from ocop.errors import BadInput, WorkFailed
from ocop.output import RowFormat, emit_rows

# Seconds to open a TCP connection to a --url host before calling it unreachable: a slow site answers
# well within this; a wrong host name or a dead address never does.
URL_PROBE_TIMEOUT = 10.0
DEFAULT_PORTS = {"http": 80, "https": 443}
INTERRUPTED_REASONS = ("shutdown", "cancelled")
UNCLEAN_MARKER = "ocop-crawl-running"  # in --jobdir while a crawl runs; left behind only by a crash or SIGKILL
JOBDIR_QUEUES = ("requests.queue",)  # what Scrapy keeps in JOBDIR that a crash can leave unreadable

SourcesFileOption = typer.Option(None, "--sources-file", help="Registry file to use instead of the bundled one.",
                                 envvar="OCOP_SOURCES_FILE", dir_okay=False)


@app.command("crawl")
def crawl(
    source: Optional[list[str]] = typer.Option(None, "--source", help="Crawl this registry source (repeatable)."),
    url: Optional[list[str]] = typer.Option(None, "--url", help="Crawl from this start URL: a section, tag, search or "
                                            "listing page, a feed or a sitemap, on that URL's site (repeatable)."),
    sources_file: Optional[Path] = SourcesFileOption,
    since: Optional[str] = typer.Option(None, "--since", help="Only articles from this day on "
                                        "(YYYY-MM-DD): older sitemap and feed entries are skipped, older articles "
                                        "are not stored."),
    max_pages: Optional[int] = typer.Option(None, "--max-pages", min=1,
                                            help="Stop after this many requests (robots.txt included)."),
    max_articles: Optional[int] = typer.Option(None, "--max-articles", min=1,
                                               help="Stop after storing this many new or changed articles."),
    jobdir: Optional[Path] = typer.Option(None, "--jobdir", file_okay=False,
                                          help="Keep the crawl's queue here: stop it and run again to resume."),
    distributed: bool = typer.Option(False, "--distributed", help="Share the frontier through Redis at "
                                     "OCOP_REDIS_URL (scrapy-redis)."),
    seed: bool = typer.Option(False, "--seed", help="With --distributed: push the start URLs and exit."),
    idle_exit: Optional[float] = typer.Option(None, "--idle-exit", min=0, help="With --distributed: end once the "
                                              "shared frontier stayed empty this many seconds."),
    setting: Optional[list[str]] = typer.Option(None, "--set", help="A Scrapy setting NAME=VALUE, as `scrapy -s` "
                                                "(repeatable)."),
    db: DbOption = None,
) -> None:
    """Crawl the enabled sources of the registry (or --source / --url) into the archive."""
    from crawler.registry import RegistryError, choose_sources
    from crawler.spiders.ocop import parse_since

    names, urls = list(source or []), list(url or [])
    try:
        since_moment = parse_since(since)
    except ValueError:
        raise BadInput(f"--since: not a date (YYYY-MM-DD): {since!r}") from None
    if (seed or idle_exit is not None) and not distributed:
        raise BadInput("--seed and --idle-exit go with --distributed")
    for start_url in urls:
        _check_reachable(start_url)
    try:
        sources = choose_sources(sources_file, names, urls)
    except RegistryError as error:
        raise BadInput(str(error)) from None
    if not sources and not distributed:
        raise BadInput("no source to crawl: the registry has no enabled source (use --source or --url)")
    overrides = _parse_settings(setting or [])
    archive = open_archive(db)
    overrides["OCOP_DATABASE_URL"] = archive.url
    archive.close()
    if sources_file:
        overrides["OCOP_SOURCES_FILE"] = str(sources_file)
    if max_pages:
        overrides["OCOP_MAX_PAGES"] = max_pages
    if max_articles:
        overrides["OCOP_MAX_ARTICLES"] = max_articles
    if jobdir:
        overrides["JOBDIR"] = str(jobdir)
    spider_args = {"source": names, "url": urls, "since": since_moment.isoformat() if since_moment else None}

    if distributed:
        from crawler.spiders.distributed import DistributedOcopSpider, redis_settings

        redis_url, prefix = _redis_target(overrides)
        overrides.update(redis_settings(redis_url, prefix))
        if seed:
            _seed(redis_url, prefix, sources)
            return
        spider_class, spider_args["idle_exit"] = DistributedOcopSpider, idle_exit
    else:
        from crawler.spiders.ocop import OcopSpider

        spider_class = OcopSpider
    with _jobdir_guard(jobdir):
        crawler = _run(spider_class, overrides, spider_args)
    reason = crawler.stats.get_value("finish_reason")
    if reason in INTERRUPTED_REASONS:
        print("ocop: run the same command again to go on with this crawl", file=sys.stderr)
        raise KeyboardInterrupt  # `ocop` reports it and exits 130
    pages = crawler.stats.get_value("response_received_count", 0)
    if pages == 0 and crawler.stats.get_value("ocop/errors", 0):
        raise WorkFailed("no page could be fetched (see the warnings above)")


@sources_app.command("list")
def sources_list(sources_file: Optional[Path] = SourcesFileOption,
                 fmt: RowFormat = typer.Option(RowFormat.table, "--format")) -> None:
    """List the source registry."""
    from crawler.registry import RegistryError, load_registry

    try:
        sources = load_registry(sources_file)
    except RegistryError as error:
        raise BadInput(str(error)) from None
    rows = [{
        "name": s.name, "kind": s.kind, "enabled": s.enabled, "verified": s.verified, "title": s.title,
        "start_urls": len(s.start_urls), "feeds": len(s.feeds), "sitemaps": len(s.sitemaps),
        "profile": s.profile, "homepage": s.homepage,
    } for s in sources]
    emit_rows(rows, fmt, title="OCOP news sources")


@sources_app.command("check")
def sources_check(name: Optional[list[str]] = typer.Argument(None, help="Source names (default: every enabled one)."),
                  sources_file: Optional[Path] = SourcesFileOption,
                  fmt: RowFormat = typer.Option(RowFormat.table, "--format"),
                  setting: Optional[list[str]] = typer.Option(None, "--set", help="A Scrapy setting NAME=VALUE.")) -> None:
    """Fetch a sample of each source and report fields that come back empty; exit 1 if a source is unhealthy."""
    from crawler.registry import RegistryError, choose_sources
    from crawler.spiders.check import SourceCheckSpider

    try:
        sources = choose_sources(sources_file, list(name or []), [])
    except RegistryError as error:
        raise BadInput(str(error)) from None
    overrides = _parse_settings(setting or [])
    if sources_file:
        overrides["OCOP_SOURCES_FILE"] = str(sources_file)
    crawler = _run(SourceCheckSpider, overrides, {"source": [s.name for s in sources]})
    reports = crawler.spider.reports
    rows = []
    for source in sources:
        report = reports.get(source.name)
        seeds = list(report.seeds.values()) if report else []
        articles = list(report.articles.values()) if report else []
        read = [a for a in articles if a.is_article]
        empty: dict[str, int] = {}
        for article in read:
            for field_name in article.empty_fields:
                empty[field_name] = empty.get(field_name, 0) + 1
        problems = [f"{seed.url}: {seed.error}" for seed in seeds if seed.error]
        problems += [f"{a.url}: {a.error}" for a in articles if a.error]
        rows.append({
            "source": source.name,
            "healthy": bool(report and report.healthy),
            "start_pages_ok": f"{sum(seed.status == 200 for seed in seeds)}/{len(seeds)}",
            "kinds": ",".join(sorted({seed.kind for seed in seeds if seed.kind})),
            "article_links": sum(seed.article_links for seed in seeds),
            "articles_read": f"{len(read)}/{len(articles)}",
            "empty_fields": ", ".join(f"{k} {v}/{len(read)}" for k, v in sorted(empty.items())) or "-",
            "problems": "; ".join(problems) or "-",
        })
    emit_rows(rows, fmt, title="Source check")
    if not all(row["healthy"] for row in rows):
        raise typer.Exit(1)


def _run(spider_class, overrides: dict, spider_args: dict):
    """Run one spider in this process with the project's settings plus `overrides`; returns its crawler."""
    from scrapy.crawler import CrawlerProcess

    settings = _project_settings({"LOG_LEVEL": os.environ.get("OCOP_LOG_LEVEL", "WARNING"), **overrides})
    for handler in list(logging.root.handlers):  # Scrapy's own handler takes over stderr, at LOG_LEVEL
        logging.root.removeHandler(handler)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_class)
    process.crawl(crawler, **spider_args)
    process.start()
    if crawler.stats is None or crawler.spider is None:
        raise WorkFailed("the crawl could not start (see the log above)")
    return crawler


@contextmanager
def _jobdir_guard(jobdir: Path | None):
    """Scrapy's JOBDIR queue survives a clean stop (Ctrl-C) but not a crash or SIGKILL, after which reading it
    fails. A marker present from start to clean end tells them apart; after a crash the queue is dropped and
    discovery starts over, which loses nothing: the archive already skips every page stored before."""
    if jobdir is None:
        yield
        return
    marker = jobdir / UNCLEAN_MARKER
    if marker.exists():
        for queue in JOBDIR_QUEUES:
            shutil.rmtree(jobdir / queue, ignore_errors=True)
        print(f"ocop: the last crawl with {jobdir} did not stop cleanly: its queue is dropped and discovery starts "
              "again (pages already archived are not fetched again)", file=sys.stderr)
    jobdir.mkdir(parents=True, exist_ok=True)
    marker.touch()
    yield
    marker.unlink(missing_ok=True)


def _parse_settings(pairs: list[str]) -> dict:
    overrides = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise BadInput(f"--set: expected NAME=VALUE, got {pair!r}")
        overrides[key.strip()] = value
    return overrides


def _check_reachable(url: str) -> None:
    """A --url must be http(s) and its host must accept a connection; else one line and exit 2."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise BadInput(f"--url: not an http(s) URL: {url!r}")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise BadInput(f"--url: bad port in {url!r}") from None
    try:
        socket.create_connection((parts.hostname, port), timeout=URL_PROBE_TIMEOUT).close()
    except OSError as error:
        raise BadInput(f"--url: cannot reach {parts.hostname}:{port} ({error.strerror or error})") from None


def _project_settings(overrides: dict):
    """The project's Scrapy settings (crawler.settings) with `overrides` at command-line priority."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    return settings


def _redis_target(overrides: dict) -> tuple[str, str]:
    settings = _project_settings(overrides)
    return settings.get("OCOP_REDIS_URL"), settings.get("OCOP_REDIS_PREFIX")


def _seed(redis_url: str, prefix: str, sources) -> None:
    """Push the start URLs to the shared frontier and start a new duplicate-filter generation."""
    import redis

    from crawler.spiders.distributed import DUPEFILTER_KEY, START_KEY, DistributedOcopSpider, seed_messages

    spider = DistributedOcopSpider.name
    adhoc_names = {s.name for s in sources if s.kind == "adhoc"}
    messages = seed_messages(sources, adhoc_names)
    try:
        server = redis.Redis.from_url(redis_url)
        server.delete(DUPEFILTER_KEY.format(prefix=prefix) % {"spider": spider})
        if messages:
            server.rpush(START_KEY.format(prefix=prefix, spider=spider), *messages)
    except redis.RedisError as error:
        raise WorkFailed(f"cannot reach Redis at {redis_url}: {error}") from None
    print(f"seeded {len(messages)} start URLs of {len(sources)} sources into {redis_url} ({prefix})", file=sys.stderr)
