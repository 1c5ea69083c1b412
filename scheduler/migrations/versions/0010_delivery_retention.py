"""A delivery log that stays small: an index on the local date, so pruning the rows past the
retention reads only those rows, a bounded chunk at a time.

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_deliveries_local_date", "deliveries", ["local_date"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_local_date", table_name="deliveries")
