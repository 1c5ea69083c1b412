"""The course-stage revision on a database written before it: a course the completion note
paused becomes finished (so "Resume" cannot send the note again), and nothing else moves."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import scheduler
from scheduler.crypto import DataKey

MIGRATIONS = Path(scheduler.__file__).parent / "migrations"
BEFORE = "0005"


def _upgrade(connection: sa.Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    # On the way, chat ids are sealed: the migration needs the key the store would give it.
    config.attributes["data_key"], _ = DataKey.generate()
    command.upgrade(config, revision)


def _person(connection: sa.Connection, person: int, *, paused: bool, active: bool) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO subscribers (id, chat_id, timezone, discreet, quiet_start, quiet_end,"
            " quiet_mode, blocked) VALUES (:id, :id, 'UTC', 1, '22:00', '08:00', 'silent', 0)"
        ),
        {"id": person},
    )
    connection.execute(
        sa.text(
            "INSERT INTO courses (subscriber_id, track, active, paused, days, local_time,"
            " position, next_due) VALUES (:id, 'self', :active, :paused, 127, '20:00', 31, NULL)"
        ),
        {"id": person, "active": active, "paused": paused},
    )


def _delivered(connection: sa.Connection, person: int, day: str, item: str) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO deliveries (subscriber_id, kind, local_date, item_id, status)"
            " VALUES (:id, 'lesson', :day, :item, 'sent')"
        ),
        {"id": person, "day": day, "item": item},
    )


def test_a_course_paused_by_its_completion_note_becomes_finished(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        _upgrade(connection, BEFORE)
        _person(connection, 1, paused=True, active=True)  # rested by the note
        _delivered(connection, 1, "2026-04-21", "course-complete")
        _person(connection, 2, paused=True, active=True)  # finished, restarted, then paused
        _delivered(connection, 2, "2026-04-21", "course-complete")
        _delivered(connection, 2, "2026-04-22", "partner-01")
        _person(connection, 3, paused=False, active=False)  # never scheduled
        _upgrade(connection, "head")
        rows = connection.execute(
            sa.text("SELECT subscriber_id, stage, paused, chosen FROM courses ORDER BY 1")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, "finished", 0, 1),
        (2, "course", 1, 1),
        (3, "course", 0, 0),
    ]
