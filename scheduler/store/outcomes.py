"""Recording how claims ended: the delivery log's outcome, and what each outcome moves on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduler.model import DeliveryStatus, Kind, Stage
from scheduler.store.connection import Connected
from scheduler.store.evenings import SentLesson, plan_evenings
from scheduler.store.held import Held, hold_claims
from scheduler.store.people import mark_blocked
from scheduler.store.queue import Claim, due_source
from scheduler.tables import courses, deliveries
from scheduler.tables import reminders as reminders_table


@dataclass(frozen=True, slots=True)
class Finished:
    """A claim that ended: sent, skipped, or refused because the person blocked the bot."""

    claim: Claim
    status: DeliveryStatus
    item_id: str | None
    advance: bool = False
    """Move the course to its next lesson, or the reminders to their next routine."""
    rest: bool = False
    """Mark a course finished (not paused): its completion note went out."""


@dataclass(frozen=True, slots=True)
class Released:
    """A claim given back unsent: its log row goes and the item is due again at ``due_again``."""

    claim: Claim
    due_again: datetime


# The statements that record outcomes, built once: every tick records many groups.
_SUBSCRIBER: sa.BindParameter[int] = sa.bindparam("subscriber")
# Only while the claim is still this process's: see ``Claim.claimed_at``.
_FINISH = (
    sa.update(deliveries)
    .where(
        deliveries.c.id == sa.bindparam("delivery"),
        deliveries.c.claimed_at == sa.bindparam("lease"),
    )
    .values(status=sa.bindparam("outcome"), item_id=sa.bindparam("item"), finished_at=sa.func.now())
)
_NEXT_LESSON = (
    sa.update(courses)
    .where(courses.c.subscriber_id == _SUBSCRIBER)
    .values(position=courses.c.position + 1, last_lesson_id=sa.bindparam("item"))
)
_REST = (
    sa.update(courses)
    .where(courses.c.subscriber_id == _SUBSCRIBER)
    .values(stage=Stage.FINISHED.value, next_due=None)
)
_NEXT_ROUTINE = (
    sa.update(reminders_table)
    .where(reminders_table.c.subscriber_id == _SUBSCRIBER)
    .values(rotation=reminders_table.c.rotation + 1)
)


class OutcomeOperations(Connected):
    async def prune_deliveries(self, before: date, limit: int) -> int:
        """Remove up to ``limit`` delivery-log rows of local dates before ``before``: the
        retention's end. Bounded, so a tick's spare time is never a long write lock; the
        local-date index finds them without reading the rest. How many went."""
        oldest = sa.select(deliveries.c.id).where(deliveries.c.local_date < before).limit(limit)
        result = await self._connection.execute(
            sa.delete(deliveries).where(deliveries.c.id.in_(oldest))
        )
        return result.rowcount

    async def settle(self, outcomes: Sequence[Finished | Released | Held]) -> None:
        """Record how a group of claims ended: a few statements for the whole group rather
        than several for each of its items."""
        finished = [outcome for outcome in outcomes if isinstance(outcome, Finished)]
        released = [outcome for outcome in outcomes if isinstance(outcome, Released)]
        await hold_claims(self._connection, [o for o in outcomes if isinstance(o, Held)])
        if finished:
            await _record_finished(self._connection, finished)
        if released:
            await _record_released(self._connection, released)


async def _record_finished(connection: AsyncConnection, finished: list[Finished]) -> None:
    """The log rows' outcomes, then what each outcome moves on: a course to its next lesson
    (counted in SQL, so a lesson read on demand meanwhile is not undone) or to rest once its
    track is finished, the reminders to their next routine, and the evening prompt (or the
    week's check-in) once the log shows both partners on a rhythm received the day's lesson."""
    await _execute_many(
        connection,
        _FINISH,
        [
            {
                "delivery": f.claim.delivery_id,
                "lease": f.claim.claimed_at,
                "outcome": f.status.value,
                "item": f.item_id,
            }
            for f in finished
        ],
    )
    lessons = [f for f in finished if f.claim.kind is Kind.LESSON]
    advanced = [f for f in lessons if f.advance]
    await _execute_many(
        connection,
        _NEXT_LESSON,
        [{"subscriber": f.claim.subscriber.id, "item": f.item_id} for f in advanced],
    )
    await _execute_many(
        connection, _REST, [{"subscriber": f.claim.subscriber.id} for f in lessons if f.rest]
    )
    await plan_evenings(
        connection,
        [
            SentLesson(f.claim.subscriber.id, f.claim.local_date, f.claim.claimed_at)
            for f in advanced
            if f.status is DeliveryStatus.SENT
        ],
    )
    await _execute_many(
        connection,
        _NEXT_ROUTINE,
        [
            {"subscriber": f.claim.subscriber.id}
            for f in finished
            if f.claim.kind is Kind.REMINDER and f.advance
        ],
    )
    blocked = [f.claim.subscriber.id for f in finished if f.status is DeliveryStatus.BLOCKED]
    if blocked:
        await mark_blocked(connection, blocked)


async def _record_released(connection: AsyncConnection, released: list[Released]) -> None:
    """Give claims back: their log rows go, and each item is due again when it says. A claim
    another process took over (its lease ran out) is that process's to settle: left alone."""
    log = deliveries.c
    given_back: set[int] = set()
    for lease in {r.claim.claimed_at for r in released}:
        result = await connection.execute(
            sa.delete(deliveries)
            .where(
                log.id.in_([r.claim.delivery_id for r in released if r.claim.claimed_at == lease]),
                log.claimed_at == lease,
            )
            .returning(log.id)
        )
        given_back.update(result.scalars())
    for kind in {r.claim.kind for r in released}:
        table, due_column = due_source(kind)
        await _execute_many(
            connection,
            sa.update(table)
            .where(table.c.subscriber_id == sa.bindparam("subscriber"))
            .values({due_column.name: sa.bindparam("due")}),
            [
                {"subscriber": r.claim.subscriber.id, "due": r.due_again}
                for r in released
                if r.claim.kind is kind and r.claim.delivery_id in given_back
            ],
        )


async def _execute_many(
    connection: AsyncConnection, statement: sa.Executable, rows: list[dict[str, object]]
) -> None:
    """``statement`` once per row, in one round trip; nothing at all for no rows."""
    if rows:
        await connection.execute(statement, rows)
