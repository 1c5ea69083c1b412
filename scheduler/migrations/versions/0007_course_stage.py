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
    courses = sa.table(
        "courses",
        sa.column("subscriber_id", sa.Integer),
        sa.column("active", sa.Boolean),
        sa.column("paused", sa.Boolean),
        sa.column("chosen", sa.Boolean),
        sa.column("stage", sa.Text),
        sa.column("next_due", sa.DateTime(timezone=True)),
    )
    # Everyone whose lessons are on chose their days and time.
    op.execute(courses.update().where(courses.c.active == sa.true()).values(chosen=True))
    # Before this revision the completion note paused a course, and "Resume" then sent the
    # note again. A course paused with that note as its last lesson delivery is finished.
    op.execute(
        courses.update()
        .where(courses.c.paused == sa.true(), _ended_by_the_note(courses.c.subscriber_id))
        .values(stage="finished", paused=False, next_due=None)
    )


def _ended_by_the_note(subscriber: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """Whether the person's last lesson delivery on record is the sent completion note."""
    log = sa.table(
        "deliveries",
        sa.column("subscriber_id", sa.Integer),
        sa.column("kind", sa.Text),
        sa.column("item_id", sa.Text),
        sa.column("status", sa.Text),
        sa.column("local_date", sa.Date),
    )
    note, later = log.alias("note"), log.alias("later")
    since = sa.exists().where(
        later.c.subscriber_id == note.c.subscriber_id,
        later.c.kind == "lesson",
        later.c.local_date > note.c.local_date,
    )
    return sa.exists().where(
        note.c.subscriber_id == subscriber,
        note.c.kind == "lesson",
        note.c.item_id == "course-complete",
        note.c.status == "sent",
        ~since,
    )


def downgrade() -> None:
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("chosen")
        batch.drop_column("read_ahead")
        batch.drop_column("stage")
