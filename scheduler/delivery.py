"""The delivery engine: one tick finds what is due, claims it, hands it to a sender, and
records what happened.

Guarantee: at most once. A delivery is claimed in the log, under the unique key
(subscriber, kind, local date), *before* it is sent; a process that dies between sending and
recording leaves the claim behind, and nothing ever sends that day's item again. A lost
message is the lesser harm here: a second copy of an intimate lesson is the worse one.

The engine never imports Telegram: it decides *what* to send (which lesson, which routine,
silently or not) and the bot's sender renders and sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from lessons.model import Catalog
from scheduler.clock import Clock
from scheduler.model import Course, Kind, QuietMode, Reminders, Subscriber
from scheduler.store import Claim, Store
from scheduler.timing import local_date, next_due, wall_clock_instant, zone_info

log = logging.getLogger(__name__)

COURSE_COMPLETE = "course-complete"
"""The item id of the message that tells a person their track is finished."""


class Outcome(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"
    """The person blocked the bot: stop sending to them until they come back."""
    RETRY = "retry"
    """Telegram could not be reached: the item stays due for the next tick."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One scheduled message, as the engine decided it."""

    subscriber_id: int
    chat_id: int
    kind: Kind
    item_id: str
    """A lesson id, a routine id, or COURSE_COMPLETE."""
    discreet: bool
    silent: bool


Sender = Callable[[Delivery], Awaitable[Outcome]]


@dataclass
class TickReport:
    sent: int = 0
    skipped: int = 0
    blocked: int = 0
    retried: int = 0
    waiting: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.blocked + self.retried + self.waiting


class Engine:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        clock: Clock,
        send: Sender,
        *,
        grace: timedelta = timedelta(hours=3),
        batch: int = 500,
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._clock = clock
        self._send = send
        self._grace = grace
        self._batch = batch

    async def tick(self) -> TickReport:
        """Deliver everything due now, a batch at a time, until nothing due is left."""
        report = TickReport()
        now = self._clock.now()
        for kind in (Kind.LESSON, Kind.REMINDER):
            while claims := await self._store.claim_due(kind, now, self._batch, _replan):
                for claim in claims:
                    await self._deliver(claim, now, report)
                if len(claims) < self._batch:
                    break
        return report

    async def _deliver(self, claim: Claim, now: datetime, report: TickReport) -> None:
        if now - claim.due > self._grace:
            # Missed during downtime: skipped, and the course does not move on for it.
            await self._store.finish_delivery(claim, "skipped", None, None)
            report.skipped += 1
            return
        if claim.kind is Kind.REMINDER and self._must_wait(claim, now):
            await self._store.release_delivery(claim, _quiet_end(claim.subscriber, now))
            report.waiting += 1
            return
        delivery = self._decide(claim, now)
        outcome = await self._send(delivery)
        if outcome is Outcome.SENT:
            await self._store.finish_delivery(claim, "sent", delivery.item_id, self._advance(claim))
            report.sent += 1
        elif outcome is Outcome.BLOCKED:
            await self._store.finish_delivery(claim, "blocked", delivery.item_id, None)
            await self._store.mark_blocked(claim.subscriber.id)
            report.blocked += 1
        else:
            await self._store.release_delivery(claim, claim.due)
            report.retried += 1

    def _decide(self, claim: Claim, now: datetime) -> Delivery:
        subscriber = claim.subscriber
        if isinstance(claim.state, Course):
            lesson = self._catalog.lesson_for_day(claim.state.track, claim.state.position)
            item = lesson.id if lesson is not None else COURSE_COMPLETE
            silent = False
        else:
            item = _routine_due(claim.state)
            silent = in_quiet_hours(subscriber, now)
        return Delivery(subscriber.id, subscriber.chat_id, claim.kind, item, subscriber.discreet, silent)

    def _must_wait(self, claim: Claim, now: datetime) -> bool:
        subscriber = claim.subscriber
        return subscriber.quiet_mode is QuietMode.WAIT and in_quiet_hours(subscriber, now)

    def _advance(self, claim: Claim) -> Course | Reminders:
        """The state after a delivery: the next lesson, or the next routine in the rotation."""
        state = claim.state
        if isinstance(state, Course):
            lesson = self._catalog.lesson_for_day(state.track, state.position)
            if lesson is None:
                # The completion note went out: the course rests until the person chooses.
                return replace(state, active=False, next_due=None)
            return replace(state, position=state.position + 1, last_lesson_id=lesson.id)
        return replace(state, rotation=(state.rotation + 1) % max(1, len(state.routines)))


def _routine_due(reminders: Reminders) -> str:
    return reminders.routines[reminders.rotation % len(reminders.routines)]


def _replan(claim: Claim) -> datetime | None:
    """The next due instant after this claim: never again on the same local day."""
    state, subscriber = claim.state, claim.subscriber
    return next_due(
        claim.due,
        subscriber.timezone,
        state.local_time,
        state.days,
        not_before_day=claim.local_date + timedelta(days=1),
    )


def in_quiet_hours(subscriber: Subscriber, now: datetime) -> bool:
    """Whether the person's wall clock is inside their quiet hours (which may span midnight)."""
    wall = now.astimezone(zone_info(subscriber.timezone)).time()
    start, end = subscriber.quiet_start, subscriber.quiet_end
    if start <= end:
        return start <= wall < end
    return wall >= start or wall < end


def _quiet_end(subscriber: Subscriber, now: datetime) -> datetime:
    """When the current quiet hours end, as a UTC instant."""
    today = local_date(now, subscriber.timezone)
    end = wall_clock_instant(today, subscriber.quiet_end, subscriber.timezone)
    return end if end > now else wall_clock_instant(today + timedelta(days=1), subscriber.quiet_end, subscriber.timezone)

