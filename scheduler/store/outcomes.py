"""Recording how claims ended: the delivery log's outcome, and what each outcome moves on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduler.model import DeliveryStatus, Kind, Stage
from scheduler.store.connection import Connected
from scheduler.store.people import mark_blocked
from scheduler.store.queue import Claim, due_source
from scheduler.tables import courses, deliveries, partner_links
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
    talk_at: datetime | None = None
    """When to prompt linked partners to talk about this lesson, if both chose so."""


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
_PLAN_TALK = (
    sa.update(courses)
    .where(courses.c.subscriber_id == _SUBSCRIBER)
    .values(talk_due=sa.bindparam("talk"))
)
_NEXT_ROUTINE = (
    sa.update(reminders_table)
    .where(reminders_table.c.subscriber_id == _SUBSCRIBER)
    .values(rotation=reminders_table.c.rotation + 1)
)
_INVITER, _JOINER = courses.alias("inviter"), courses.alias("joiner")
_PEOPLE: sa.BindParameter[list[int]] = sa.bindparam("people", expanding=True)
_SAME_DAYS_PAIRS = (
    sa.select(partner_links.c.subscriber_id, partner_links.c.partner_id)
    .join(_INVITER, _INVITER.c.subscriber_id == partner_links.c.subscriber_id)
    .join(_JOINER, _JOINER.c.subscriber_id == partner_links.c.partner_id)
    .where(
        partner_links.c.linked,
        _INVITER.c.same_days,
        _JOINER.c.same_days,
        sa.or_(partner_links.c.subscriber_id.in_(_PEOPLE), partner_links.c.partner_id.in_(_PEOPLE)),
    )
)
"""Linked pairs where both chose the same days, with either side among ``people``."""


class OutcomeOperations(Connected):
    async def settle(self, outcomes: Sequence[Finished | Released]) -> None:
        """Record how a group of claims ended: a few statements for the whole group rather
        than several for each of its items."""
        finished = [outcome for outcome in outcomes if isinstance(outcome, Finished)]
        released = [outcome for outcome in outcomes if isinstance(outcome, Released)]
        if finished:
            await _record_finished(self._connection, finished)
        if released:
            await _record_released(self._connection, released)


async def _record_finished(connection: AsyncConnection, finished: list[Finished]) -> None:
    """The log rows' outcomes, then what each outcome moves on: a course to its next lesson
    (counted in SQL, so a lesson read on demand meanwhile is not undone) or to rest once its
    track is finished, the reminders to their next routine, and the evening prompt after a
    lesson, planned only while the person is linked and both chose the same days."""
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
    talkers = [f for f in advanced if f.talk_at is not None]
    together = await _both_same_days(connection, [f.claim.subscriber.id for f in talkers])
    await _execute_many(
        connection,
        _PLAN_TALK,
        [
            {"subscriber": f.claim.subscriber.id, "talk": f.talk_at}
            for f in talkers
            if f.claim.subscriber.id in together
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


async def _both_same_days(connection: AsyncConnection, subscriber_ids: list[int]) -> set[int]:
    """Those of ``subscriber_ids`` who are linked, with both of the two on the same days."""
    if not subscriber_ids:
        return set()
    pairs = (await connection.execute(_SAME_DAYS_PAIRS, {"people": subscriber_ids})).all()
    return {int(person) for pair in pairs for person in pair} & set(subscriber_ids)
