"""Reads take no write lock: ``Store.reading()`` and the actions that only look.

On SQLite a writer holds the one write lock from ``BEGIN IMMEDIATE`` to its commit. A read
must not queue behind it (the delivery tick holds it while it claims a batch), and must not
hold a writer up either; a write must still wait its turn. Each test holds the lock from a
second, plain ``sqlite3`` connection, as another process would.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, cast

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from scheduler.actions import admin, partner, privacy, reminders, schedule, settings
from scheduler.actions import course as course_actions
from scheduler.store import Store, Transaction
from scheduler.tables import courses
from tests.scheduler.actions_helpers import ALEX, NOW, catalog, opted_in


def _sqlite_file(database_url: str) -> str:
    if not database_url.startswith("sqlite"):
        pytest.skip("the write lock is SQLite's; PostgreSQL locks rows")
    path = make_url(database_url).database
    assert path is not None
    return path


@contextmanager
def write_lock_held(path: str) -> Iterator[sqlite3.Connection]:
    """Another connection inside ``BEGIN IMMEDIATE``, with a write it has not committed;
    rolled back at the end unless the test committed it."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE subscribers SET discreet = 0")
        yield holder
        if holder.in_transaction:
            holder.rollback()
    finally:
        holder.close()


async def test_read_only_actions_answer_while_another_connection_holds_the_write_lock(
    store: Store, database_url: str
) -> None:
    """With the lock taken, each of these would wait for the busy timeout, then fail."""
    path = _sqlite_file(database_url)
    await opted_in(store)
    with write_lock_held(path):
        daily = await schedule.daily_lessons(store, ALEX)
        assert daily is not None
        # The holder's write is not committed, so the reads see the state before it.
        assert daily.subscriber.discreet
        assert (await settings.settings_view(store, ALEX)).subscriber.discreet
        assert await schedule.stored_zone(store, ALEX) == "UTC"
        assert await reminders.reminder_schedule(store, ALEX) is None
        assert await reminders.reminder_done(store, ALEX) is None
        assert await partner.link_state(store, ALEX) is None
        assert await course_actions.last_lesson(store, catalog(), ALEX) is None
        exported = await privacy.export(store, catalog(), ALEX)
        assert exported is not None and "subscribers" in exported.tables
        assert (await admin.stats(store, NOW)).subscribers_by_track == {"self": 1}
        assert (await store.find_subscriber(ALEX)) is not None


async def test_a_reading_holds_no_lock_that_a_writer_needs(store: Store, database_url: str) -> None:
    """Inside a reading transaction that has read, another connection writes and commits
    at once: its busy timeout is zero, so any lock held by the reading would fail it."""
    path = _sqlite_file(database_url)
    await opted_in(store)
    async with store.reading() as tx:
        assert await tx.find_subscriber(ALEX) is not None
        writer = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE subscribers SET discreet = 0")
            writer.execute("COMMIT")
        finally:
            writer.close()
    found = await store.find_subscriber(ALEX)
    assert found is not None and not found.discreet


async def test_a_reading_sees_one_state_however_many_statements(
    store: Store, database_url: str
) -> None:
    """A commit from elsewhere between two reads of one reading is not seen by the second:
    the person and their course come from the same moment."""
    daily = await opted_in(store)
    other = create_async_engine(database_url)
    try:
        async with store.reading() as tx:
            assert (await tx.course(daily.subscriber.id)).position == 1
            async with other.begin() as connection:
                await connection.execute(
                    sa.update(courses)
                    .where(courses.c.subscriber_id == daily.subscriber.id)
                    .values(position=9)
                )
            assert (await tx.course(daily.subscriber.id)).position == 1
    finally:
        await other.dispose()
    assert (await store.course(daily.subscriber.id)).position == 9


async def test_a_write_still_waits_for_the_write_lock_and_then_sees_what_was_committed(
    store: Store, database_url: str
) -> None:
    """A transaction that reads and then writes starts with the write lock, so it waits for
    the holder and reads the holder's committed value; a deferred one would have read the
    old value and then failed with "database is locked"."""
    path = _sqlite_file(database_url)
    daily = await opted_in(store)
    waiting = threading.Event()

    def spy(*args: Any) -> None:
        if str(args[2]).startswith("BEGIN IMMEDIATE"):
            waiting.set()

    async def move_on() -> int:
        async with store.transaction() as tx:
            course = await tx.course(daily.subscriber.id)
            await tx.save_course(replace(course, position=course.position + 1))
            return course.position + 1

    sa.event.listen(sa.Engine, "before_cursor_execute", spy)
    try:
        with write_lock_held(path) as holder:
            holder.execute("UPDATE courses SET position = 5")
            writer = asyncio.create_task(move_on())
            await asyncio.to_thread(waiting.wait)
            assert not writer.done()
            holder.execute("COMMIT")
            assert await writer == 6
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", spy)
    assert (await store.course(daily.subscriber.id)).position == 6


async def test_a_write_inside_a_reading_is_refused_on_postgresql(
    store: Store, database_url: str
) -> None:
    """``Reads`` offers no write, so mypy stops one; PostgreSQL refuses one that is forced."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has no read-only transactions; the Reads type is the guard there")
    daily = await opted_in(store)
    with pytest.raises(sa.exc.DBAPIError, match="read-only"):
        async with store.reading() as tx:
            forced = cast(Transaction, tx)
            await forced.save_course(replace(daily.course, position=3))
    assert (await store.course(daily.subscriber.id)).position == daily.course.position
