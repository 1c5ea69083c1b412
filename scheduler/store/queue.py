"""The due queue: finding what is due, and claiming it in the delivery log before it is sent.

The log's unique (subscriber, kind, local date) key is the at-most-once guarantee: a day's
item is claimed once. A claim is a lease: until its send starts (``start_sending``) it is
only "claimed", and a claim whose process died before that is taken over once its lease
ran out (``reclaim_expired``). Once "sending", nothing ever takes it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from scheduler.crypto import DataKey
from scheduler.model import Course, DeliveryStatus, Kind, Reminders, Subscriber
from scheduler.store.connection import Connected
from scheduler.store.rows import as_date, course_of, reminders_of, subscriber_of
from scheduler.tables import courses, deliveries, partner_links, subscribers
from scheduler.tables import reminders as reminders_table
from scheduler.timing import local_date


@dataclass(frozen=True, slots=True)
class Claim:
    """A due item this process has claimed in the delivery log and must now settle."""

    delivery_id: int
    kind: Kind
    subscriber: Subscriber
    state: Course | Reminders
    """The schedule's row as it was when claimed."""
    due: datetime
    local_date: date
    claimed_at: datetime
    """The lease: the claim stays this process's while its log row still carries it."""
    held: bool = False
    """Taken back after waiting out quiet hours: given back, it waits again for its own
    day (see ``scheduler.store.held``) rather than leaving the log."""


Replan = Callable[[Claim], datetime | None]

# What a claim reads of a person: everything but the keyed hash, which only finds people.
# Their chat id comes sealed and is opened only for the rows actually claimed.
_PERSON = tuple(column for column in subscribers.c if column.name != "chat_hash")


