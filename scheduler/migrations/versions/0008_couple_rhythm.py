"""A couple rhythm that belongs to the link, true evening prompts, and the weekly check-in.

"Same days as my partner" goes. It was one person's copy of the other's schedule, never
something both agreed to, so no link is promoted to a rhythm: each person keeps the days
and time their row holds now as their own schedule, and any planned evening prompt is
dropped (it was planned under the old rule). A rhythm is proposed and accepted anew.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.execute(sa.text("UPDATE courses SET talk_due = NULL"))
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("same_days")
        batch.add_column(sa.Column("own_days", sa.Integer, nullable=True))
        batch.add_column(sa.Column("own_time", sa.Text, nullable=True))
        batch.add_column(sa.Column("talk_time", sa.Text, nullable=True, server_default="20:00"))
        batch.add_column(sa.Column("checkin_due", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_courses_checkin_due", ["checkin_due"])
    with op.batch_alter_table("partner_links") as batch:
        batch.add_column(sa.Column("rhythm_days", sa.Integer, nullable=True))
        batch.add_column(sa.Column("rhythm_time", sa.Text, nullable=True))
        batch.add_column(sa.Column("proposal_days", sa.Integer, nullable=True))
        batch.add_column(sa.Column("proposal_time", sa.Text, nullable=True))
        batch.add_column(sa.Column("proposal_by", sa.Integer, nullable=True))
        batch.add_column(
            sa.Column("checkin_inviter", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("checkin_partner", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("checkin_week", sa.Date, nullable=True))
    op.create_table(
        "checkin_answers",
        sa.Column(
            "subscriber_id",
            sa.Integer,
            sa.ForeignKey(
                "subscribers.id",
                ondelete="CASCADE",
                name="fk_checkin_answers_subscriber_id_subscribers",
            ),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subscriber_id", name="pk_checkin_answers"),
    )
    op.create_index("ix_checkin_answers_expires_at", "checkin_answers", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_checkin_answers_expires_at", table_name="checkin_answers")
    op.drop_table("checkin_answers")
    with op.batch_alter_table("partner_links") as batch:
        for column in (
            "checkin_week",
            "checkin_partner",
            "checkin_inviter",
            "proposal_by",
            "proposal_time",
            "proposal_days",
            "rhythm_time",
            "rhythm_days",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("courses") as batch:
        batch.drop_index("ix_courses_checkin_due")
        batch.drop_column("checkin_due")
        batch.drop_column("talk_time")
        batch.drop_column("own_time")
        batch.drop_column("own_days")
        batch.add_column(
            sa.Column("same_days", sa.Boolean, nullable=False, server_default=sa.false())
        )
