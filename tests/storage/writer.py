"""A crawl stand-in for the concurrency and kill tests: stores pages 0..N-1 of a synthetic source into an archive.

    python -m tests.storage.writer URL COUNT [--reverse] [--site NAME]

--site NAME republishes the same articles under the site's own URLs (exact copies, one story each).
"""

from __future__ import annotations

import sys
from dataclasses import replace

from storage import Archive
from tests.storage.pages import CAN_THO_FACTS, article, page

FACTS_PER_ARTICLE = len(CAN_THO_FACTS)


def synthetic(index: int, site: str = "tin"):
    """Page and article number `index`: one sentence, and the facts of CAN_THO_FACTS moved along with it."""
    url = f"https://{site}.example.vn/ocop-{index}.html"
    label = f"Bài số {index}: "
    sentence = label + CAN_THO_FACTS[0].sentence
    facts = tuple(replace(fact, sentence=sentence, span=(fact.span[0] + len(label), fact.span[1] + len(label)))
                  for fact in CAN_THO_FACTS)
    # No filler: texts this short are not compared by MinHash, so each page costs what a crawl's page costs.
    return page(url, f"<html><p>{sentence}</p></html>"), article(url, f"Bài OCOP số {index}", [sentence], facts,
                                                                  filler="")


def main(argv: list[str]) -> None:
    url, count = argv[0], int(argv[1])
    order = range(count - 1, -1, -1) if "--reverse" in argv else range(count)
    site = argv[argv.index("--site") + 1] if "--site" in argv else "tin"
    with Archive.open(url) as archive:
        for index in order:
            fetched, story = synthetic(index, site)
            archive.store_page(fetched, story, relevant=True)
            print(index, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
