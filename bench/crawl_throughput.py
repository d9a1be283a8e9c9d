"""Crawl throughput: a generated local site of realistic article pages, crawled end to end (fetch, extract,
archive) by `ocop crawl` and by a bare Scrapy spider that only fetches the same pages, in one run.

Run:   .venv/bin/python bench/crawl_throughput.py [--articles 2000] [--concurrency 16]

The full pipeline is measured twice: as the main job runs, a registry source (`ocop crawl --source`, the
site's extraction profile named in its entry, discovery from its sections, feed and sitemaps), and as an
ad-hoc `ocop crawl --url` of its news sitemap, which knows no profile and reads bodies the generic way.

The site is the offline sample's "baonongthon" layout (its templates, listings, feed and sitemaps) filled with
generated articles: each is one of the sample's own articles (OCOP and other news) with a new id, date and a
paragraph of figures for one province, so every page is distinct. It is served on loopback by the sample
server. Both crawls use the same settings: no politeness delay (it is our own server), the same concurrency,
robots.txt obeyed. Rates count article pages per second between the crawl's start and end (process start-up
excluded); the full pipeline's pages are each extracted, judged for relevance and stored.

The anchor is the bare spider with the crawl's own Scrapy settings. It is also run once with Scrapy's default
CONCURRENT_ITEMS (which the project lowers to 1), for comparison only: that setting alone doubles a bare fetch.

Beside the rates, the CPU each command used per article page (all its processes, user and system time, the
start-up's own cost taken out by the same command run for one request): what bounds the pipeline's rate on a
machine of this many cores, whatever the scheduling.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scrapy.settings import default_settings  # noqa: E402

from ocop.sample.content import SampleSite, load_sites  # noqa: E402
from ocop.sample.server import serve_sample  # noqa: E402
from ocop.sample.sources import render_sources  # noqa: E402

LAYOUT_SITE = "baonongthon"
UNUSED_BASE = "http://127.0.0.1:9"  # the registry's other sample sites, not served and not crawled
TARGET_RATIO = 0.40  # the bar: the full pipeline at 40 % or more of the bare fetch rate
PROVINCES = ("Hà Nội", "Quảng Ninh", "Thái Nguyên", "Nghệ An", "Thanh Hóa", "Huế", "Đà Nẵng", "Quảng Ngãi",
             "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Đồng Nai", "Tây Ninh", "Cần Thơ", "An Giang", "Vĩnh Long",
             "Đồng Tháp", "Cà Mau", "Lào Cai", "Sơn La")
FIGURES_PARAGRAPH = ("Tính đến tháng {month}/{year}, tỉnh {province} có {count} sản phẩm OCOP được công nhận, "
                     "trong đó có {four} sản phẩm đạt 4 sao và {three} sản phẩm đạt 3 sao.")
OTHER_PARAGRAPH = "Theo số liệu tháng {month}/{year}, sản lượng tại {province} tăng {count} phần trăm so với cùng kỳ."
PARAGRAPHS_PER_ARTICLE = 6  # a news article of some 500-800 words
PARAGRAPH_STRIDE = 7  # consecutive articles draw paragraphs far apart in the pool
MIN_PARAGRAPH_CHARACTERS = 80  # leave out subheadings and captions when drawing body paragraphs
BENCH_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "OCOP_PROGRESS_INTERVAL": "0",
    "LOG_LEVEL": "WARNING",
}


def generated_site(count: int) -> SampleSite:
    """The layout site with `count` distinct articles made from the sample's own: each takes its title, lead and
    kind from one sample article and its body from paragraphs of several (OCOP paragraphs for OCOP articles,
    others for the rest), plus a paragraph of figures of its own, so no two pages are near-duplicates."""
    layout = next(site for site in load_sites() if site.name == LAYOUT_SITE)
    sections = [section.slug for section in layout.sections]
    models = [article for site in load_sites() for article in site.articles if not article.draft]
    paragraphs = {kind: [block for model in models if model.about_ocop == kind
                         for block in model.body.strip().split("\n\n") if len(block) > MIN_PARAGRAPH_CHARACTERS]
                  for kind in (True, False)}
    start = datetime(2024, 1, 1, 7, 0).astimezone()
    articles = []
    for number in range(count):
        model = models[number % len(models)]
        pool = paragraphs[model.about_ocop]
        published = start + timedelta(hours=number * 3 + 1, minutes=number % 60)
        province = PROVINCES[number % len(PROVINCES)]
        figures = (FIGURES_PARAGRAPH if model.about_ocop else OTHER_PARAGRAPH).format(
            month=published.month, year=published.year, province=province, count=20 + number % 300,
            four=1 + number % 17, three=5 + number % 40)
        body = [pool[(number * PARAGRAPH_STRIDE + offset * len(models)) % len(pool)]
                for offset in range(PARAGRAPHS_PER_ARTICLE)]
        articles.append(dataclasses.replace(
            model, id=int(published.strftime("%y%m%d%H%M")), slug=f"{model.slug}-{number}",
            section=sections[0] if model.about_ocop else sections[1 + number % (len(sections) - 1)],
            published=published, modified=None, body="\n\n".join([*body, figures]), draft=False))
    return dataclasses.replace(layout, articles=tuple(articles))


def bare_crawl(url_file: Path, concurrency: int, concurrent_items: int | None) -> dict:
    """Fetch every URL of the file with Scrapy and nothing else, with the crawl's settings (CONCURRENT_ITEMS
    replaced when given); returns pages and seconds."""
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    urls = url_file.read_text().split()

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):
            return None

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update({"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "SPIDER_MIDDLEWARES": {},
                     "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                     **BENCH_SETTINGS}, priority="cmdline")
    if concurrent_items is not None:
        settings.set("CONCURRENT_ITEMS", concurrent_items, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats
    pages = stats.get_value("response_status_count/200", 0) or stats.get_value("downloader/response_status_count/200", 0)
    return {"pages": pages, "seconds": stats.get_value("elapsed_time_seconds")}


def run_measured(command: list[str], what: str, **options) -> tuple[subprocess.CompletedProcess, float]:
    """The command run to its end, with the CPU seconds (user and system) that it and its own child processes
    used; exits with the command's error output if it failed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, **options)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{what} failed: {done.stderr[-2000:]}")
    return done, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fetch_only(url_file: Path, concurrency: int, concurrent_items: int | None = None) -> dict:
    """bare_crawl in a process of its own (a Scrapy process runs one crawl); with the CPU seconds it used."""
    command = [sys.executable, __file__, "--bare-from", str(url_file), "--concurrency", str(concurrency)]
    if concurrent_items is not None:
        command += ["--bare-items", str(concurrent_items)]
    done, cpu_seconds = run_measured(command, "bare crawl")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "cpu_seconds": cpu_seconds}


