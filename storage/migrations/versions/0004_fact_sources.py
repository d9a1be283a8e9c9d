"""Facts carry their article's source, and the province indexes their article: --source and `ocop articles`
with fact filters read index ranges instead of walking every article.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 16:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facts") as batch:
        batch.add_column(sa.Column("source_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_facts_source_id_sources", "sources", ["source_id"], ["id"])
    op.execute("UPDATE facts SET source_id = (SELECT articles.source_id FROM articles WHERE articles.id = facts.article_id)")
    op.drop_index("ix_facts_province_reported", table_name="facts")
    op.drop_index("ix_facts_province_current_reported", table_name="facts")
    op.create_index("ix_facts_province_reported", "facts", ["province", "reported_at", "stars", "article_id"])
    op.create_index("ix_facts_province_current_reported", "facts",
                    ["province_current", "reported_at", "stars", "article_id"])
    op.create_index("ix_facts_source_reported", "facts", ["source_id", "reported_at"])


def downgrade() -> None:
    op.drop_index("ix_facts_source_reported", table_name="facts")
    op.drop_index("ix_facts_province_current_reported", table_name="facts")
    op.drop_index("ix_facts_province_reported", table_name="facts")
    op.create_index("ix_facts_province_reported", "facts", ["province", "reported_at", "stars"])
    op.create_index("ix_facts_province_current_reported", "facts", ["province_current", "reported_at", "stars"])
    with op.batch_alter_table("facts") as batch:
        batch.drop_constraint("fk_facts_source_id_sources", type_="foreignkey")
        batch.drop_column("source_id")
