"""Sources keep the reading rules their crawl used (extraction profile, home province), so `ocop reextract`
reads a page as the crawl read it, whichever registry file the crawl was given.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("profile", sa.String(80), nullable=True))
        batch.add_column(sa.Column("home_province", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("home_province")
        batch.drop_column("profile")
