"""Full-text search over the folded column articles.search_text: FTS5 on SQLite, a GIN tsvector index on PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:40:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The folded text is already free of diacritics and "đ"; the tokenizer folds again only as a safety net.
SQLITE_UP = [
    """CREATE VIRTUAL TABLE article_search USING fts5(
           search_text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
           INSERT INTO article_search(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    """CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
           INSERT INTO article_search(article_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
       END""",
    """CREATE TRIGGER articles_search_update AFTER UPDATE OF search_text ON articles BEGIN
           INSERT INTO article_search(article_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
           INSERT INTO article_search(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    "INSERT INTO article_search(article_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER articles_search_update",
    "DROP TRIGGER articles_search_delete",
    "DROP TRIGGER articles_search_insert",
    "DROP TABLE article_search",
]
POSTGRES_UP = ["CREATE INDEX ix_articles_search ON articles USING gin (to_tsvector('simple', search_text))"]
POSTGRES_DOWN = ["DROP INDEX ix_articles_search"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRES_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRES_DOWN)