class QueueOperations(Connected):
    async def last_delivery_day(self, subscriber_id: int, kind: Kind) -> date | None:
        """The latest local date with a delivery logged for this person and kind (sent,
        skipped or claimed): no later change of settings may deliver again on that day."""
        statement = sa.select(sa.func.max(deliveries.c.local_date)).where(
            deliveries.c.subscriber_id == subscriber_id, deliveries.c.kind == kind.value
        )
        day = (await self._connection.execute(statement)).scalar_one_or_none()
        return as_date(day)

    async def earliest_due(self) -> datetime | None:
        """The soonest instant anything of any kind is due, or None: where a clock that
        jumps (the local chat's time travel) must stop so each item arrives on time."""
        soonest: list[datetime] = []
        for kind in Kind:
            table, due_column = due_source(kind)
            statement = (
                sa.select(sa.func.min(due_column))
                .select_from(table.join(subscribers, subscribers.c.id == table.c.subscriber_id))
                .where(~subscribers.c.blocked, *live(table, kind))
            )
            # min() keeps the column's type, so this comes back as an aware UTC instant.
            due = (await self._connection.execute(statement)).scalar_one_or_none()
            if due is not None:
                soonest.append(due)
        return min(soonest, default=None)

    async def claim_due(self, kind: Kind, now: datetime, limit: int, replan: Replan) -> list[Claim]:
        """Take up to ``limit`` items due at ``now`` and claim each in the delivery log.

        In one transaction: the due rows are read in due order from the index, locked with
        ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so another process ticking at the same time
        takes different rows, each gets a log row under the unique (subscriber, kind, local
        date) key, and each row's due instant moves on to ``replan(claim)``. A row whose day
        was already logged is only moved on, not claimed: that is the never-twice rule.

        Three statements however many rows are due, so a tick's cost barely grows with them.
        """
        table, due_column = due_source(kind)
        statement = (
            sa.select(*table.c, *_PERSON)
            .join(subscribers, subscribers.c.id == table.c.subscriber_id)
            .where(due_column <= now, ~subscribers.c.blocked, *live(table, kind))
            .order_by(due_column)
            .limit(limit)
        )
        if self._postgresql:
            statement = statement.with_for_update(skip_locked=True, of=table)
        rows = (await self._connection.execute(statement)).all()
        if not rows:
            return []
        sealed = _candidates(kind, table, rows, now)
        candidates = [candidate for candidate, _ in sealed]
        logged = await self._log_claims(candidates, now)
        await self._connection.execute(
            sa.update(table)
            .where(table.c.subscriber_id == sa.bindparam("subscriber"))
            .values({due_column.name: sa.bindparam("due")}),
            [{"subscriber": c.subscriber.id, "due": replan(c)} for c in candidates],
        )
        return [
            _opened(self._key, candidate, chat, delivery_id=logged[candidate.subscriber.id])
            for candidate, chat in sealed
            if candidate.subscriber.id in logged
        ]

    async def reclaim_expired(
        self, kind: Kind, now: datetime, expired_before: datetime, limit: int
    ) -> list[Claim]:
        """Take over up to ``limit`` claims of ``kind`` whose lease began before
        ``expired_before`` and whose send never started: the process that claimed them died
        (or is far behind). Each gets a new lease, ``now``, and keeps the instant it was due,
        so the grace still counts from then. Locked like ``claim_due``, so of several
        processes only one takes each; a person who stopped or blocked meanwhile is left.
        """
        log = deliveries.c
        return await self._take_logged(
            kind,
            now,
            limit,
            matching=(
                log.status == DeliveryStatus.CLAIMED.value,
                log.claimed_at < expired_before,
            ),
            oldest_first=log.claimed_at,
            still=(log.status == DeliveryStatus.CLAIMED.value, log.claimed_at < expired_before),
            values={"claimed_at": now},
        )

    async def _take_logged(
        self,
        kind: Kind,
        now: datetime,
        limit: int,
        *,
        matching: Sequence[sa.ColumnElement[bool]],
        oldest_first: sa.ColumnElement[Any],
        still: Sequence[sa.ColumnElement[bool]],
        values: dict[str, object],
        held: bool = False,
    ) -> list[Claim]:
        """Take up to ``limit`` log rows of ``kind`` that are ``matching``, for this process:
        read with the schedule and the person (locked, SKIP LOCKED on PostgreSQL, so of several
        processes only one takes each; a person who stopped or blocked meanwhile is left),
        then set to ``values`` only where ``still`` holds, and made claims of those taken, with
        the lease ``now``. Shared by the take-over of expired claims and of held items."""
        table, _ = due_source(kind)
        log = deliveries.c
        statement = (
            sa.select(log.id, log.local_date, log.due_at, log.claimed_at, *table.c, *_PERSON)
            .join(subscribers, subscribers.c.id == log.subscriber_id)
            .join(table, table.c.subscriber_id == log.subscriber_id)
            .where(
                *matching,
                log.kind == kind.value,
                ~subscribers.c.blocked,
                *live(table, kind),
            )
            .order_by(oldest_first)
            .limit(limit)
        )
        if self._postgresql:
            statement = statement.with_for_update(skip_locked=True, of=deliveries)
        rows = (await self._connection.execute(statement)).all()
        if not rows:
            return []
        taken = await self._connection.execute(
            sa.update(deliveries)
            .where(log.id.in_([row[0] for row in rows]), *still)
            .values(values)
            .returning(log.id)
        )
        ours = set(taken.scalars())
        claims = []
        for delivery_id, day, due_at, claimed_at, *rest in rows:
            if delivery_id in ours:
                subscriber, state, chat = _person_and_state(kind, table, rest)
                # Claims made before due instants were logged count as due when claimed.
                due = due_at or claimed_at
                claim = Claim(delivery_id, kind, subscriber, state, due, day, now, held=held)
                claims.append(_opened(self._key, claim, chat, delivery_id=delivery_id))
        return claims

    async def start_sending(self, claims: Sequence[Claim]) -> list[Claim]:
        """Mark claims "sending", just before their sends start; from then on nothing takes
        them again, whatever happens. Only claims whose lease is still theirs are marked and
        returned: one another process took over after its lease ran out is its now.
        """
        log = deliveries.c
        marked: set[int] = set()
        for lease in {claim.claimed_at for claim in claims}:
            result = await self._connection.execute(
                sa.update(deliveries)
                .where(
                    log.id.in_([c.delivery_id for c in claims if c.claimed_at == lease]),
                    log.status == DeliveryStatus.CLAIMED.value,
                    log.claimed_at == lease,
                )
                .values(status=DeliveryStatus.SENDING.value)
                .returning(log.id)
            )
            marked.update(result.scalars())
        return [claim for claim in claims if claim.delivery_id in marked]

    async def _log_claims(self, candidates: list[Claim], now: datetime) -> dict[int, int]:
        """Insert a "claimed" log row for each candidate whose day has none yet; the new
        rows' ids by subscriber id (one claim per person and kind in a batch)."""
        insert = (
            self._insert(deliveries)
            .values(status=DeliveryStatus.CLAIMED.value, claimed_at=now)
            .on_conflict_do_nothing(index_elements=["subscriber_id", "kind", "local_date"])
            .returning(deliveries.c.subscriber_id, deliveries.c.id)
        )
        rows = [
            {
                "subscriber_id": c.subscriber.id,
                "kind": c.kind.value,
                "local_date": c.local_date,
                "due_at": c.due,
            }
            for c in candidates
        ]
        result = await self._connection.execute(insert, rows)
        return {int(subscriber_id): int(delivery_id) for subscriber_id, delivery_id in result}

    # Finished deliveries written directly: tests and the privacy operations use these; the
    # engine claims and records through the due queue.

    async def log_delivery(
        self,
        subscriber_id: int,
        kind: Kind | str,
        local_date: date,
        item_id: str | None,
        status: DeliveryStatus,
        *,
        at: datetime | None = None,
    ) -> None:
        """Record a finished delivery; ``at`` defaults to the database's clock."""
        when: object = sa.func.now() if at is None else at
        statement = sa.insert(deliveries).values(
            subscriber_id=subscriber_id,
            kind=str(kind),
            local_date=local_date,
            item_id=item_id,
            status=DeliveryStatus(status).value,
            claimed_at=when,
            finished_at=when,
        )
        await self._connection.execute(statement)

    async def delivery_count(self, subscriber_id: int) -> int:
        statement = (
            sa.select(sa.func.count())
            .select_from(deliveries)
            .where(deliveries.c.subscriber_id == subscriber_id)
        )
        return (await self._connection.execute(statement)).scalar_one()


