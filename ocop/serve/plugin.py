"""The `ocop serve` Datasette plugin: reads only (by HTTP method and by connection), and search as `ocop search` does it."""

from __future__ import annotations

from datasette import hookimpl

# Datasette's default limit (1 s) fits the headline view on a million articles; a heavier ad-hoc query is cut off.
SQL_TIME_LIMIT_MS = 3000


def search_phrase(query: str | None) -> str:
    """The FTS5 phrase for a query: folded like articles.search_text, operators dropped ("" for no words)."""
    from storage.search import BadFilter, phrase
    try:
        return '"' + phrase(query or "") + '"'
    except BadFilter:
        return '""'


# Datasette's own bookkeeping database (in memory) is the one connection that must stay writable.
DATASETTE_INTERNAL_DATABASE = "_internal"


def search_snippet(article_text: str | None, query: str | None) -> str | None:
    """Where the query occurs in the article, in its own spelling (as `ocop search` shows it)."""
    from storage.search import BadFilter, phrase, snippet
    try:
        return snippet(article_text or "", phrase(query or ""))
    except BadFilter:
        return None


# The methods that read: anything else (POST, PUT, PATCH, DELETE) is refused before Datasette sees it.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
METHOD_NOT_ALLOWED = 405


@hookimpl
def asgi_wrapper(datasette):
    """Answer 405 to any request that is not a read, so no handler that writes is ever reached."""
    def wrap(app):
        async def reads_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in READ_METHODS:
                await send({"type": "http.response.start", "status": METHOD_NOT_ALLOWED,
                            "headers": [(b"allow", b"GET, HEAD, OPTIONS"), (b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b"The OCOP archive is read-only.\n"})
                return
            await app(scope, receive, send)
        return reads_only
    return wrap


@hookimpl
def prepare_connection(conn, database, datasette) -> None:
    if database != DATASETTE_INTERNAL_DATABASE:
        conn.execute("PRAGMA query_only = ON")  # SQLite itself refuses any write, whatever the SQL
    conn.create_function("ocop_phrase", 1, search_phrase, deterministic=True)
    conn.create_function("ocop_snippet", 2, search_snippet, deterministic=True)
