"""The evening after a lesson, for two people on a couple rhythm: the "talk about it"
prompt and, once a week, the "nobody goes first" check-in, with its answers.

A prompt is planned only from the delivery log: when a lesson is recorded as sent, and the
log already shows the partner's lesson sent for the same local date, both are planned, each
at their own evening, or soon after this second lesson for one whose evening had passed, as
long as it is still that day on their clock. Nothing is assumed from a schedule. The check-in
follows the same rule, and needs both sides to have a time that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduler.couple import CHECKIN_OPEN, evening_of, week_of
from scheduler.model import DeliveryStatus, Kind
from scheduler.store.connection import Connected
from scheduler.store.rows import wall_time
from scheduler.tables import checkin_answers, courses, deliveries, partner_links, subscribers

_LINKS = partner_links.c
_ANSWERS = checkin_answers.c
# The completion note is logged as the day's lesson, but it is no lesson to talk about.
_COMPLETION_NOTE = "course-complete"


@dataclass(frozen=True, slots=True)
class SentLesson:
    subscriber_id: int
    local_date: date
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class CheckinAnswers:
    """Both answers, at the reveal: the caller's own first."""

    mine: str
    theirs: str
    partner: int


async def plan_evenings(connection: AsyncConnection, sent: Sequence[SentLesson]) -> None:
    """Plan the prompts (or the week's check-in) that ``sent`` lessons complete.

    One look-up finds which of the senders are on a rhythm at all, so a tick's batch of
    lessons costs one statement here for everyone else."""
    links = await _rhythm_links(connection, [lesson.subscriber_id for lesson in sent])
    done: set[int] = set()
    for lesson in sent:
        link = links.get(lesson.subscriber_id)
        if link is None or link["id"] in done:
            continue
        inviter, joiner = int(link["subscriber_id"]), int(link["partner_id"])
        partner = joiner if inviter == lesson.subscriber_id else inviter
        if not await _lesson_sent(connection, partner, lesson.local_date):
            continue
        done.add(int(link["id"]))
        evenings = {
            who: await _evening(connection, who, lesson.local_date, lesson.sent_at)
            for who in (inviter, joiner)
        }
        week = week_of(lesson.local_date)
        asks = link["checkin_inviter"] and link["checkin_partner"] and link["checkin_week"] != week
        if asks and all(at is not None for at in evenings.values()):
            await _plan_checkin(connection, int(link["id"]), week, evenings)
            continue
        for who, at in evenings.items():
            if at is not None:
                await connection.execute(
                    sa.update(courses).where(courses.c.subscriber_id == who).values(talk_due=at)
                )


async def _rhythm_links(
    connection: AsyncConnection, subscriber_ids: list[int]
) -> dict[int, sa.RowMapping]:
    """The links on a rhythm that any of ``subscriber_ids`` is in, by each person in them."""
    if not subscriber_ids:
        return {}
    statement = sa.select(partner_links).where(
        _LINKS.linked,
        _LINKS.rhythm_days.is_not(None),
        sa.or_(_LINKS.subscriber_id.in_(subscriber_ids), _LINKS.partner_id.in_(subscriber_ids)),
    )
    found: dict[int, sa.RowMapping] = {}
    for row in (await connection.execute(statement)).mappings():
        found[int(row["subscriber_id"])] = found[int(row["partner_id"])] = row
    return found


async def _lesson_sent(connection: AsyncConnection, subscriber_id: int, day: date) -> bool:
    log = deliveries.c
    statement = sa.select(log.id).where(
        log.subscriber_id == subscriber_id,
        log.kind == Kind.LESSON.value,
        log.local_date == day,
        log.status == DeliveryStatus.SENT.value,
        log.item_id != _COMPLETION_NOTE,
    )
    return (await connection.execute(statement)).first() is not None


async def _evening(
    connection: AsyncConnection, subscriber_id: int, day: date, sent_at: datetime
) -> datetime | None:
    statement = (
        sa.select(courses.c.talk_time, subscribers.c.timezone)
        .join(subscribers, subscribers.c.id == courses.c.subscriber_id)
        .where(courses.c.subscriber_id == subscriber_id, ~subscribers.c.blocked)
    )
    row = (await connection.execute(statement)).first()
    if row is None or row[0] is None:
        return None
    return evening_of(day, wall_time(str(row[0])), str(row[1]), sent_at)


async def _plan_checkin(
    connection: AsyncConnection, link_id: int, week: date, evenings: dict[int, datetime | None]
) -> None:
    """The check-in instead of the prompt, for both, with an empty answer row each that
    expires 48 hours after the later of the two evenings."""
    await connection.execute(
        sa.update(partner_links).where(_LINKS.id == link_id).values(checkin_week=week)
    )
    expires = max(at for at in evenings.values() if at is not None) + CHECKIN_OPEN
    people = list(evenings)
    await connection.execute(sa.delete(checkin_answers).where(_ANSWERS.subscriber_id.in_(people)))
    for who, at in evenings.items():
        await connection.execute(
            sa.update(courses).where(courses.c.subscriber_id == who).values(checkin_due=at)
        )
        await open_checkin(connection, who, expires)


async def open_checkin(connection: AsyncConnection, subscriber_id: int, expires: datetime) -> None:
    """An empty answer row: the check-in is open for this person until ``expires``."""
    await connection.execute(
        sa.insert(checkin_answers).values(
            subscriber_id=subscriber_id, answer=None, expires_at=expires
        )
    )


class EveningOperations(Connected):
    async def open_checkin(self, subscriber_id: int, expires: datetime) -> None:
        await open_checkin(self._connection, subscriber_id, expires)

    async def answer_checkin(
        self, subscriber_id: int, partner_id: int, answer: str, now: datetime
    ) -> CheckinAnswers | bool:
        """Record an answer to the open check-in (call with the link locked): both answers
        once the partner's is in, after which both rows are gone; True when it is kept to
        wait for the partner's; False when no check-in is open for this person, or they
        answered already."""
        kept = await self._connection.execute(
            sa.update(checkin_answers)
            .where(
                _ANSWERS.subscriber_id == subscriber_id,
                _ANSWERS.answer.is_(None),
                _ANSWERS.expires_at > now,
            )
            .values(answer=answer)
        )
        if kept.rowcount != 1:
            return False
        statement = sa.select(_ANSWERS.answer).where(
            _ANSWERS.subscriber_id == partner_id,
            _ANSWERS.answer.is_not(None),
            _ANSWERS.expires_at > now,
        )
        theirs = (await self._connection.execute(statement)).scalar_one_or_none()
        if theirs is None:
            return True
        await self._connection.execute(
            sa.delete(checkin_answers).where(
                _ANSWERS.subscriber_id.in_([subscriber_id, partner_id])
            )
        )
        return CheckinAnswers(answer, str(theirs), partner_id)

    async def expire_checkins(self, now: datetime) -> int:
        """Delete check-ins left unanswered by one side for 48 hours: no trace is kept."""
        result = await self._connection.execute(
            sa.delete(checkin_answers).where(_ANSWERS.expires_at <= now)
        )
        return result.rowcount
