"""Archive at scale: builds N synthetic articles with 5 facts each in SQLite and times the researchers' queries.

    .venv/bin/python bench/archive_scale.py                      # 1,000,000 articles, 5,000,000 facts
    .venv/bin/python bench/archive_scale.py --articles 20000     # a quick run

Prints the bulk ingest rate, the rate of store_page (one transaction per page, as a crawl writes), and the
median time of `ocop facts --province "Cần Thơ" --stars 4`, a search and the headline view (targets: queries
under 100 ms, the headline under 1 s), each in-process and, for the facts query, as a whole command too.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.model import Article as ExtractedArticle  # noqa: E402
from extract.model import Fact as ExtractedFact  # noqa: E402
from extract.places import OLD_PROVINCES  # noqa: E402
from extract.text import fold  # noqa: E402
from storage import Archive, FetchedPage  # noqa: E402
from storage.archive import VIETNAM  # noqa: E402
from storage.models import Article, Fact, Source  # noqa: E402
from storage.prepared import content_hash  # noqa: E402

FACTS_PER_ARTICLE = 5
BATCH = 20_000  # rows per executemany: large enough to amortise the round trips, small enough for memory
QUERY_RUNS = 7  # each query is timed this many times; the median is reported (the first run warms the cache)
STORE_PAGE_SAMPLE = 2_000  # pages stored through store_page, to show the per-page cost of a live crawl
SOURCES = 40
FIRST_DAY = datetime(2019, 1, 1, tzinfo=VIETNAM)
DAYS = 365 * 7
SEED = 20250701
VOCABULARY = ("san pham ocop dat chuan sao chu the hop tac xa nong san dac san tinh thanh pho huyen xa hoi nghi "
              "cong nhan chung nhan phan dau muc tieu ke hoach tiem nang thi truong tieu thu thuong mai dien tu "
              "bao bi nhan mac truy xuat nguon goc lang nghe du lich nong thon moi gao tra mat ong ca phe nuoc mam "
              "banh keo trai cay say kho").split()
STAR_CHOICES = (None, 3, 3, 3, 4, 4, 5)
KIND_CHOICES = ("product_count",) * 6 + ("subject_count",) * 2 + ("product_rating", "budget")
STATUS_CHOICES = ("achieved",) * 6 + ("candidate",) * 2 + ("target",) * 2
SCOPE_CHOICES = ("total", "total", "new", None)


def synthetic_rows(first_id: int, count: int, rng: random.Random, source_ids: list[int], now: datetime):
    """Articles and their facts, as table rows ready for a bulk insert."""
    articles, facts = [], []
    for article_id in range(first_id, first_id + count):
        unit = rng.choice(OLD_PROVINCES)
        reported = FIRST_DAY + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(24 * 60))
        words = " ".join(rng.choices(VOCABULARY, k=60))
        title = f"{unit.name} có thêm sản phẩm OCOP {article_id}"
        body = f"{fold(unit.name)} {words}"
        url = f"https://bench{article_id % SOURCES}.example.vn/ocop-{article_id}.html"
        articles.append({
            "id": article_id, "canonical_url": url, "url": url, "source_id": source_ids[article_id % SOURCES],
            "version": 1, "title": title, "lead": None, "text": body, "authors": [], "tags": [], "section": None,
            "language": "vi", "published_at": reported, "modified_at": None, "reported_at": reported,
            "first_seen_at": now, "last_seen_at": now, "content_hash": content_hash(title, None, body),
            "search_text": f"{fold(title)}\n{body}", "extractor_version": "bench/bench", "cluster_id": None,
            "minhash": None,
        })
        for position in range(FACTS_PER_ARTICLE):
            count_value = rng.randrange(1, 400)
            sentence = f"{unit.name} có {count_value} sản phẩm OCOP."
            facts.append({
                "article_id": article_id, "source_id": source_ids[article_id % SOURCES], "article_version": 1,
                "position": position,
                "kind": rng.choice(KIND_CHOICES), "count": count_value, "stars": rng.choice(STAR_CHOICES),
                "status": rng.choice(STATUS_CHOICES), "scope": rng.choice(SCOPE_CHOICES), "qualifier": None,
                "province": unit.name, "province_current": unit.current, "nationwide": False, "district": None,
                "year": None, "product": None, "amount_vnd": None, "span_start": len(unit.name) + 4,
                "span_end": len(unit.name) + 4 + len(str(count_value)), "sentence": sentence,
                "extractor_version": "bench/bench", "reported_at": reported, "as_of": reported, "extracted_at": now,
            })
    return articles, facts


def bulk_load(archive: Archive, total: int) -> float:
    """Insert the synthetic archive in batches; returns seconds taken."""
    rng = random.Random(SEED)
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    with archive.engine.begin() as connection:
        connection.execute(insert(Source.__table__), [{"name": f"bench{number}"} for number in range(SOURCES)])
        source_ids = list(connection.execute(text("SELECT id FROM sources ORDER BY id")).scalars())
    articles_per_batch = BATCH // FACTS_PER_ARTICLE
    for first in range(1, total + 1, articles_per_batch):
        count = min(articles_per_batch, total + 1 - first)
        articles, facts = synthetic_rows(first, count, rng, source_ids, now)
        with archive.engine.begin() as connection:
            connection.execute(insert(Article.__table__), articles)
            connection.execute(insert(Fact.__table__), facts)
        done = first + count - 1
        if done % 100_000 < articles_per_batch:
            print(f"  {done:,} articles, {time.perf_counter() - started:,.0f} s", file=sys.stderr, flush=True)
    with archive.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def store_page_rate(archive: Archive) -> float:
    """Pages per second through store_page, each with an article of two facts."""
    sentence = "Tỉnh Sóc Trăng hiện có 143 sản phẩm OCOP, trong đó 21 sản phẩm đạt 4 sao."
    started = time.perf_counter()
    for number in range(STORE_PAGE_SAMPLE):
        url = f"https://store.example.vn/ocop-{number}.html"
        facts = (ExtractedFact(kind="product_count", sentence=sentence, span=(23, 26), count=143, status="achieved",
                               scope="total", province="Sóc Trăng", province_current="Cần Thơ"),
                 ExtractedFact(kind="product_count", sentence=sentence, span=(44, 46), count=21, stars=4,
                               status="achieved", scope="total", province="Sóc Trăng", province_current="Cần Thơ"))
        story = ExtractedArticle(url=url, canonical_url=url, is_article=True, title=f"Sóc Trăng OCOP {number}",
                                 text=f"{sentence} Bài {number}.", facts=facts, extractor_version="bench/bench",
                                 published_at=datetime.now(timezone.utc))
        archive.store_page(FetchedPage(url=url, final_url=url, source="store", status=200,
                                       body=f"<p>{sentence} {number}</p>".encode()), story, relevant=True)
    return STORE_PAGE_SAMPLE / (time.perf_counter() - started)


def median_ms(action) -> tuple[float, int]:
    timings, result = [], None
    for _ in range(QUERY_RUNS):
        started = time.perf_counter()
        result = action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings[1:]), len(result)


def command_ms(url: str) -> float:
    """Wall time of the whole `ocop facts` command, Python start-up included."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ocop", "facts", "--db", url, "--province", "Cần Thơ", "--stars", "4",
                    "--format", "csv"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/ocop-archive-scale.sqlite3"),
                        help="SQLite file to build (replaced)")
    parser.add_argument("--reuse", action="store_true", help="time the queries on an archive built before")
    options = parser.parse_args()
    url = f"sqlite:///{options.db}"
    if not options.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{options.db}{suffix}").unlink(missing_ok=True)
    opening = time.perf_counter()
    archive = Archive.open(url)
    if options.reuse:
        print(f"opened (and migrated if needed) in {time.perf_counter() - opening:,.1f} s")
    else:
        seconds = bulk_load(archive, options.articles)
        facts = options.articles * FACTS_PER_ARTICLE
        print(f"bulk ingest: {options.articles:,} articles + {facts:,} facts in {seconds:,.0f} s = "
              f"{options.articles / seconds:,.0f} articles/s, {facts / seconds:,.0f} facts/s "
              f"(FTS index and all secondary indexes maintained)")
        print(f"store_page: {store_page_rate(archive):,.0f} pages/s (one transaction per page, 2 facts each)")
    size_mb = options.db.stat().st_size / 1e6
    print(f"archive: {options.db} {size_mb:,.0f} MB")
    facts_ms, facts_rows = median_ms(lambda: archive.facts(province="Cần Thơ", stars=4, limit=1000))
    print(f"facts --province 'Cần Thơ' --stars 4 (first 1000, newest first): {facts_ms:.1f} ms, {facts_rows} rows")
    count_ms, matching = median_ms(lambda: archive.facts(province="Cần Thơ", stars=4, limit=0))
    print(f"  the same, all {matching:,} rows: {count_ms:.0f} ms")
    print(f"  the whole command (Python start-up included): {command_ms(url):.0f} ms")
    source_ms, source_rows = median_ms(lambda: archive.facts(source="bench3", limit=1000))
    print(f"facts --source bench3 (first 1000): {source_ms:.1f} ms, {source_rows} rows")
    articles_ms, article_count = median_ms(lambda: archive.articles(province="Hà Nội", limit=1000))
    print(f"articles --province 'Hà Nội' (first 1000): {articles_ms:.1f} ms, {article_count} rows")
    search_ms, found = median_ms(lambda: archive.search("Cần Thơ", limit=50))
    print(f"search 'Cần Thơ' (a place: 1 article in 63; best 50): {search_ms:.1f} ms, {found} rows")
    rare_ms, rare = median_ms(lambda: archive.search("nuoc mam gao", limit=50))
    print(f"search 'nuoc mam gao' (three words each in most articles, rarely together; best 50): "
          f"{rare_ms:.1f} ms, {rare} rows")
    headline_ms, groups = median_ms(archive.headline)
    print(f"headline view: {headline_ms:.1f} ms, {groups} (province, stars) rows")
    archive.close()


if __name__ == "__main__":
    main()
