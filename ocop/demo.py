"""The offline demo: serve the bundled sample sites on loopback, crawl them into the archive, summarise per province."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from ocop.errors import WorkFailed
from ocop.output import RowFormat, emit_rows
from ocop.sample.server import STABLE_PORTS, serve_sample
from storage import Archive

# The sample is ours and served on loopback: the politeness delays that protect real sites only slow the demo.
LOOPBACK_CRAWL_SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0")
SUMMARY_COLUMNS = ("province", "province_current", "articles", "facts", "latest_total", "as_of",
                   "stars_3", "stars_4", "stars_5", "targets", "candidates")


def run_demo(archive: Archive) -> None:
    """Crawl the sample into `archive` with the real `ocop crawl` and print what it holds, one row a province.
    The sample is served on fixed ports so that its URLs, and so the archive's keys, are the same on every run."""
    with serve_sample(ports=STABLE_PORTS) as sites, tempfile.TemporaryDirectory(prefix="ocop-demo-") as scratch:
        sources_file = Path(scratch) / "sources.toml"
        sites.write_sources(sources_file)
        print(f"ocop demo: serving the offline sample on {', '.join(sites.bases.values())}", file=sys.stderr)
        crawl = subprocess.run(
            [sys.executable, "-m", "ocop", "crawl", "--sources-file", str(sources_file), "--db", archive.url,
             *(option for setting in LOOPBACK_CRAWL_SETTINGS for option in ("--set", setting))],
            check=False,
        )
    if crawl.returncode != 0:
        raise WorkFailed(f"the crawl of the offline sample failed (exit {crawl.returncode})")
    rows = province_summary(archive)
    emit_rows(rows, RowFormat.table, columns=SUMMARY_COLUMNS,
              title=f"OCOP facts per province in {archive.display_url}")


def province_summary(archive: Archive) -> list[dict]:
    """One row per province named by a fact: how many articles and facts, and the latest achieved totals."""
    facts_by_province: dict[str, list[dict]] = defaultdict(list)
    for fact in archive.facts():
        if fact["province"]:
            facts_by_province[fact["province"]].append(fact)
    latest = {(row["province"], row["stars"]): row for row in archive.headline()}
    summary = []
    for province, facts in sorted(facts_by_province.items()):
        overall = latest.get((province, None))
        summary.append({
            "province": province,
            "province_current": facts[0]["province_current"],
            "articles": len({fact["article_id"] for fact in facts}),
            "facts": len(facts),
            "latest_total": overall["count"] if overall else None,
            "as_of": overall["published_at"].date() if overall and overall["published_at"] else None,
            **{f"stars_{level}": _count(latest.get((province, level))) for level in (3, 4, 5)},
            "targets": sum(1 for fact in facts if fact["status"] == "target"),
            "candidates": sum(1 for fact in facts if fact["status"] == "candidate"),
        })
    return summary


def _count(row: dict | None) -> int | None:
    return row["count"] if row else None
