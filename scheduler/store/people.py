"""A person's settings and schedules: the subscriber row, their course and reminders."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from lessons.library import DEFAULT_LANGUAGE
from scheduler.crypto import DataKey
from scheduler.model import Course, Reminders, Subscriber
from scheduler.store.connection import Connected
from scheduler.store.rows import (
    course_of,
    course_values,
    reminders_of,
    reminders_values,
    subscriber_of,
    subscriber_values,
)
from scheduler.tables import courses, subscribers
from scheduler.tables import reminders as reminders_table


class PeopleOperations(Connected):
    async def find_subscriber(self, chat_id: int) -> Subscriber | None:
        return await find_subscriber(self._connection, self._key, chat_id)

    async def ensure_subscriber(self, chat_id: int, language: str = DEFAULT_LANGUAGE) -> Subscriber:
        """The subscriber for ``chat_id``, created with defaults on first contact, speaking
        ``language`` (someone already stored keeps the language they have).

        Someone already stored is only read: no write for the usual case, so ``/lesson``
        pays one statement here, not two. Two first updates from one person may arrive
        together: ON CONFLICT DO NOTHING lets both succeed, and both read the same row. The
        chat id is stored sealed, found by its hash.
        """
        stored = await find_subscriber(self._connection, self._key, chat_id)
        if stored is not None:
            return stored
        defaults = subscriber_values(Subscriber(id=0, chat_id=chat_id, language=language))
        sealed = {"chat_hash": self._key.lookup(chat_id), "chat_sealed": self._key.seal(chat_id)}
        insert = self._insert(subscribers).values({**defaults, **sealed})
        await self._connection.execute(insert.on_conflict_do_nothing(index_elements=["chat_hash"]))
        found = await find_subscriber(self._connection, self._key, chat_id)
        if found is None:
            raise RuntimeError("a subscriber vanished while being created")
        return found

    async def save_subscriber(self, subscriber: Subscriber) -> None:
        """Store changed settings. A person erased meanwhile stays erased: nothing is
        recreated."""
        statement = (
            sa.update(subscribers)
            .where(subscribers.c.id == subscriber.id)
            .values(subscriber_values(subscriber))
        )
        await self._connection.execute(statement)

    async def course(self, subscriber_id: int) -> Course:
        """The stored course, or the defaults when the person never chose one."""
        statement = sa.select(courses).where(courses.c.subscriber_id == subscriber_id)
        row = (await self._connection.execute(statement)).mappings().first()
        return Course(subscriber_id) if row is None else course_of(row)

    async def save_course(self, course: Course) -> None:
        await self._upsert(courses, course_values(course))

    async def move_course_on(self, subscriber_id: int, from_position: int, lesson_id: str) -> bool:
        """Record ``lesson_id`` as read and move on one lesson, only if the course is still
        at ``from_position``: of two taps on one button, or a tap racing the schedule, only
        the first moves the course. False when it had moved already."""
        statement = (
            sa.update(courses)
            .where(courses.c.subscriber_id == subscriber_id, courses.c.position == from_position)
            .values(position=from_position + 1, last_lesson_id=lesson_id)
        )
        return (await self._connection.execute(statement)).rowcount > 0

    async def reminders(self, subscriber_id: int) -> Reminders:
        """The stored reminders, or the defaults when the person never chose any."""
        table = reminders_table
        statement = sa.select(table).where(table.c.subscriber_id == subscriber_id)
        row = (await self._connection.execute(statement)).mappings().first()
        return Reminders(subscriber_id) if row is None else reminders_of(row)

    async def save_reminders(self, reminders: Reminders) -> None:
        await self._upsert(reminders_table, reminders_values(reminders))

    async def stop_all(self, subscriber_id: int) -> None:
        """Silence both schedules; position, rotation and choices are kept for a return."""
        await self._connection.execute(
            sa.update(courses)
            .where(courses.c.subscriber_id == subscriber_id)
            .values(active=False, next_due=None)
        )
        await self.stop_reminders(subscriber_id)

    async def stop_reminders(self, subscriber_id: int) -> None:
        """Switch reminders off, keeping routines, days, time and rotation to resume them as
        they were. A pending "later" goes: brought back by a resume within the delivery
        grace, it would arrive at once, which the resume's "next nudge" does not say."""
        table = reminders_table
        await self._connection.execute(
            sa.update(table)
            .where(table.c.subscriber_id == subscriber_id)
            .values(active=False, next_due=None, snooze_due=None, snoozed_routine=None)
        )

    async def snooze(self, subscriber_id: int, routine_id: str, until: datetime) -> bool:
        """Ask for one routine again at ``until``; False when it was already snoozed today
        or reminders are off."""
        table = reminders_table
        statement = (
            sa.update(table)
            .where(
                table.c.subscriber_id == subscriber_id, table.c.active, table.c.snooze_due.is_(None)
            )
            .values(snooze_due=until, snoozed_routine=routine_id)
        )
        return (await self._connection.execute(statement)).rowcount > 0

    async def set_blocked(self, subscriber_id: int, blocked: bool) -> bool:
        """Mark whether the person blocked the bot; True when that changed anything.

        A blocked person's due instants are cleared, so no tick reads their rows again;
        ``scheduler.planning.replan`` restores them when the person comes back."""
        if blocked:
            return await mark_blocked(self._connection, [subscriber_id]) > 0
        result = await self._connection.execute(
            sa.update(subscribers)
            .where(subscribers.c.id == subscriber_id, subscribers.c.blocked)
            .values(blocked=False)
        )
        return result.rowcount > 0

    async def _upsert(self, table: sa.Table, values: dict[str, object]) -> None:
        insert = self._insert(table).values(values)
        changes = {key: insert.excluded[key] for key in values if key != "subscriber_id"}
        statement = insert.on_conflict_do_update(index_elements=["subscriber_id"], set_=changes)
        await self._connection.execute(statement)


async def find_subscriber(
    connection: AsyncConnection, key: DataKey, chat_id: int
) -> Subscriber | None:
    """The person with ``chat_id``, found by its keyed hash: nothing is opened to find them."""
    statement = sa.select(subscribers).where(subscribers.c.chat_hash == key.lookup(chat_id))
    row = (await connection.execute(statement)).mappings().first()
    return None if row is None else subscriber_of(row, chat_id)


async def mark_blocked(connection: AsyncConnection, subscriber_ids: list[int]) -> int:
    """Mark people as having blocked the bot and clear their due instants, so no tick reads
    their rows again; how many were not marked before."""
    result = await connection.execute(
        sa.update(subscribers)
        .where(subscribers.c.id.in_(subscriber_ids), ~subscribers.c.blocked)
        .values(blocked=True)
    )
    for table in (courses, reminders_table):
        await connection.execute(
            sa.update(table).where(table.c.subscriber_id.in_(subscriber_ids)).values(next_due=None)
        )
    return result.rowcount
