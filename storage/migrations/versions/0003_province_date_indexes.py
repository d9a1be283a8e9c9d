"""Facts of a province in date order: (province, reported_at, stars) replaces (province, stars, reported_at).

The old indexes served `--province P --stars N` only; a province without stars had to be sorted whole.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 16:10:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_facts_province_stars", table_name="facts")
    op.drop_index("ix_facts_province_current_stars", table_name="facts")
    op.create_index("ix_facts_province_reported", "facts", ["province", "reported_at", "stars"])
    op.create_index("ix_facts_province_current_reported", "facts", ["province_current", "reported_at", "stars"])


def downgrade() -> None:
    op.drop_index("ix_facts_province_current_reported", table_name="facts")
    op.drop_index("ix_facts_province_reported", table_name="facts")
    op.create_index("ix_facts_province_stars", "facts", ["province", "stars", "reported_at"])
    op.create_index("ix_facts_province_current_stars", "facts", ["province_current", "stars", "reported_at"])
