"""The course questions and "helpful / not for me": the option ids a person chose, and the
last tap under each lesson, each removed with the person.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "course_answers",
        sa.Column("subscriber_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("whose", sa.Text, nullable=True),
        sa.Column("relationship", sa.Text, nullable=True),
        sa.Column("comes_with", sa.Text, nullable=True),
        sa.Column("asked", sa.Boolean, nullable=False),
        sa.Column("standard", sa.Boolean, nullable=False),
        sa.Column("kept", sa.Text, nullable=False),
        sa.Column("kept_track", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("subscriber_id", name="pk_course_answers"),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name="fk_course_answers_subscriber_id_subscribers",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "lesson_feedback",
        sa.Column("subscriber_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("lesson_id", sa.Text, nullable=False),
        sa.Column("verdict", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("subscriber_id", "lesson_id", name="pk_lesson_feedback"),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name="fk_lesson_feedback_subscriber_id_subscribers",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("lesson_feedback")
    op.drop_table("course_answers")
