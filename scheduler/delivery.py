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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Any

from lessons.library import DEFAULT_LANGUAGE
from lessons.model import Catalog, Lesson, Track
from scheduler.clock import Clock
from scheduler.course_plan import solo
from scheduler.model import Course, DeliveryStatus, Kind, Reminders, Stage, Subscriber
from scheduler.profile import Profile
from scheduler.progress import Place, delivery_days, lesson_at, place_of, review_lesson
from scheduler.quiet import HoldUntil, QuietHours, SendNow, quiet_verdict
from scheduler.store import Claim, Finished, Held, Released, Store
from scheduler.tick_report import TickReport as TickReport
from scheduler.timing import local_date, next_due

log = logging.getLogger(__name__)

COURSE_COMPLETE = "course-complete"
"""The item id of the message that tells a person their track is finished."""
TALK_PROMPT = "talk"
"""The item id of the evening prompt for linked partners to talk about the day's lesson."""
CHECKIN = "checkin"
"""The item id of the weekly "nobody goes first" check-in."""
DEFAULT_LEASE = timedelta(minutes=5)
DEFAULT_DEADLINE = timedelta(seconds=60)
MAX_GROUP = 50
"""The most sends in flight at once, whatever the rate. At Telegram's answer times (tens of
milliseconds) 50 keep up with paid broadcast's 1,000 a second; more only queue in the
process, whose HTTP client costs more with every connection it keeps open, and a send marked
"sending" that waits there past its deadline is lost (and a crash loses every one in flight).
Measured over HTTP with 30, 50 and 100: see benchmarks/README.md, "Paid broadcast over HTTP"."""
DEFAULT_RETENTION = timedelta(days=35)
"""How long the delivery log keeps a row: five weeks. The never-twice rule only ever
compares with the last day or two (a change of zone moves a local date by one day at most),
/stats counts today's, and a person's /export shows the last five weeks of what they were
sent; nothing needs older rows, and at a million people the log grows by a million a day."""
PRUNE_CHUNK = 2000
"""Delivery-log rows pruned per tick at most: a few milliseconds, never a long write lock.
A tick every 30 seconds clears up to 5.7 million a day, more than any day adds."""


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
    language: str = DEFAULT_LANGUAGE
    """The person's language, which the sender says it in: claims read it with the rest."""


Sender = Callable[[Delivery], Awaitable[Outcome]]


