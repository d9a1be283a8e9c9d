"""What `ocop serve` tells researchers about the archive: table and column descriptions, facets, canned queries."""

from __future__ import annotations

from sqlalchemy.dialects import sqlite

from storage.queries import headline_statement

TABLES = {
    "facts": {
        "description": "One OCOP fact read from one sentence of an article, with the sentence as evidence and the "
                       "extractor version that read it. A province is named as the article named it; "
                       "province_current is the unit it belongs to since 1 July 2025.",
        "facets": ["province_current", "province", "stars", "status", "kind"],
        "sort_desc": "reported_at",
        "label_column": "sentence",
        "columns": {
            "kind": "product_count, subject_count, product_rating or budget",
            "count": "the number of products or subjects",
            "stars": "3, 4 or 5 when the count is at that star level; empty for a total over levels",
            "status": "achieved, candidate or target",
            "scope": "total (a cumulative stock) or new (an addition in one event or period)",
            "qualifier": "over, under or about when the number is not exact",
            "province": "the province as the article named it (an old unit keeps its name)",
            "province_current": "the province-level unit it belongs to since the 2025 merger",
            "nationwide": "1 when the fact is about the whole country",
            "span_start": "where the number (or product name) starts in the sentence",
            "span_end": "where it ends (exclusive)",
            "sentence": "the evidence: the sentence the fact was read from",
            "extractor_version": "the extractor (article/facts rules) that produced the fact",
            "reported_at": "the article's publication time (UTC), else when it was first fetched",
            "as_of": "when the figure held: the end of a past year the sentence names, else reported_at (UTC)",
        },
    },
    "articles": {
        "description": "Archived OCOP articles by canonical URL, with the content of their latest version.",
        "facets": ["source_id", "language"],
        "sort_desc": "reported_at",
        "label_column": "title",
        "fts_table": "article_search",
        "fts_pk": "id",
        "searchmode": "raw",
        "columns": {
            "canonical_url": "the article's identity",
            "version": "how many distinct contents the article has had",
            "search_text": "title, lead and text folded (no diacritics, đ as d): what search matches",
            "cluster_id": "the story: articles carrying the same story share a cluster",
            "reported_at": "publication time (UTC), else when first fetched",
        },
    },
    "article_versions": {"description": "Every distinct content an article has had; unchanged re-fetches add none."},
    "raw_responses": {"description": "Fetched pages as the server sent them (body zlib-compressed), one row per "
                                     "distinct body of a URL."},
    "url_states": {"description": "What the crawler knows of each URL: archived, irrelevant, gone or error, with "
                                  "the validators for a conditional fetch.",
                   "facets": ["status"]},
    "crawl_runs": {"description": "Each crawl: when, which sources, the options and the counts."},
    "sources": {"description": "The news sites of the registry."},
    "provinces": {"description": "The 63 province-level units before 1 July 2025 (era old) and the 34 after "
                                 "(era new), with the unit each belongs to today.",
                  "facets": ["era", "current_name"]},
    "story_clusters": {"description": "Stories carried by one or several sites (exact or near-duplicate text)."},
    "article_shingle_bands": {"hidden": True},
    "alembic_version": {"hidden": True},
}


def headline_sql() -> str:
    """The headline view as SQLite SQL, compiled from the same statement `ocop facts --latest` runs."""
    statement = headline_statement("sqlite")
    return str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


# The newest 100 matches, read from the full-text index in rowid order: ranking every match of a common word
# would cost seconds on a large archive (`ocop search` ranks, on a bounded set of candidates).
SEARCH_SQL = """select articles.id, articles.title, articles.canonical_url, articles.published_at,
  ocop_snippet(coalesce(articles.title, '') || char(10) || coalesce(articles.lead, '') || char(10) || articles.text,
               :query) as snippet
from (select rowid from article_search where article_search match ocop_phrase(:query)
      order by rowid desc limit 100) as hits
join articles on articles.id = hits.rowid
order by articles.id desc"""


def archive_metadata(database: str) -> dict:
    return {
        "title": "OCOP news archive",
        "description": "Articles about Vietnam's OCOP programme (Mỗi xã một sản phẩm) and the facts read from them. "
                       "Read-only.",
        "databases": {
            database: {
                "tables": TABLES,
                "queries": {
                    "headline": {
                        "title": "Latest reported OCOP products per province and star level",
                        "description": "For each province (as named) and star level (empty = all levels), the most "
                                       "recent achieved total count of OCOP products, with the article that said "
                                       "it. Totals are picked, never added together.",
                        "sql": headline_sql(),
                    },
                    "search": {
                        "title": "Search articles",
                        "description": "Words as a phrase, with or without diacritics (\"can tho\" finds \"Cần Thơ\"); "
                                       "the newest 100 articles that contain it.",
                        "sql": SEARCH_SQL,
                    },
                },
            }
        },
    }
