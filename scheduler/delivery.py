"""The delivery engine: one tick finds what is due, claims it, hands it to a sender, and
records what happened.

Guarantee: at most once. A delivery is claimed in the log, under the unique key
(subscriber, kind, local date), *before* it is sent, and marked "sending" just before its
send starts. A send whose outcome is unknown (a timeout after Telegram may have accepted
it, a deadline passed, a process that died mid-send) is never sent again: a lost message
is the lesser harm here, a second copy of an intimate lesson the worse one. A claim whose
send never started is not lost with its process: its lease runs out and the next tick of
any process takes it over.

The engine never imports Telegram: it decides *what* to send (which lesson, which routine,
silently or not) and the bot's sender renders and sends it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import partial

from lessons.model import Catalog, Lesson, Track
from scheduler.clock import Clock
from scheduler.course_plan import solo
from scheduler.model import Course, DeliveryStatus, Kind, QuietMode, Reminders, Stage, Subscriber
from scheduler.profile import Profile
from scheduler.progress import Place, delivery_days, lesson_at, place_of, review_lesson
from scheduler.store import Claim, Finished, Released, Store
from scheduler.timing import local_date, next_due, wall_clock_instant, zone_info

log = logging.getLogger(__name__)

COURSE_COMPLETE = "course-complete"
"""The item id of the message that tells a person their track is finished."""
TALK_PROMPT = "talk"
"""The item id of the evening prompt for linked partners to talk about the day's lesson."""
TALK_TIME = time(20, 0)
"""The local time of that prompt: the evening of the lesson's day."""
DEFAULT_LEASE = timedelta(minutes=5)
DEFAULT_DEADLINE = timedelta(seconds=60)