def full_crawl(start: list[str], concurrency: int, workdir: Path, extract_processes: int | None,
               max_pages: int | None = None) -> dict:
    """`ocop crawl` with the given start options into a fresh SQLite archive; returns pages, articles and seconds
    from its run record, and the CPU seconds of the command."""
    database = workdir / f"bench-{time.monotonic_ns()}.sqlite3"
    command = [str(Path(sys.executable).with_name("ocop")), "crawl", *start, "--db", f"sqlite:///{database}"]
    settings = {**BENCH_SETTINGS, "CONCURRENT_REQUESTS": str(concurrency),
                "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency)}
    if extract_processes is not None:
        settings["OCOP_EXTRACT_PROCESSES"] = str(extract_processes)
    for name, value in settings.items():
        command += ["--set", f"{name}={value}"]
    if max_pages is not None:
        command += ["--max-pages", str(max_pages)]
    _, cpu_seconds = run_measured(command, "ocop crawl", cwd=workdir)
    from storage import Archive

    with Archive.open(f"sqlite:///{database}") as archive:
        stats = archive.runs()[-1]["stats"]
    return {"article_pages": stats["articles"] + stats["irrelevant"], "archived": stats["articles"],
            "facts": stats["facts"], "pages": stats["pages"], "seconds": stats["seconds"], "cpu_seconds": cpu_seconds}


def cpu_per_page(crawl: dict, start_up: dict, pages: int) -> float:
    """Milliseconds of CPU per article page: the crawl's CPU less that of the same command's start-up."""
    return 1000 * (crawl["cpu_seconds"] - start_up["cpu_seconds"]) / pages


def stage_costs(site: SampleSite, sample_size: int, workdir: Path) -> dict:
    """Milliseconds per article page of each pipeline stage, one after the other in this process, on the
    first `sample_size` article pages: where the end-to-end time goes. What an extraction process loads when it
    starts is loaded before the clock starts."""
    from datetime import timezone

    from crawler.pipelines import load_extraction, read_page
    from ocop.sample.render import render_site
    from storage import Archive, FetchedPage
    from storage.prepared import prepare_page

    base = "http://127.0.0.1:1"
    resources = render_site(site, base)
    pages = [(base + site.article_path(a), resources[site.article_path(a)]) for a in site.articles[:sample_size]]
    timings = {}
    load_extraction()  # as an extraction process does when it starts, before its first page
    began = time.perf_counter()
    read = [read_page(resource.body, url, datetime.now(timezone.utc), resource.content_type, site.name, None)
            for url, resource in pages]
    timings["read_page (relevance filter, article, facts, body and content for the archive)"] = (
        time.perf_counter() - began)
    with Archive.open(f"sqlite:///{workdir / 'stages.sqlite3'}") as archive:
        began = time.perf_counter()
        for (url, resource), reading in zip(pages, read):
            page = FetchedPage(url=url, final_url=url, source="bench", status=200,
                               headers={"content-type": resource.content_type}, body=resource.body,
                               fetched_at=datetime.now(timezone.utc))
            archive.store_pages([prepare_page(page, reading.article if reading.relevant else None,
                                              body=reading.stored_body, content=reading.content)])
        timings["archive (store_pages, one page a transaction)"] = time.perf_counter() - began
    return {stage: 1000 * seconds / len(pages) for stage, seconds in timings.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--extract-processes", type=int, help="OCOP_EXTRACT_PROCESSES (default: the setting's)")
    parser.add_argument("--stage-sample", type=int, default=300, help="pages timed stage by stage (0: skip)")
    parser.add_argument("--bare-from", type=Path, help=argparse.SUPPRESS)  # internal: the bare crawl's process
    parser.add_argument("--bare-items", type=int, help=argparse.SUPPRESS)  # internal: its CONCURRENT_ITEMS
    options = parser.parse_args()
    if options.bare_from:
        print(json.dumps(bare_crawl(options.bare_from, options.concurrency, options.bare_items)))
        return 0

    began = time.monotonic()
    site = generated_site(options.articles)
    with serve_sample([site]) as sites, tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        print(f"site: {len(site.articles)} articles ({sum(a.about_ocop for a in site.articles)} about OCOP), "
              f"served at {sites.url(site.name, '/')} after {time.monotonic() - began:.1f} s", file=sys.stderr)
        article_urls = [sites.url(site.name, site.article_path(a)) for a in site.articles]
        url_file = workdir / "urls.txt"
        url_file.write_text("\n".join(article_urls))
        bare = fetch_only(url_file, options.concurrency)
        first_url_file = workdir / "first-url.txt"
        first_url_file.write_text(article_urls[0])
        bare_start_up = fetch_only(first_url_file, options.concurrency)
        bare_by_default = fetch_only(url_file, options.concurrency, default_settings.CONCURRENT_ITEMS)
        sources_file = workdir / "sources.toml"
        # the registry names every sample site; only the layout site is served and crawled
        sources_file.write_text(render_sources({**{other.name: UNUSED_BASE for other in load_sites()}, **sites.bases}))
        registry = ["--sources-file", str(sources_file), "--source", site.name]
        full = full_crawl(registry, options.concurrency, workdir, options.extract_processes)
        full_start_up = full_crawl(registry, options.concurrency, workdir, options.extract_processes, max_pages=1)
        ad_hoc = full_crawl(["--url", sites.url(site.name, site.paths["news_sitemap"])], options.concurrency,
                            workdir, options.extract_processes)
        stages = stage_costs(site, min(options.stage_sample, len(site.articles)), workdir) if options.stage_sample else {}

    bare_rate = bare["pages"] / bare["seconds"]
    default_rate = bare_by_default["pages"] / bare_by_default["seconds"]
    print(f"bare Scrapy fetch:        {bare['pages']} article pages in {bare['seconds']:.1f} s = {bare_rate:.1f} pages/s "
          f"(the anchor: the crawl's own settings)")
    print(f"  the same, Scrapy's default CONCURRENT_ITEMS ({default_settings.CONCURRENT_ITEMS}): "
          f"{bare_by_default['seconds']:.1f} s = {default_rate:.1f} pages/s (for comparison only)")
    for label, crawl in (("ocop crawl (registry)", full), ("ocop crawl --url (ad hoc)", ad_hoc)):
        rate = crawl["article_pages"] / crawl["seconds"]
        print(f"{label + ':':26s}{crawl['article_pages']} article pages in {crawl['seconds']:.1f} s = {rate:.1f} "
              f"pages/s = {rate / bare_rate:.0%} of the bare rate ({rate / default_rate:.0%} of the default one; "
              f"{crawl['archived']} archived about OCOP, {crawl['facts']} facts, {crawl['pages']} requests in all)")
    print(f"target: the registry crawl at >= {TARGET_RATIO:.0%} of the bare rate; the ad-hoc crawl of a site with no "
          f"profile reads bodies through the generic path (trafilatura and our own container, compared)")
    cores = os.cpu_count() or 1
    bare_cpu = cpu_per_page(bare, bare_start_up, bare["pages"])
    full_cpu = cpu_per_page(full, full_start_up, full["article_pages"])
    bound = 1000 * cores / full_cpu
    print(f"CPU per article page, all processes, start-up taken out: bare fetch {bare_cpu:.2f} ms, registry crawl "
          f"{full_cpu:.2f} ms (start-up {bare_start_up['cpu_seconds']:.1f} and {full_start_up['cpu_seconds']:.1f} s); "
          f"with all {cores} cores busy the registry crawl could reach at most {bound:.0f} pages/s = "
          f"{bound / bare_rate:.0%} of the bare rate; {TARGET_RATIO:.0%} would take at most "
          f"{1000 * cores / (TARGET_RATIO * bare_rate):.2f} ms a page")
    if stages:
        print(f"per article page, one stage after the other in one process ({options.stage_sample} pages): "
              + ", ".join(f"{stage} {milliseconds:.1f} ms" for stage, milliseconds in stages.items())
              + f"; bare fetch {1000 / bare_rate:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
