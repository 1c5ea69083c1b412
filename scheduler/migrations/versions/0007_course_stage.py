"""A course's stage and two choices: finished and the weekly review are states of their
own, reading ahead can be remembered, and a stopped schedule can be offered back.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("courses") as batch:
        batch.add_column(sa.Column("stage", sa.Text, nullable=False, server_default="course"))
        batch.add_column(
            sa.Column("read_ahead", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("chosen", sa.Boolean, nullable=False, server_default=sa.false()))
    # Everyone with lessons on chose their days and time. A course already past its last
    # lesson reads as finished from its position, so no row needs its stage set here.
    courses = sa.table("courses", sa.column("active"), sa.column("chosen"))
    op.execute(courses.update().where(courses.c.active).values(chosen=True))


def downgrade() -> None:
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("chosen")
        batch.drop_column("read_ahead")
        batch.drop_column("stage")