class Outcome(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"
    """The person blocked the bot: stop sending to them until they come back."""
    RETRY = "retry"
    """Certainly not delivered (Telegram could not be reached, or answered with an error):
    the item stays due for the next tick."""
    UNKNOWN = "unknown"
    """Telegram may have delivered it: never sent again, and the course does not move on."""


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
    track: Track | None = None
    """The lesson's track, so a completion note can offer the other one."""
    place: Place | None = None
    """Where the lesson stands in the person's course ("lesson 7 of 30", or the review)."""
    solo: bool = False
    """The person said they are single: the lesson shows its version for one."""


Sender = Callable[[Delivery], Awaitable[Outcome]]


@dataclass
class TickReport:
    sent: int = 0
    skipped: int = 0
    blocked: int = 0
    retried: int = 0
    waiting: int = 0
    unknown: int = 0
    """Sent, perhaps: a timeout, a deadline or an error left it unknown. Never resent."""
    released: int = 0
    """Claimed, then given back unsent because the process is stopping."""
    kinds: dict[Kind, TickReport] = field(default_factory=dict, compare=False)
    """The same counts for each kind on its own."""

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.blocked + self.retried + self.waiting + self.unknown

    def add(self, kind: Kind, part: TickReport) -> None:
        self.kinds[kind] = part
        for name in ("sent", "skipped", "blocked", "retried", "waiting", "unknown", "released"):
            setattr(self, name, getattr(self, name) + getattr(part, name))


class Engine:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        clock: Clock,
        send: Sender,
        *,
        grace: timedelta = timedelta(hours=3),
        batch: int = 1000,
        group: int = 30,
        lease: timedelta = DEFAULT_LEASE,
        deadline: timedelta = DEFAULT_DEADLINE,
    ) -> None:
        """At most ``group`` sends are in flight at once, and a new one starts as soon as
        one ends. Telegram answers each send in tens of milliseconds, so only concurrent
        sends keep up with the rate limit; about one second's worth (the bot's share of the
        limit) also bounds what a crash can cost: the sends in flight.

        ``lease``: how long a claimed item whose send has not started stays this process's;
        after a crash, any process's tick takes it over once the lease ran out. It must be
        longer than a batch takes to start (``batch`` at the send rate). ``deadline``: a
        send not over by then is given up as unknown, so a stalled chat holds one place in
        the window, never the others."""
        if batch < 1 or group < 1:
            raise ValueError(f"batch and group must be at least 1, got {batch} and {group}")
        self._store = store
        self._catalog = catalog
        self._clock = clock
        self._send = send
        self._grace = grace
        self._batch = batch
        self._group = group
        self._lease = lease
        self._deadline = deadline.total_seconds()
        self._stopping = False
        self._profiles: dict[int, Profile] = {}
        # Held for the length of a tick, so ``stop`` can wait for the one in flight.
        self._ticking = asyncio.Lock()

    async def tick(self) -> TickReport:
        """Deliver what is due now: up to one batch of each kind, claims whose lease ran
        out first (they were due earlier).

        One batch a tick is enough by design: Telegram takes about 30 messages a second, so
        a 30-second tick cannot send more than about 900 anyway, and whatever is left is
        still due at the next tick. It also means an item given back after a network
        failure waits for the next tick instead of being retried in a tight loop.
        """
        report = TickReport()
        async with self._ticking:
            now = self._clock.now()
            for kind in Kind:
                if self._stopping:
                    break
                part = TickReport()
                await self._fan_out(await self._claim(kind, now), now, part)
                report.add(kind, part)
        return report

    async def next_due(self) -> datetime | None:
        """The soonest instant anything is due: a clock that jumps stops there to tick."""
        return await self._store.earliest_due()

    @property
    def stopping(self) -> bool:
        """Whether ``stop`` was called: from then on nothing new is sent."""
        return self._stopping

    async def stop(self) -> None:
        """Take nothing more: the sends in flight finish and are recorded, the rest of the
        batch is given back due as before, and this returns when the tick is over. Nothing
        is left claimed, so a graceful stop loses nothing."""
        self._stopping = True
        async with self._ticking:
            pass

    async def _claim(self, kind: Kind, now: datetime) -> list[Claim]:
        claims = await self._store.reclaim_expired(kind, now, now - self._lease, self._batch)
        if claims:
            log.info("took over %d %s claims whose lease ran out", len(claims), kind.value)
        if len(claims) < self._batch:
            replan = partial(_replan, now=now)
            claims += await self._store.claim_due(kind, now, self._batch - len(claims), replan)
        if kind is Kind.LESSON:
            # Which lesson is next depends on the person's answers: read once for the batch.
            self._profiles = await self._store.profiles([c.subscriber.id for c in claims])
        return claims

    async def _fan_out(self, claims: list[Claim], now: datetime, report: TickReport) -> None:
        """Send ``claims`` through a window of ``group`` sends in flight. Each turn records,
        in one transaction, the outcomes that came in and marks the sends about to start as
        "sending"; then it waits for the first send in flight to end."""
        waiting = deque(claims)
        in_flight: set[asyncio.Task[Finished | Released]] = set()
        ended: list[Finished | Released] = []
        try:
            while waiting or in_flight or ended:
                starting = self._next(waiting, self._group - len(in_flight), now, report, ended)
                if ended or starting:
                    async with self._store.transaction() as tx:
                        await tx.settle(ended)
                        started = await tx.start_sending(starting)
                    ended = []
                    for claim in started:
                        in_flight.add(asyncio.create_task(self._deliver(claim, now, report)))
                if in_flight:
                    done, in_flight = await asyncio.wait(
                        in_flight, return_when=asyncio.FIRST_COMPLETED
                    )
                    ended = [task.result() for task in done]
        finally:
            # Only when recording failed: these are marked "sending", so never resent.
            for task in in_flight:
                task.cancel()

    def _next(
        self,
        waiting: deque[Claim],
        room: int,
        now: datetime,
        report: TickReport,
        ended: list[Finished | Released],
    ) -> list[Claim]:
        """Up to ``room`` claims to send next. Those that end without a send on the way
        (stopping, past the grace, waiting out quiet hours) go straight to ``ended``."""
        starting: list[Claim] = []
        while waiting and len(starting) < room:
            claim = waiting.popleft()
            unsent = self._without_sending(claim, now, report)
            if unsent is None:
                starting.append(claim)
            else:
                ended.append(unsent)
        return starting

    def _without_sending(
        self, claim: Claim, now: datetime, report: TickReport
    ) -> Finished | Released | None:
        """How a claim ends without a send, or None when it is to be sent."""
        if self._stopping:
            report.released += 1
            return Released(claim, claim.due)
        if now - claim.due > self._grace:
            # Missed during downtime: skipped, and the course does not move on for it.
            report.skipped += 1
            return Finished(claim, DeliveryStatus.SKIPPED, None)
        if claim.kind is not Kind.LESSON and self._must_wait(claim, now):
            report.waiting += 1
            return Released(claim, _quiet_end(claim.subscriber, now))
        return None

    async def _deliver(
        self, claim: Claim, now: datetime, report: TickReport
    ) -> Finished | Released:
        """Send one claim (marked "sending") and say how it ended."""
        delivery: Delivery | None = None
        try:
            delivery = self._decide(claim, now)
            async with asyncio.timeout(self._deadline):
                outcome = await self._send(delivery)
        except TimeoutError:
            log.warning("a %s passed its deadline; it will not be resent", claim.kind.value)
            outcome = Outcome.UNKNOWN
        except Exception:
            # Whether it reached the person is unknown: never sent twice (at most once).
            log.exception("a %s could not be settled; it will not be resent", claim.kind.value)
            outcome = Outcome.UNKNOWN
        item = None if delivery is None else delivery.item_id
        if outcome is Outcome.SENT and delivery is not None:
            report.sent += 1
            return self._sent(claim, delivery, now)
        if outcome is Outcome.BLOCKED:
            report.blocked += 1
            return Finished(claim, DeliveryStatus.BLOCKED, item)
        if outcome is Outcome.RETRY:
            report.retried += 1
            return Released(claim, claim.due)
        report.unknown += 1
        return Finished(claim, DeliveryStatus.UNKNOWN, item)

    def _sent(self, claim: Claim, delivery: Delivery, now: datetime) -> Finished:
        # The completion note went out: the course is finished until the person chooses.
        finished = delivery.item_id == COURSE_COMPLETE
        talk_at = _talk_time(claim.subscriber, now) if claim.kind is Kind.LESSON else None
        return Finished(
            claim,
            DeliveryStatus.SENT,
            delivery.item_id,
            advance=not finished,
            rest=finished,
            talk_at=talk_at,
        )

    def _decide(self, claim: Claim, now: datetime) -> Delivery:
        subscriber = claim.subscriber
        if claim.kind is Kind.TALK:
            item, silent, track = TALK_PROMPT, in_quiet_hours(subscriber, now), None
        elif isinstance(claim.state, Course):
            return self._lesson(claim.state, subscriber)
        else:
            item = _routine_due(claim.state, claim.kind)
            silent, track = in_quiet_hours(subscriber, now), None
        return Delivery(
            subscriber.id, subscriber.chat_id, claim.kind, item, subscriber.discreet, silent, track
        )

    def _lesson(self, course: Course, subscriber: Subscriber) -> Delivery:
        """The course's next unread lesson, the review's next, or the completion note."""
        catalog, position = self._catalog, course.position
        profile = self._profiles.get(subscriber.id)
        if course.stage is Stage.REVIEW:
            lesson: Lesson | None = review_lesson(catalog, course)
        else:
            lesson = lesson_at(catalog, course, position, profile)
        item = COURSE_COMPLETE if lesson is None else lesson.id
        place = None if lesson is None else place_of(catalog, course, position)
        return Delivery(
            subscriber.id,
            subscriber.chat_id,
            Kind.LESSON,
            item,
            subscriber.discreet,
            silent=False,
            track=course.track,
            place=place,
            solo=solo(profile),
        )

    def _must_wait(self, claim: Claim, now: datetime) -> bool:
        subscriber = claim.subscriber
        return subscriber.quiet_mode is QuietMode.WAIT and in_quiet_hours(subscriber, now)