Round = list[tuple[Claim, datetime]]
"""Claims to send, each with the instant it was claimed at (the "now" its rules read)."""


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
        retention: timedelta | None = DEFAULT_RETENTION,
        prune_chunk: int = PRUNE_CHUNK,
    ) -> None:
        """``catalog`` decides which lesson is next: any language's would do, since every
        language has the same courses (``lessons check`` proves it); each delivery carries
        its person's language for the sender to say it in.

        At most ``group`` sends are in flight at once, and new ones start as soon as a
        quarter of them ended (see ``_turn_due``). Telegram answers each send in tens of
        milliseconds, so only concurrent sends keep up with the rate limit; about one
        second's worth (the bot's share of the limit) also bounds what a crash can cost:
        the sends in flight.

        ``lease``: how long a claimed item whose send has not started stays this process's;
        after a crash, any process's tick takes it over once the lease ran out. It must be
        longer than a batch takes to start (``batch`` at the send rate). ``deadline``: a
        send not over by then is given up as unknown, so a stalled chat holds one place in
        the window, never the others. ``retention``: how long the delivery log keeps a row
        (None keeps them all); at most ``prune_chunk`` older rows go per tick."""
        if batch < 1 or group < 1 or prune_chunk < 1:
            raise ValueError(
                f"batch, group and prune_chunk must be at least 1, got {batch}, {group} "
                f"and {prune_chunk}"
            )
        self._store = store
        self._catalog = catalog
        self._clock = clock
        self._send = send
        self._grace = grace
        self._batch = batch
        self._group = group
        self._settle_every = max(1, group // 4)
        # A batch's claims take a while to read and plan (about 0.15 s for 1,000): the next
        # is asked for while a quarter of this one still waits, so the sends never wait.
        self._claim_ahead = batch // 4
        self._lease = lease
        self._deadline = deadline.total_seconds()
        self._retention = retention
        self._prune_chunk = prune_chunk
        self._stopping = False
        self._profiles: dict[int, Profile] = {}
        # Held for the length of a tick, so ``stop`` can wait for the one in flight.
        self._ticking = asyncio.Lock()

    async def tick(self) -> TickReport:
        """Deliver what is due now, and go on while there is more: claims whose lease ran
        out first (they were due earlier), then up to one batch of each kind, again and
        again while a kind's batch comes back full. A backlog (the peak minute, a restart)
        so goes out at the send rate in one tick; the tick's interval only matters once
        nothing more is due. The next batch is claimed while the last sends of the one
        before are in flight, so the sender never waits for the database.

        A send given back for a retry (Telegram unreachable, or refusing) ends the drain:
        the item waits for the next tick rather than being tried again in a tight loop.
        When nothing more is due, the tick prunes the delivery log (a bounded chunk)."""
        report = TickReport()
        async with self._ticking:
            self._profiles = {}
            await self._fan_out(report)
            # A check-in one side left unanswered for 48 hours goes without a trace.
            async with self._store.transaction() as tx:
                await tx.expire_checkins(self._clock.now())
            if not self._stopping and self._retention is not None:
                report.pruned = await self._store.prune_deliveries(
                    retention_cutoff(self._clock.now(), self._retention), self._prune_chunk
                )
        return report

    async def next_due(self) -> datetime | None:
        """The soonest instant anything is due, or held for the end of quiet hours: a clock
        that jumps stops there to tick."""
        soonest = [await self._store.earliest_due(), await self._store.earliest_held()]
        return min((due for due in soonest if due is not None), default=None)

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

    async def _round(self, report: TickReport) -> tuple[Round, bool]:
        """Up to a batch of each kind claimed now, and whether some kind's came back full
        (so more may be due)."""
        now = self._clock.now()
        claims: Round = []
        full = False
        for kind in Kind:
            taken = await self._claim(kind, now)
            # Then what waited out quiet hours and may go now.
            held = await self._store.take_held(kind, now, self._batch)
            full = full or len(taken) >= self._batch or len(held) >= self._batch
            claims.extend((claim, now) for claim in (*taken, *held))
            if kind is Kind.LESSON and (taken or held):
                # Which lesson is next depends on the person's answers: read once a batch,
                # added to (not replacing) those of the batch whose sends are still going.
                people = [claim.subscriber.id for claim in (*taken, *held)]
                self._profiles.update(await self._store.profiles(people))
        report.rounds += 1
        return claims, full

    async def _claim(self, kind: Kind, now: datetime) -> list[Claim]:
        claims = await self._store.reclaim_expired(kind, now, now - self._lease, self._batch)
        if claims:
            log.info("took over %d %s claims whose lease ran out", len(claims), kind.value)
        if len(claims) < self._batch:
            replan = partial(_replan, now=now)
            claims += await self._store.claim_due(kind, now, self._batch - len(claims), replan)
        return claims

    async def _fan_out(self, report: TickReport) -> None:
        """Send each round's claims through a window of ``group`` sends in flight. Each turn
        records, in one transaction, the outcomes that came in and marks the sends about to
        start as "sending" (once a quarter of the group has ended, see ``_turn_due``); then
        it waits for a send in flight to end, or for the next round's claims, asked for
        while the last quarter of a batch still waits to start."""
        waiting: deque[tuple[Claim, datetime]] = deque()
        in_flight: set[asyncio.Task[Finished | Released | Held]] = set()
        ended: list[Finished | Released | Held] = []
        claiming: asyncio.Task[tuple[Round, bool]] | None = None
        more = True
        try:
            while True:
                # A retry means Telegram is struggling: the next tick tries again.
                more = more and not report.retried and not self._stopping
                if more and claiming is None and len(waiting) <= self._claim_ahead:
                    claiming = asyncio.create_task(self._round(report))
                if claiming is not None and claiming.done():
                    claims, more = claiming.result()
                    claiming = None
                    waiting.extend(claims)
                if self._turn_due(len(in_flight)):
                    starting = self._next(waiting, self._group - len(in_flight), report, ended)
                    if ended or starting:
                        async with self._store.transaction() as tx:
                            await tx.settle(ended)
                            marked = await tx.start_sending([claim for claim, _ in starting])
                        ended = []
                        started = {claim.delivery_id for claim in marked}
                        in_flight.update(
                            asyncio.create_task(self._deliver(claim, now, report))
                            for claim, now in starting
                            if claim.delivery_id in started
                        )
                pending: set[asyncio.Future[Any]] = set(in_flight)
                if claiming is not None:
                    pending.add(claiming)
                elif not in_flight and not waiting:
                    return
                await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                done = {task for task in in_flight if task.done()}
                in_flight -= done
                ended.extend(task.result() for task in done)
        finally:
            # Only when recording failed: these are marked "sending", so never resent.
            for task in in_flight:
                task.cancel()
            if claiming is not None:
                claiming.cancel()

    def _turn_due(self, in_flight: int) -> bool:
        """Whether to record what ended and start more now. While most of the group is in
        flight, the turn waits until a quarter of it has ended: one transaction for several
        outcomes rather than one for each, which at paid broadcast's rate was a database
        round trip per message. Three quarters stay in flight meanwhile, so the pacer always
        has sends waiting. In flight or ended, never more than the group: what a crash can
        cost stays the group. A stop is acted on at once."""
        return self._stopping or in_flight <= self._group - self._settle_every

    def _next(
        self,
        waiting: deque[tuple[Claim, datetime]],
        room: int,
        report: TickReport,
        ended: list[Finished | Released | Held],
    ) -> Round:
        """Up to ``room`` claims to send next. Those that end without a send on the way
        (stopping, past the grace, waiting out quiet hours) go straight to ``ended``."""
        starting: Round = []
        while waiting and len(starting) < room:
            claim, now = waiting.popleft()
            unsent = self._without_sending(claim, now, report)
            if unsent is None:
                starting.append((claim, now))
            else:
                ended.append(unsent)
        return starting

    def _without_sending(
        self, claim: Claim, now: datetime, report: TickReport
    ) -> Finished | Released | Held | None:
        """How a claim ends without a send, or None when it is to be sent."""
        if self._stopping:
            report.count(claim.kind, "released")
            return _give_back(claim)
        if now - claim.due > self._grace:
            # Missed during downtime: skipped, and the course does not move on for it.
            report.count(claim.kind, "skipped")
            return Finished(claim, DeliveryStatus.SKIPPED, None)
        verdict = _quiet(claim, now)
        if not isinstance(verdict, HoldUntil):
            return None
        if claim.kind in (Kind.TALK, Kind.CHECKIN):
            # Held until the morning it would no longer be about "today": dropped instead.
            report.count(claim.kind, "skipped")
            return Finished(claim, DeliveryStatus.SKIPPED, None)
        # Kept for its own day, so the hold neither loses nor repeats a day's item.
        report.count(claim.kind, "waiting")
        return Held(claim, verdict.instant)

    async def _deliver(
        self, claim: Claim, now: datetime, report: TickReport
    ) -> Finished | Released | Held:
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
            report.count(claim.kind, "sent")
            return self._sent(claim, delivery, now)
        if outcome is Outcome.BLOCKED:
            report.count(claim.kind, "blocked")
            return Finished(claim, DeliveryStatus.BLOCKED, item)
        if outcome is Outcome.RETRY:
            report.count(claim.kind, "retried")
            return _give_back(claim)
        report.count(claim.kind, "unknown")
        return Finished(claim, DeliveryStatus.UNKNOWN, item)

    def _sent(self, claim: Claim, delivery: Delivery, now: datetime) -> Finished:
        # The completion note went out: the course is finished until the person chooses.
        finished = delivery.item_id == COURSE_COMPLETE
        return Finished(
            claim, DeliveryStatus.SENT, delivery.item_id, advance=not finished, rest=finished
        )

    def _decide(self, claim: Claim, now: datetime) -> Delivery:
        subscriber = claim.subscriber
        verdict = _quiet(claim, now)
        silent = isinstance(verdict, SendNow) and verdict.silent
        if claim.kind in (Kind.TALK, Kind.CHECKIN):
            item = TALK_PROMPT if claim.kind is Kind.TALK else CHECKIN
            track = None
        elif isinstance(claim.state, Course):
            return self._lesson(claim.state, subscriber, silent)
        else:
            item = _routine_due(claim.state, claim.kind)
            track = None
        return Delivery(
            subscriber.id,
            subscriber.chat_id,
            claim.kind,
            item,
            subscriber.discreet,
            silent,
            track,
            language=subscriber.language,
        )

    def _lesson(self, course: Course, subscriber: Subscriber, silent: bool) -> Delivery:
        """The course's next unread lesson, the review's next, or the completion note."""
        catalog, position = self._catalog, course.position
        # Read once, then dropped: a tick that drains a million keeps a batch's, not all.
        profile = self._profiles.pop(subscriber.id, None)
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
            silent=silent,
            track=course.track,
            place=place,
            solo=solo(profile),
            language=subscriber.language,
        )


