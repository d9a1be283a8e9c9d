"""Full-text search insensitive to Vietnamese diacritics and "đ": one function over SQLite FTS5 and PostgreSQL tsvector."""

from __future__ import annotations

import re

from sqlalchemy import Connection, Select, column, func, literal_column, select, table, text

from extract.text import fold, fold_keep_offsets
from storage.models import Article, Source
from storage.queries import BadFilter, vietnam_time

articles = Article.__table__
sources = Source.__table__
article_search = table("article_search", column("rowid"), column("search_text"), column("rank"))

SEARCH_COLUMNS = ("article_id", "url", "title", "published_at", "source", "snippet")
DEFAULT_SEARCH_LIMIT = 50
SNIPPET_CONTEXT_CHARS = 80  # about a dozen words either side: enough to judge a match without opening the article
MAX_QUERY_LENGTH = 500  # longer "queries" are pasted articles; a phrase search over them is pointless


def phrase(query: str) -> str:
    """The query folded to plain words: every punctuation and operator character is dropped, so it is data."""
    if len(query) > MAX_QUERY_LENGTH:
        raise BadFilter(f"the search query is longer than {MAX_QUERY_LENGTH} characters")
    words = "".join(char if char.isalnum() else " " for char in fold(query)).split()
    if not words:
        raise BadFilter("the search query has no words")
    return " ".join(words)


def search_statement(dialect: str, words: str, limit: int | None = DEFAULT_SEARCH_LIMIT) -> Select:
    """Articles containing the folded words as a phrase, best match first, then newest."""
    base = select(articles.c.id.label("article_id"), articles.c.canonical_url.label("url"), articles.c.title,
                  articles.c.published_at, sources.c.name.label("source"), articles.c.lead, articles.c.text)
    if dialect == "postgresql":
        document = func.to_tsvector(literal_column("'simple'"), articles.c.search_text)
        wanted = func.phraseto_tsquery(literal_column("'simple'"), words)
        statement = (base.select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
                     .where(document.op("@@")(wanted))
                     .order_by(func.ts_rank(document, wanted).desc(), articles.c.reported_at.desc()))
    else:
        # FTS5 ranks and cuts inside the virtual table (ORDER BY rank LIMIT n on it alone); only then are the best
        # rows joined to their articles.
        fts_phrase = '"' + words + '"'  # FTS5 phrase syntax; the words hold no quote, so nothing escapes it
        best = (select(article_search.c.rowid, article_search.c.rank)
                .where(text("article_search MATCH :fts_phrase").bindparams(fts_phrase=fts_phrase))
                .order_by(article_search.c.rank))
        best = (best.limit(limit) if limit else best).subquery("best")
        return (base.select_from(best.join(articles, articles.c.id == best.c.rowid)
                                 .outerjoin(sources, sources.c.id == articles.c.source_id))
                .order_by(best.c.rank, articles.c.reported_at.desc()))
    return statement.limit(limit) if limit else statement


def snippet(text_: str, words: str) -> str:
    """The first place the phrase occurs, in the article's own spelling, with the phrase in [brackets]."""
    folded = fold_keep_offsets(text_)
    found = re.search(r"(?<!\w)" + r"\W+".join(map(re.escape, words.split())) + r"(?!\w)", folded)
    if found is None:  # the phrase spans the title and the text: show the opening instead
        return " ".join(text_[:2 * SNIPPET_CONTEXT_CHARS].split())
    start, end = max(0, found.start() - SNIPPET_CONTEXT_CHARS), found.end() + SNIPPET_CONTEXT_CHARS
    before, match, after = text_[start:found.start()], text_[found.start():found.end()], text_[found.end():end]
    prefix, suffix = ("…" if start else ""), ("…" if end < len(text_) else "")
    return prefix + " ".join(f"{before}[{match}]{after}".split()) + suffix


def search_articles(connection: Connection, query: str, *, limit: int | None = None) -> list[dict]:
    words = phrase(query)
    rows = connection.execute(search_statement(connection.dialect.name, words,
                                               DEFAULT_SEARCH_LIMIT if limit is None else limit)).mappings()
    results = []
    for row in rows:
        whole = "\n".join(part for part in (row["title"], row["lead"], row["text"]) if part)
        results.append({"article_id": row["article_id"], "url": row["url"], "title": row["title"],
                        "published_at": vietnam_time(row["published_at"]), "source": row["source"],
                        "snippet": snippet(whole, words)})
    return results
