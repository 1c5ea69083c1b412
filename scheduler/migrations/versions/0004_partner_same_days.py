"""Partners on the same days: each person's choice, and the evening "talk about it" prompt.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "courses",
        sa.Column("same_days", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("courses", sa.Column("talk_due", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_courses_talk_due", "courses", ["talk_due"])


def downgrade() -> None:
    op.drop_index("ix_courses_talk_due", table_name="courses")
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("talk_due")
        batch.drop_column("same_days")
