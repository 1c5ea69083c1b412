"""The database schema: one metadata, the single source the store and its tests read.

Alembic migrations under ``scheduler/migrations/versions`` create and change these tables;
a test compares the migrated database with this metadata, so the two cannot drift apart.

Privacy rule: every table refers to a person through ``subscriber_id`` (or, for
``subscribers`` itself, ``chat_hash``); the store's erase and export walk all tables here and
refuse a table that has neither, unless it is marked ``info={"about_no_one": True}``.

The Telegram chat id is never stored as it is: ``chat_sealed`` holds it encrypted and
``chat_hash`` a keyed hash to find it by, both under the data key (``scheduler.crypto``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that goes in as an aware instant and always comes out as aware UTC.

    PostgreSQL keeps the offset; SQLite stores naive text. Normalising here is the one
    place that makes both backends return the same thing.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store keeps instants only: pass a timezone-aware datetime")
        instant = value.astimezone(UTC)
        # SQLite would keep the "+00:00" suffix as text and then fail to parse it back.
        return instant.replace(tzinfo=None) if dialect.name == "sqlite" else instant

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Named constraints keep migrations deterministic and let SQLite batch migrations find them.
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _owner() -> sa.Column[int]:
    """The primary key of a one-row-per-person table, removed with the person."""
    return sa.Column(
        "subscriber_id",
        sa.Integer,
        sa.ForeignKey("subscribers.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )


subscribers = sa.Table(
    "subscribers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # The chat id's keyed hash (HMAC-SHA256) to find the person by, and the chat id itself
    # sealed (AES-GCM) for sending: without the data key neither names anyone.
    sa.Column("chat_hash", sa.LargeBinary, nullable=False, unique=True),
    sa.Column("chat_sealed", sa.LargeBinary, nullable=False),
    sa.Column("timezone", sa.Text, nullable=False),
    sa.Column("discreet", sa.Boolean, nullable=False),
    sa.Column("quiet_start", sa.Text, nullable=False),
    sa.Column("quiet_end", sa.Text, nullable=False),
    sa.Column("quiet_mode", sa.Text, nullable=False),
    sa.Column("blocked", sa.Boolean, nullable=False),
    sa.Column(
        "created_at", UtcDateTime(), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
    ),
    # A content language code ("en", "es"): what the person is spoken to in.
    sa.Column("language", sa.Text, nullable=False, server_default="en"),
    # Never hand an erased person's id to someone new: logs name people by this id.
    sqlite_autoincrement=True,
)

courses = sa.Table(
    "courses",
    metadata,
    _owner(),
    sa.Column("track", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("local_time", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("last_lesson_id", sa.Text, nullable=True),
    sa.Column("next_due", UtcDateTime(), nullable=True, index=True),
    # The evening "talk about it" prompt: planned only once the delivery log shows that both
    # partners on a couple rhythm received that day's lesson.
    sa.Column("talk_due", UtcDateTime(), nullable=True, index=True),
    # The course's stage (course, finished, review), and two of the person's own choices.
    sa.Column("stage", sa.Text, nullable=False, server_default="course"),
    sa.Column("read_ahead", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("chosen", sa.Boolean, nullable=False, server_default=sa.false()),
    # While a couple rhythm sets ``days`` and ``local_time``, the person's own schedule waits
    # here, to come back when the rhythm or the link ends; null otherwise.
    sa.Column("own_days", sa.Integer, nullable=True),
    sa.Column("own_time", sa.Text, nullable=True),
    # The person's own evening, for the prompt ("HH:MM"); null: no evening prompts.
    sa.Column("talk_time", sa.Text, nullable=True, server_default="20:00"),
    # The weekly "nobody goes first" check-in, on its evening instead of the prompt.
    sa.Column("checkin_due", UtcDateTime(), nullable=True, index=True),
)

reminders = sa.Table(
    "reminders",
    metadata,
    _owner(),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("routines", sa.Text, nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("local_time", sa.Text, nullable=False),
    sa.Column("rotation", sa.Integer, nullable=False),
    sa.Column("next_due", UtcDateTime(), nullable=True, index=True),
    sa.Column("snooze_due", UtcDateTime(), nullable=True, index=True),
    sa.Column("snoozed_routine", sa.Text, nullable=True),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "subscriber_id",
        sa.Integer,
        sa.ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("local_date", sa.Date, nullable=False),
    sa.Column("item_id", sa.Text, nullable=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column(
        "claimed_at", UtcDateTime(), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
    ),
    sa.Column("finished_at", UtcDateTime(), nullable=True),
    # When the claimed item was due: a claim taken over after a crash keeps its grace.
    sa.Column("due_at", UtcDateTime(), nullable=True),
    # The at-most-once guarantee: one delivery per person, kind and local day.
    sa.UniqueConstraint(
        "subscriber_id", "kind", "local_date", name="uq_deliveries_subscriber_kind_day"
    ),
    # Every tick looks for claims whose lease ran out; most rows are settled long ago.
    sa.Index("ix_deliveries_status", "status", "claimed_at"),
    # Pruning past the retention reads the oldest days, a bounded chunk at a time.
    sa.Index("ix_deliveries_local_date", "local_date"),
)

# Two people who chose to share: the inviter (``subscriber_id``) and, once they join, the
# partner. Only the two ids, the state, an unused invite's hash and expiry, the couple
# rhythm (agreed, and any proposal waiting for the other's answer) and the check-in's
# two opt-ins are kept.
partner_links = sa.Table(
    "partner_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "subscriber_id",
        sa.Integer,
        sa.ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column(
        "partner_id",
        sa.Integer,
        sa.ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=True,
        unique=True,
    ),
    sa.Column("code_hash", sa.Text, nullable=True, unique=True),
    sa.Column("linked", sa.Boolean, nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=True),
    # The rhythm both accepted: a days mask and "HH:MM", each read in each person's own zone.
    sa.Column("rhythm_days", sa.Integer, nullable=True),
    sa.Column("rhythm_time", sa.Text, nullable=True),
    # A proposal waiting for the other's answer, and which of the two made it.
    sa.Column("proposal_days", sa.Integer, nullable=True),
    sa.Column("proposal_time", sa.Text, nullable=True),
    sa.Column("proposal_by", sa.Integer, nullable=True),
    # The weekly check-in runs only while both turned it on; neither sees the other's choice.
    sa.Column("checkin_inviter", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("checkin_partner", sa.Boolean, nullable=False, server_default=sa.false()),
    # The Monday of the last week a check-in was asked: once a week at most.
    sa.Column("checkin_week", sa.Date, nullable=True),
)

# A check-in answer, one row per person while a check-in is open: null until they answer,
# then the ids of the two content buttons they picked. Deleted at the reveal, or unread
# when ``expires_at`` (48 hours after it was asked) passes.
checkin_answers = sa.Table(
    "checkin_answers",
    metadata,
    _owner(),
    sa.Column("answer", sa.Text, nullable=True),
    sa.Column("expires_at", UtcDateTime(), nullable=False, index=True),
)

# The check value of the data key the chat ids are sealed with (one row), so a process
# started with another key stops at once instead of reading nothing or garbage.
data_key = sa.Table(
    "data_key",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("check_value", sa.LargeBinary, nullable=False),
    info={"about_no_one": True},
)

# The course questions (lessons.planner): only the option ids chosen, never anything typed.
# ``kept`` holds the lessons already sent when the order last changed, so a changed answer
# reorders only what is still to come.
course_answers = sa.Table(
    "course_answers",
    metadata,
    _owner(),
    sa.Column("whose", sa.Text, nullable=True),
    sa.Column("relationship", sa.Text, nullable=True),
    sa.Column("comes_with", sa.Text, nullable=True),
    sa.Column("asked", sa.Boolean, nullable=False),
    sa.Column("standard", sa.Boolean, nullable=False),
    sa.Column("kept", sa.Text, nullable=False),
    sa.Column("kept_track", sa.Text, nullable=True),
)

# "Helpful" or "not for me" under a lesson: the last tap per lesson, nothing more.
lesson_feedback = sa.Table(
    "lesson_feedback",
    metadata,
    sa.Column(
        "subscriber_id",
        sa.Integer,
        sa.ForeignKey("subscribers.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("lesson_id", sa.Text, primary_key=True),
    sa.Column("verdict", sa.Text, nullable=False),
)
