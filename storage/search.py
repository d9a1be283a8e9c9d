"""Full-text search insensitive to Vietnamese diacritics and "đ": one function over SQLite FTS5 and PostgreSQL tsvector."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy import Connection, column, func, literal_column, select, table, text

from extract.text import fold, fold_keep_offsets
from storage.models import Article, Source
from storage.queries import BadFilter, vietnam_time

articles = Article.__table__
sources = Source.__table__
article_search = table("article_search", column("rowid"))

SEARCH_COLUMNS = ("article_id", "url", "title", "published_at", "source", "snippet")
DEFAULT_SEARCH_LIMIT = 50
SNIPPET_CONTEXT_CHARS = 80  # about a dozen words either side: enough to judge a match without opening the article
# Matches scored per search: ranking every match of a phrase of common words (most of a million articles) costs
# seconds, and a researcher reads the first page of results; past the cap the newest matches compete.
RANKED_CANDIDATES = 1000
BM25_K1, BM25_B = 1.2, 0.75  # BM25's usual constants (FTS5's own): repetition saturates; long articles count less
_WORD_CHARACTER = re.compile(r"\w")
MAX_QUERY_LENGTH = 500  # longer "queries" are pasted articles; a phrase search over them is pointless


def phrase(query: str) -> str:
    """The query folded to plain words: every punctuation and operator character is dropped, so it is data."""
    if len(query) > MAX_QUERY_LENGTH:
        raise BadFilter(f"the search query is longer than {MAX_QUERY_LENGTH} characters")
    words = "".join(char if char.isalnum() else " " for char in fold(query)).split()
    if not words:
        raise BadFilter("the search query has no words")
    return " ".join(words)


def candidate_ids(connection: Connection, words: str) -> list[int]:
    """Ids of articles holding the phrase: all of them when there are at most RANKED_CANDIDATES, else the most
    recently archived RANKED_CANDIDATES."""
    if connection.dialect.name == "postgresql":
        document = func.to_tsvector(literal_column("'simple'"), articles.c.search_text)
        wanted = func.phraseto_tsquery(literal_column("'simple'"), words)
        # MATERIALIZED keeps the matches coming from the GIN index: left to itself, the planner walks the primary
        # key backwards testing every article, which for a rare phrase is a parse of the whole archive.
        matches = select(articles.c.id).where(document.op("@@")(wanted)).cte("matches").prefix_with("MATERIALIZED")
        return list(connection.execute(select(matches.c.id).order_by(matches.c.id.desc())
                                       .limit(RANKED_CANDIDATES)).scalars())
    # FTS5 phrase syntax; the words hold no quote, so nothing escapes it.
    match = text("article_search MATCH :fts_phrase").bindparams(fts_phrase='"' + words + '"')
    matches = select(article_search.c.rowid).where(match)
    # FTS5 reads its index fastest forwards: a phrase rarer than the cap is found whole in one forward pass...
    found = list(connection.execute(matches.limit(RANKED_CANDIDATES + 1)).scalars())
    if len(found) <= RANKED_CANDIDATES:
        return found
    # ...and a common one has its newest matches near the end, where a backward read finds them at once.
    return list(connection.execute(matches.order_by(article_search.c.rowid.desc()).limit(RANKED_CANDIDATES)).scalars())


def ranked_ids(connection: Connection, ids: list[int], words: str, limit: int) -> list[int]:
    """The best `limit` of the candidates by BM25 over the phrase (how often an article says it, for its length),
    newest first among equals. The phrase's rarity (BM25's IDF) is the same for every candidate, so it is left out:
    computing it would take a second pass over the whole index."""
    if not ids:
        return []
    rows = connection.execute(select(articles.c.id, articles.c.search_text, articles.c.reported_at)
                              .where(articles.c.id.in_(ids))).all()
    pattern = phrase_pattern(words)
    lengths = {row.id: len(row.search_text.split()) for row in rows}  # in words, as FTS5 counts them
    average_length = max(sum(lengths.values()) / len(rows), 1)

    def score(row) -> float:
        occurrences = sum(1 for _ in phrase_matches(pattern, row.search_text))
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[row.id] / average_length)
        return occurrences * (BM25_K1 + 1) / (occurrences + norm)

    best = sorted(rows, key=lambda row: (score(row), row.reported_at), reverse=True)[:limit]
    return [row.id for row in best]


def phrase_pattern(words: str) -> re.Pattern:
    """The folded words in folded text, anything but a letter or digit between them (whole words: see
    phrase_matches; a pattern that begins with a literal word is searched many times faster than one that begins
    with a look-behind)."""
    return re.compile(r"\W+".join(map(re.escape, words.split())) + r"(?!\w)")


def phrase_matches(pattern: re.Pattern, folded: str) -> Iterator[re.Match]:
    """The places the phrase occurs as whole words."""
    return (found for found in pattern.finditer(folded)
            if found.start() == 0 or not _WORD_CHARACTER.match(folded, found.start() - 1))


def snippet(text_: str, words: str) -> str:
    """The first place the phrase occurs, in the article's own spelling, with the phrase in [brackets]."""
    found = next(phrase_matches(phrase_pattern(words), fold_keep_offsets(text_)), None)
    if found is None:  # the phrase spans the title and the text: show the opening instead
        return " ".join(text_[:2 * SNIPPET_CONTEXT_CHARS].split())
    start, end = max(0, found.start() - SNIPPET_CONTEXT_CHARS), found.end() + SNIPPET_CONTEXT_CHARS
    before, match, after = text_[start:found.start()], text_[found.start():found.end()], text_[found.end():end]
    prefix, suffix = ("…" if start else ""), ("…" if end < len(text_) else "")
    return prefix + " ".join(f"{before}[{match}]{after}".split()) + suffix


def search_articles(connection: Connection, query: str, *, limit: int | None = None) -> list[dict]:
    """Articles holding the query's words as a phrase, insensitive to diacritics and "đ", best match first."""
    words = phrase(query)
    best = ranked_ids(connection, candidate_ids(connection, words), words,
                      DEFAULT_SEARCH_LIMIT if limit is None else limit)
    rows = {row["article_id"]: row for row in connection.execute(
        select(articles.c.id.label("article_id"), articles.c.canonical_url.label("url"), articles.c.title,
               articles.c.published_at, sources.c.name.label("source"), articles.c.lead, articles.c.text)
        .select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
        .where(articles.c.id.in_(best))).mappings()} if best else {}
    results = []
    for article_id in (found for found in best if found in rows):  # an article deleted meanwhile is skipped
        row = rows[article_id]
        whole = "\n".join(part for part in (row["title"], row["lead"], row["text"]) if part)
        results.append({"article_id": article_id, "url": row["url"], "title": row["title"],
                        "published_at": vietnam_time(row["published_at"]), "source": row["source"],
                        "snippet": snippet(whole, words)})
    return results
