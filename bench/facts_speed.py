"""Throughput of the OCOP fact extractor: sentences per second on one core over the dev sentences, repeated.

Run: .venv/bin/python bench/facts_speed.py [--gold ../shared/data/facts/dev.jsonl] [--repeat 30]
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
from pathlib import Path

from extract import facts
from extract.facts import FACTS_VERSION, extract_facts

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    rows = [json.loads(line) for line in options.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    extract_facts("Cần Thơ có 92 sản phẩm đạt chứng nhận OCOP.")       # import-time work out of the timing
    found = 0
    elapsed = cpu = 0.0
    for _ in range(options.repeat):
        facts._url_places.cache_clear()
        facts._title_places.cache_clear()
        facts._analysed.cache_clear()
        facts._provinces_in.cache_clear()
        facts._districts_in.cache_clear()
        facts._placed_districts.cache_clear()
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
