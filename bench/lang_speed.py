"""Throughput of the Vietnamese language layer: normalize, fold and the gazetteer's finders, per sentence.

Run: .venv/bin/python bench/lang_speed.py [--gold ../shared/data/facts/dev.jsonl] [--repeat 50]
     .venv/bin/python bench/lang_speed.py --pages ../shared/data/pages   (decode_page over saved pages)
Rates are CPU time of this process (time.process_time). The commune index, built on first use, is built
before timing; the import time of the gazetteer is printed on its own.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

IMPORT_STARTED = time.process_time()
from extract import places  # noqa: E402  (timed import)
IMPORT_SECONDS = time.process_time() - IMPORT_STARTED

from extract.encoding import decode_page  # noqa: E402
from extract.text import fold, normalize  # noqa: E402

DEFAULT_GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "facts" / "dev.jsonl"


def rate(function, inputs: list, repeat: int) -> float:
    """Calls per CPU second of `function` over `inputs`, `repeat` times."""
    started = time.process_time()
    for _ in range(repeat):
        for item in inputs:
            function(item)
    return repeat * len(inputs) / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--pages", type=Path, help="a folder of saved pages to decode instead")
    options = parser.parse_args()
    if options.pages:
        bench_pages(options.pages)
        return
    raw = [json.loads(line)["text"] for line in options.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [normalize(text) for text in raw]
    places.find_communes("xã Đồng Lương")
    print(f"import extract.places: {IMPORT_SECONDS * 1000:.0f} ms CPU")
    print(f"{len(sentences)} sentences, {sum(map(len, sentences)) / len(sentences):.0f} characters on average")
    for name, function, inputs in [
        ("normalize", normalize, raw),
        ("fold", fold, sentences),
        ("find_provinces", places.find_provinces, sentences),
        ("find_districts", places.find_districts, sentences),
        ("find_communes", places.find_communes, sentences),
    ]:
        print(f"{name:15s} {rate(function, inputs, options.repeat):>10,.0f} sentences/s")


def bench_pages(folder: Path) -> None:
    pages = [path.read_bytes() for path in sorted(folder.rglob("*.htm*"))]
    started = time.process_time()
    for body in pages:
        decode_page(body)
    seconds = time.process_time() - started
    megabytes = sum(map(len, pages)) / 1e6
    print(f"decode_page: {len(pages)} pages, {megabytes:.1f} MB in {seconds:.2f} s CPU "
          f"({len(pages) / seconds:.0f} pages/s, {megabytes / seconds:.1f} MB/s)")


if __name__ == "__main__":
    main()
