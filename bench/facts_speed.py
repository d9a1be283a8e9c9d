"""Throughput of the OCOP fact extractor: sentences per second on one core over the dev sentences, repeated.

Run: .venv/bin/python bench/facts_speed.py [--gold ../shared/data/facts/dev.jsonl] [--repeat 30] [--articles]
With --articles, whole articles of the project's offline sample are read instead (facts_for_article: every
sentence, most of them without a count), the case of the crawler.
Each row is read with its title, URL and context, as `ocop eval facts` reads it. The per-article caches
(title and URL places, recent sentences) are emptied before every pass, so repetition does not flatter the
figure. The rate
is CPU time of this one process (time.process_time), which other work on a shared machine does not
inflate; the wall-clock rate is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path

from extract import facts
from extract.facts import FACTS_VERSION, extract_facts, facts_for_article

DEFAULT_GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "facts" / "dev.jsonl"
# The floor the issue sets for one core.
TARGET_SENTENCES_PER_SECOND = 5000
# The anchor printed beside the figure: CPU time of a fixed pure-Python loop, so that a rate measured on a
# slow or shared machine can be read against one measured elsewhere (a 2020s desktop core: about 10 ms).
ANCHOR_LOOP = 10**6


def anchor_milliseconds() -> float:
    """Best of five CPU times of sum(range(ANCHOR_LOOP)), in milliseconds."""
    times = []
    for _ in range(5):
        started = time.process_time()
        sum(range(ANCHOR_LOOP))
        times.append(time.process_time() - started)
    return min(times) * 1000


def warm_up() -> None:
    """Import-time and first-use work (rule files, the gazetteer's commune index) out of the timing."""
    extract_facts("Đến nay, phường Hội An có 92 sản phẩm đạt chứng nhận OCOP.", published_at=datetime(2026, 1, 1))


def clear_caches() -> None:
    """Empty the per-article and per-sentence caches, so that a repeated pass costs what a first one does."""
    for cached in (facts._url_places, facts._title_places, facts._analysed, facts._provinces_in,
                   facts._districts_in, facts._placed_districts):
        cached.cache_clear()


def articles_rate(repeat: int) -> None:
    """Sentences per second of CPU time over the offline sample's articles, read whole."""
    from extract.sentences import split_sentences
    from ocop.sample.content import load_sites

    warm_up()
    articles = [(site, article) for site in load_sites() for article in site.published_articles()]
    sentences = sum(len(split_sentences(article.text())) for _, article in articles)
    found, cpu = 0, 0.0
    for _ in range(repeat):
        clear_caches()
        started = time.process_time()
        for site, article in articles:
            found += len(facts_for_article(title=article.title, lead=None, text=article.text(), url=site.article_path(article),
                                           published_at=article.published, home_province=site.home_province))
        cpu += time.process_time() - started
    rate = sentences * repeat / cpu
    print(f"facts {FACTS_VERSION}: {len(articles)} sample articles ({sentences} sentences) x {repeat} in {cpu:.2f} s of CPU "
          f"= {rate:,.0f} sentences/s on one core; {found // repeat} facts a pass; floor "
          f"{TARGET_SENTENCES_PER_SECOND:,}/s: {'met' if rate >= TARGET_SENTENCES_PER_SECOND else 'NOT met'}")
    print(f"anchor: sum(range({ANCHOR_LOOP:,})) takes {anchor_milliseconds():.1f} ms of CPU on this machine")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--articles", action="store_true", help="read the offline sample's whole articles")
    options = parser.parse_args()
    if options.articles:
        articles_rate(options.repeat)
        return
    rows = [json.loads(line) for line in options.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    warm_up()
    found = 0
    elapsed = cpu = 0.0
    for _ in range(options.repeat):
        clear_caches()
        started, started_cpu = time.perf_counter(), time.process_time()
        for row in rows:
            found += len(extract_facts(row["text"], title=row.get("title"), url=row.get("url"),
                                       context=row.get("context")))
        elapsed += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    sentences = len(rows) * options.repeat
    rate = sentences / cpu
    print(f"facts {FACTS_VERSION}: {sentences} sentences ({len(rows)} x {options.repeat}) in {cpu:.2f} s of CPU "
          f"= {rate:,.0f} sentences/s on one core (wall clock: {sentences / elapsed:,.0f}/s); "
          f"{found // options.repeat} facts a pass; floor {TARGET_SENTENCES_PER_SECOND:,}/s: "
          f"{'met' if rate >= TARGET_SENTENCES_PER_SECOND else 'NOT met'}")
    print(f"anchor: sum(range({ANCHOR_LOOP:,})) takes {anchor_milliseconds():.1f} ms of CPU on this machine")


if __name__ == "__main__":
    main()
