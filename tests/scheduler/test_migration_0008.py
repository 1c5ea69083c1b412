"""Migration 0008: "same days" goes, and no link is promoted to a rhythm nobody agreed to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from scheduler.model import EVERY_DAY, WEEKDAYS
from scheduler.store import Store
from scheduler.store.connection import _MIGRATIONS as MIGRATIONS
from scheduler.store.connection import make_engine

BEFORE = """
INSERT INTO subscribers (id, chat_id, timezone, discreet, quiet_start, quiet_end, quiet_mode,
    blocked) VALUES
    (1, 1001, 'Europe/London', true, '22:00', '08:00', 'silent', false),
    (2, 2002, 'Europe/Berlin', true, '22:00', '08:00', 'silent', false);
INSERT INTO courses (subscriber_id, track, active, paused, days, local_time, position,
    same_days, talk_due) VALUES
    (1, 'self', true, false, 31, '12:30', 3, true, '2026-03-23 20:00:00+00'),
    (2, 'partner', true, false, 127, '12:30', 2, true, NULL);
INSERT INTO partner_links (subscriber_id, partner_id, linked) VALUES (1, 2, true);
"""


def _upgrade_to(revision: str) -> Callable[[sa.Connection], None]:
    """Migrate to ``revision``, then store two people on "same days" as it left them."""

    def run(connection: sa.Connection) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("path_separator", "os")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        for statement in BEFORE.strip().split(";"):
            if statement.strip():
                connection.execute(sa.text(statement))

    return run


async def test_same_days_links_keep_their_schedules_and_get_no_rhythm(database_url: str) -> None:
    engine = make_engine(database_url, migrating=True)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to("0005"))
    finally:
        await engine.dispose()

    store = await Store.open(database_url)
    try:
        # Each keeps the schedule their row held, as their own.
        for subscriber_id, days in ((1, WEEKDAYS), (2, EVERY_DAY)):
            course = await store.course(subscriber_id)
            assert (course.days, course.local_time) == (days, time(12, 30))
        link = await store.lock_link(1)
        assert link is not None and link.rhythm is None and link.proposal is None
        [row] = (await store.export(1001))["courses"]
        assert row["talk_due"] is None and row["own_days"] is None
        assert row["talk_time"] == "20:00" and "same_days" not in row
    finally:
        await store.close()