def _routine_due(reminders: Reminders, kind: Kind) -> str:
    if kind is Kind.SNOOZE and reminders.snoozed_routine is not None:
        return reminders.snoozed_routine
    return reminders.routines[reminders.rotation % len(reminders.routines)]


def _replan(claim: Claim, now: datetime) -> datetime | None:
    """The next due instant after this claim and after ``now`` (a long downtime moves
    straight past the days it missed), never again on the same local day. A snooze happens
    once, and so does the evening prompt: the next lesson plans the next one."""
    state, subscriber = claim.state, claim.subscriber
    if claim.kind in (Kind.SNOOZE, Kind.TALK):
        return None
    days = delivery_days(state) if isinstance(state, Course) else state.days
    return next_due(
        max(claim.due, now),
        subscriber.timezone,
        state.local_time,
        days,
        not_before_day=claim.local_date + timedelta(days=1),
    )


def _talk_time(subscriber: Subscriber, sent_at: datetime) -> datetime:
    """20:00 local on the day the lesson arrived, or the next evening if it came later."""
    today = local_date(sent_at, subscriber.timezone)
    evening = wall_clock_instant(today, TALK_TIME, subscriber.timezone)
    if evening > sent_at:
        return evening
    return wall_clock_instant(today + timedelta(days=1), TALK_TIME, subscriber.timezone)


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
    return (
        end
        if end > now
        else wall_clock_instant(
            today + timedelta(days=1), subscriber.quiet_end, subscriber.timezone
        )
    )
