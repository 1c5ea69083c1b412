"""Course answers sealed: the option ids a person chose for the three course questions, and
the tap under each lesson, encrypted with the data key in place of the plain words.

Every existing value is sealed in the migration's one transaction, with the key the store
hands over in ``config.attributes["data_key"]`` (as in 0006): a database with answers or taps
in it refuses to migrate without one. The columns stay text; each holds the sealed value in
URL-safe base64. The places a value is bound to are written out here, not imported, so this
migration keeps sealing what it sealed when the store's code moves on (they match
``scheduler.store.answers``, which a test checks by reading migrated rows through the store).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import context, op

from scheduler.crypto import DataKey

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

_COLUMNS = ("whose", "relationship", "comes_with")
_answers = sa.table(
    "course_answers", sa.column("subscriber_id", sa.Integer), *(sa.column(c) for c in _COLUMNS)
)
_taps = sa.table(
    "lesson_feedback",
    sa.column("subscriber_id", sa.Integer),
    sa.column("lesson_id", sa.Text),
    sa.column("verdict", sa.Text),
)
Change = Callable[[DataKey, str, str], str]


def _answer_place(column: str, person: int) -> str:
    return f"course_answers.{column}:{person}"


def _tap_place(person: int, lesson_id: str) -> str:
    return f"lesson_feedback.verdict:{person}:{lesson_id}"


def _seal(key: DataKey, value: str, place: str) -> str:
    return key.seal_text(value, place)


def _open(key: DataKey, value: str, place: str) -> str:
    return key.open_text(value, place)


def _key(needed: bool) -> DataKey | None:
    key = context.config.attributes.get("data_key")
    if isinstance(key, DataKey):
        return key
    if needed:
        raise RuntimeError("sealing the course answers needs the data key: open it with the store")
    return None


def _convert(change: Change) -> None:
    bind = op.get_bind()
    answers = bind.execute(sa.select(_answers)).mappings().all()
    taps = bind.execute(sa.select(_taps)).all()
    key = _key(bool(answers or taps))
    if key is None:
        return
    for row in answers:
        person = row["subscriber_id"]
        values = {
            column: None
            if row[column] is None
            else change(key, row[column], _answer_place(column, person))
            for column in _COLUMNS
        }
        bind.execute(_answers.update().where(_answers.c.subscriber_id == person).values(values))
    for person, lesson_id, verdict in taps:
        bind.execute(
            _taps.update()
            .where(_taps.c.subscriber_id == person, _taps.c.lesson_id == lesson_id)
            .values(verdict=change(key, verdict, _tap_place(person, lesson_id)))
        )


def upgrade() -> None:
    _convert(_seal)


def downgrade() -> None:
    _convert(_open)
