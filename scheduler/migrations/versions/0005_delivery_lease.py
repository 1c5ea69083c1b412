"""Claims that expire: the instant a claimed item was due, and an index to find stale claims.

A tick claims a batch, then sends it group by group. If the process dies, the claims whose
sends had not started are taken over by the next tick of any process once their lease
(``claimed_at``) is old enough, and delivered as due at ``due_at``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_deliveries_status", "deliveries", ["status", "claimed_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_status", table_name="deliveries")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("due_at")
