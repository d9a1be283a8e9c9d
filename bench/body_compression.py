"""Raw-body compression: zlib's levels on the saved Vietnamese news pages, time a page and size ratio, one core.

Run:   .venv/bin/python bench/body_compression.py [--pages ../shared/data/pages]

The archive keeps every fetched body compressed (storage/prepared.py, BODY_COMPRESSION_LEVEL); the crawl compresses
in its extraction process, the busiest one. This prints what each level costs and saves on real pages.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ocop.commands.article_cmds import read_page_file  # noqa: E402
from storage.prepared import BODY_COMPRESSION_LEVEL  # noqa: E402

DEFAULT_PAGES = ROOT.parent / "shared" / "data" / "pages"
LEVELS = (1, 3, 6, 9)
PASSES = 3  # the best pass of each level is kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    options = parser.parse_args()
    pages = [read_page_file(path) for path in sorted(options.pages.rglob("*.htm*"))]
    if not pages:
        raise SystemExit(f"no saved pages under {options.pages}")
    size = sum(map(len, pages))
    print(f"{len(pages)} pages, {size / len(pages) / 1024:.0f} KB on average")
    for level in LEVELS:
        best = float("inf")
        for _ in range(PASSES):
            started = time.process_time()
            compressed = sum(len(zlib.compress(page, level)) for page in pages)
            best = min(best, time.process_time() - started)
        chosen = "  <- BODY_COMPRESSION_LEVEL" if level == BODY_COMPRESSION_LEVEL else ""
        print(f"level {level}: {1000 * best / len(pages):.2f} ms a page, {size / compressed:.2f}x{chosen}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