def _candidates(
    kind: Kind, table: sa.Table, rows: Sequence[sa.Row[Any]], now: datetime
) -> list[tuple[Claim, bytes]]:
    """The claims due rows would make, before their log rows exist (``delivery_id`` 0), each
    with the person's sealed chat id, still closed (``chat_id`` 0).

    Each row holds the schedule's columns, then the person's (see ``claim_due``)."""
    due_at = _names(table).index(due_source(kind)[1].name)
    claims = []
    for row in rows:
        subscriber, state, chat = _person_and_state(kind, table, row)
        due: datetime = row[due_at]
        day = local_date(due, subscriber.timezone)
        claims.append((Claim(0, kind, subscriber, state, due, day, now), chat))
    return claims


def _opened(key: DataKey, claim: Claim, chat: bytes, *, delivery_id: int) -> Claim:
    """The claim with its log row and the person's chat id opened, ready to send."""
    subscriber = replace(claim.subscriber, chat_id=key.open(chat))
    return replace(claim, delivery_id=delivery_id, subscriber=subscriber)


def _person_and_state(
    kind: Kind, table: sa.Table, row: Sequence[Any]
) -> tuple[Subscriber, Course | Reminders, bytes]:
    """A row holding the schedule's columns, then the person's: the person (chat id still
    closed), the schedule, and the sealed chat id."""
    own = _names(table)
    state_of = course_of if kind in (Kind.LESSON, Kind.TALK, Kind.CHECKIN) else reminders_of
    state = dict(zip(own, row[: len(own)], strict=True))
    person = dict(zip(_PERSON_NAMES, row[len(own) :], strict=True))
    return subscriber_of(person, 0), state_of(state), bytes(person["chat_sealed"])


@cache
def _names(table: sa.Table) -> tuple[str, ...]:
    return tuple(column.name for column in table.c)


_PERSON_NAMES = tuple(column.name for column in _PERSON)


def due_source(kind: Kind) -> tuple[sa.Table, sa.Column[Any]]:
    """The table and the indexed column that say when an item of ``kind`` is due."""
    if kind is Kind.LESSON:
        return courses, courses.c.next_due
    if kind is Kind.REMINDER:
        return reminders_table, reminders_table.c.next_due
    if kind is Kind.TALK:
        return courses, courses.c.talk_due
    if kind is Kind.CHECKIN:
        return courses, courses.c.checkin_due
    return reminders_table, reminders_table.c.snooze_due


def live(table: sa.Table, kind: Kind) -> tuple[sa.ColumnElement[bool], ...]:
    """The conditions under which a row of ``table`` still wants its item of ``kind``."""
    if kind not in (Kind.TALK, Kind.CHECKIN):
        return (table.c.active, ~table.c.paused)
    # The evening prompt and the check-in only while the person is still linked and still on
    # a couple rhythm, however either ended (unlink, leaving, or /delete on the other side).
    links = partner_links.c
    linked = sa.exists().where(
        links.linked,
        links.rhythm_days.is_not(None),
        sa.or_(
            links.subscriber_id == table.c.subscriber_id, links.partner_id == table.c.subscriber_id
        ),
    )
    return (table.c.active, ~table.c.paused, linked)
