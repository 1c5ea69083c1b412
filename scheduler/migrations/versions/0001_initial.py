"""The first schema: subscribers, their course and reminders, and the delivery log.

Revision ID: 0001
Revises:
Create Date: 2026-03-01

Written out in full rather than imported from ``scheduler.tables``: a migration records
the schema as it was, and must not change when the metadata moves on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_NOW = sa.text("CURRENT_TIMESTAMP")


def _owner(table: str) -> list[sa.schema.SchemaItem]:
    """The key of a one-row-per-person table, removed with the person."""
    return [
        sa.Column("subscriber_id", sa.Integer, nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("subscriber_id", name=f"pk_{table}"),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name=f"fk_{table}_subscriber_id_subscribers",
            ondelete="CASCADE",
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("timezone", sa.Text, nullable=False),
        sa.Column("discreet", sa.Boolean, nullable=False),
        sa.Column("quiet_start", sa.Text, nullable=False),
        sa.Column("quiet_end", sa.Text, nullable=False),
        sa.Column("quiet_mode", sa.Text, nullable=False),
        sa.Column("blocked", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.PrimaryKeyConstraint("id", name="pk_subscribers"),
        sa.UniqueConstraint("chat_id", name="uq_subscribers_chat_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "courses",
        *_owner("courses"),
        sa.Column("track", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("local_time", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("last_lesson_id", sa.Text, nullable=True),
        sa.Column("next_due", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_courses_next_due", "courses", ["next_due"])
    op.create_table(
        "reminders",
        *_owner("reminders"),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("routines", sa.Text, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("local_time", sa.Text, nullable=False),
        sa.Column("rotation", sa.Integer, nullable=False),
        sa.Column("next_due", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_reminders_next_due", "reminders", ["next_due"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("subscriber_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("item_id", sa.Text, nullable=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name="fk_deliveries_subscriber_id_subscribers",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "subscriber_id", "kind", "local_date", name="uq_deliveries_subscriber_kind_day"
        ),
    )


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_index("ix_reminders_next_due", table_name="reminders")
    op.drop_table("reminders")
    op.drop_index("ix_courses_next_due", table_name="courses")
    op.drop_table("courses")
    op.drop_table("subscribers")
