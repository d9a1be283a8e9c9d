"""End to end through the real `ocop` command: crawl the offline sample over loopback into a temporary SQLite
archive, query the facts with their evidence, write the digest, crawl again without duplicates, and keep the
one-line, exit-2 contract for bad input."""

from __future__ import annotations

import subprocess
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from extract.text import fold
from ocop.sample.content import expected_facts
from ocop.sample.server import serve_sample
from tests.e2e.commands import crawl_command, ocop, query

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]

# The share of the sample's intended facts (stated by the sample's author, per article) that the whole
# pipeline must find, and how often it must place them in the intended province.
MIN_SAMPLE_RECALL = 0.9
MIN_SAMPLE_PROVINCE_AGREEMENT = 0.9


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory):
    """The sample crawled twice in a row into one archive: its URL and what it held after the first crawl."""
    scratch = tmp_path_factory.mktemp("e2e")
    db = f"sqlite:///{scratch / 'archive.sqlite3'}"
    sources_file = scratch / "sources.toml"
    with serve_sample() as sites:
        sites.write_sources(sources_file)
        first = subprocess.run(crawl_command(sources_file, db), capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stderr[-2000:]
        after_first = (query("articles", db), query("facts", db))
        second = subprocess.run(crawl_command(sources_file, db), capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr[-2000:]
    return {"db": db, "after_first": after_first}


def test_facts_come_back_with_their_evidence(sample_archive):
    facts = query("facts", sample_archive["db"])
    assert len(facts) >= 30
    for fact in facts:
        start, end = fact["span"]
        assert 0 <= start < end <= len(fact["sentence"]), fact
        assert fact["url"].startswith("http://127.0.0.1:")
        assert fact["extractor_version"]


def test_the_pipeline_finds_what_the_sample_states(sample_archive):
    """Every fact the sample's author wrote into a published article, looked up in the archive by article path."""
    archived: dict[str, list[dict]] = {}
    for fact in query("facts", sample_archive["db"]):
        archived.setdefault(urlsplit(fact["url"]).path, []).append(fact)
    stated = [(article["path"], fact) for article in expected_facts() if not article["draft"]
              for fact in article["facts"]]
    found = same_province = 0
    for path, fact in stated:
        match = next((candidate for candidate in archived.get(path, ()) if _same_fact(candidate, fact)), None)
        if match is not None:
            found += 1
            same_province += fold(match["province"] or "") == fold(fact["province"] or "")
    assert stated, "the sample states no facts"
    assert found / len(stated) >= MIN_SAMPLE_RECALL, f"found {found} of {len(stated)} stated facts"
    assert same_province / found >= MIN_SAMPLE_PROVINCE_AGREEMENT, f"{same_province} of {found} in the right province"


def _same_fact(archived: dict, stated: dict) -> bool:
    return (archived["kind"] == stated["kind"] and archived["stars"] == stated["stars"]
            and archived["count"] == stated["count"] and archived["amount_vnd"] == stated["amount_vnd"])


def test_the_seed_article_gives_can_tho_92(sample_archive):
    facts = query("facts", sample_archive["db"], "--province", "can tho", "--kind", "product_count",
                  "--status", "achieved")
    assert any(fact["count"] == 92 and fact["stars"] is None for fact in facts)


def test_a_second_crawl_adds_no_duplicates(sample_archive):
    articles_before, facts_before = sample_archive["after_first"]
    articles_after, facts_after = query("articles", sample_archive["db"]), query("facts", sample_archive["db"])
    assert sorted(a["url"] for a in articles_after) == sorted(a["url"] for a in articles_before)
    assert len({a["url"] for a in articles_after}) == len(articles_after)
    assert sorted(f["fact_id"] for f in facts_after) == sorted(f["fact_id"] for f in facts_before)


def test_the_digest_names_the_provinces_of_its_week(sample_archive):
    db = sample_archive["db"]
    facts = [fact for fact in query("facts", db) if fact["published_at"] and fact["province"]]
    latest = max(datetime.fromisoformat(fact["published_at"]) for fact in facts)
    year, week, _ = latest.isocalendar()
    in_week = {fact["province"] for fact in facts
               if datetime.fromisoformat(fact["published_at"]).isocalendar()[:2] == (year, week)}
    digest = ocop("digest", "--db", db, "--week", f"{year}-W{week:02d}", "--format", "md")
    assert digest.returncode == 0, digest.stderr
    assert in_week
    for province in in_week:
        assert province in digest.stdout


@pytest.mark.parametrize("args", [
    ("extract", "article", "no-such-page.html", "--url", "https://example.vn/a.html"),
    ("crawl", "--url", "http://127.0.0.1:9/ocop/", "--db", "sqlite:///:memory:"),
    ("facts", "--db", "nosuchdb://nowhere"),
    ("digest", "--week", "2026-W60", "--db", "sqlite:///:memory:"),
    ("digest", "--week", "last week", "--db", "sqlite:///:memory:"),
], ids=["missing file", "unreachable url", "bad db url", "week 60", "malformed week"])
def test_bad_input_is_one_line_and_exit_2(args):
    result = ocop(*args, timeout=120)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("ocop: "), result.stderr
    assert "Traceback" not in result.stderr