def retention_cutoff(now: datetime, retention: timedelta) -> date:
    """The first local date the log keeps: rows of earlier dates may go. Counted from the
    UTC date, with a day to spare for the zones ahead of UTC."""
    return local_date(now, "UTC") - retention - timedelta(days=1)


def _give_back(claim: Claim) -> Released | Held:
    """A claim not sent after all, due again when it was: one that waited out quiet hours
    waits again in its own day's log row, so it never takes the next day's place. A claim
    taken over after a crash does not know it waited; one due on a later local day than
    its own did (a hold past midnight), and one held within its day is safe either way."""
    moved_on = local_date(claim.due, claim.subscriber.timezone) != claim.local_date
    return Held(claim, claim.due) if claim.held or moved_on else Released(claim, claim.due)


def _quiet(claim: Claim, now: datetime) -> SendNow | HoldUntil:
    """The quiet-hours rule for a claim going out now: the same for every kind."""
    subscriber = claim.subscriber
    return quiet_verdict(now, subscriber.timezone, QuietHours.of(subscriber))


def _routine_due(reminders: Reminders, kind: Kind) -> str:
    if kind is Kind.SNOOZE and reminders.snoozed_routine is not None:
        return reminders.snoozed_routine
    return reminders.routines[reminders.rotation % len(reminders.routines)]


def _replan(claim: Claim, now: datetime) -> datetime | None:
    """The next due instant after this claim and after ``now`` (a long downtime moves
    straight past the days it missed), never again on the same local day. A snooze happens
    once, and so do the evening prompt and the check-in: the log plans the next ones."""
    state, subscriber = claim.state, claim.subscriber
    if claim.kind in (Kind.SNOOZE, Kind.TALK, Kind.CHECKIN):
        return None
    days = delivery_days(state) if isinstance(state, Course) else state.days
    return next_due(
        max(claim.due, now),
        subscriber.timezone,
        state.local_time,
        days,
        not_before_day=claim.local_date + timedelta(days=1),
    )
