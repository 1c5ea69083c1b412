"""A reminder can be asked for again an hour later, once: when, and which routine.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("reminders", sa.Column("snooze_due", sa.DateTime(timezone=True), nullable=True))
    op.add_column("reminders", sa.Column("snoozed_routine", sa.Text, nullable=True))
    op.create_index("ix_reminders_snooze_due", "reminders", ["snooze_due"])


def downgrade() -> None:
    op.drop_index("ix_reminders_snooze_due", table_name="reminders")
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("snoozed_routine")
        batch.drop_column("snooze_due")
