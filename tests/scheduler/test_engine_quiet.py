"""Quiet hours in the delivery engine: a held item keeps its own day in the log, so a hold
neither repeats nor swallows a day's item, whatever happens while it waits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from lessons import load_catalog
from lessons.model import Track
from scheduler.clock import ManualClock
from scheduler.couple import Rhythm
from scheduler.delivery import Delivery, Engine, Outcome
from scheduler.model import DeliveryStatus, Kind, QuietMode, Subscriber
from scheduler.store import Store

EVENING = datetime(2026, 3, 23, 23, 0, tzinfo=UTC)
"""Monday 23:00 UTC: inside 22:00-08:00."""
MORNING = datetime(2026, 3, 24, 8, 0, tzinfo=UTC)


class Recorder:
    def __init__(self, outcome: Outcome = Outcome.SENT) -> None:
        self.sent: list[Delivery] = []
        self.outcome = outcome

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.sent.append(delivery)
        return self.outcome


async def _late_lessons(store: Store, mode: QuietMode = QuietMode.WAIT) -> Subscriber:
    """Someone in UTC whose lesson is at 23:00 every day, quiet 22:00-08:00."""
    subscriber = replace(await store.ensure_subscriber(7000), quiet_mode=mode)
    await store.save_subscriber(subscriber)
    course = replace(
        await store.course(subscriber.id), active=True, local_time=time(23, 0), next_due=EVENING
    )
    await store.save_course(course)
    return subscriber


async def _statuses(store: Store, subscriber: Subscriber) -> list[tuple[str, str]]:
    rows = (await store.export(subscriber.chat_id))["deliveries"]
    assert isinstance(rows, list)
    return sorted((str(r["local_date"]), str(r["status"])) for r in rows)


async def test_a_held_lesson_goes_at_the_end_and_keeps_its_day(store: Store) -> None:
    subscriber = await _late_lessons(store)
    catalog, clock, sender = load_catalog(), ManualClock(EVENING), Recorder()
    engine = Engine(store, catalog, clock, sender)
    report = await engine.tick()
    assert report.waiting == 1 and sender.sent == []
    assert await _statuses(store, subscriber) == [("2026-03-23", DeliveryStatus.HELD.value)]
    clock.set(MORNING - timedelta(minutes=1))
    assert (await engine.tick()).sent == 0
    clock.set(MORNING)
    assert (await engine.tick()).sent == 1
    [lesson] = sender.sent
    day_one = catalog.lesson_for_day(Track.SELF, 1)
    assert day_one is not None and lesson.item_id == day_one.id and not lesson.silent
    assert await _statuses(store, subscriber) == [("2026-03-23", "sent")]
    # Tuesday's own 23:00 lesson is still Tuesday's: held again, and sent on Wednesday.
    clock.set(EVENING + timedelta(days=1))
    assert (await engine.tick()).waiting == 1
    clock.set(MORNING + timedelta(days=1))
    assert (await engine.tick()).sent == 1
    day_two = catalog.lesson_for_day(Track.SELF, 2)
    assert day_two is not None and sender.sent[-1].item_id == day_two.id
    assert await _statuses(store, subscriber) == [("2026-03-23", "sent"), ("2026-03-24", "sent")]


async def test_a_failed_send_after_a_hold_waits_again_in_its_own_day(store: Store) -> None:
    subscriber = await _late_lessons(store)
    catalog, clock = load_catalog(), ManualClock(EVENING)
    await Engine(store, catalog, clock, Recorder()).tick()
    clock.set(MORNING)
    failing = Recorder(Outcome.RETRY)
    assert (await Engine(store, catalog, clock, failing).tick()).retried == 1
    assert await _statuses(store, subscriber) == [("2026-03-23", DeliveryStatus.HELD.value)]
    course = await store.course(subscriber.id)
    assert course.next_due == EVENING + timedelta(days=1)  # Tuesday's slot is untouched
    clock.set(MORNING + timedelta(minutes=1))
    sender = Recorder()
    assert (await Engine(store, catalog, clock, sender).tick()).sent == 1
    assert await _statuses(store, subscriber) == [("2026-03-23", "sent")]


async def test_silent_quiet_hours_send_lessons_at_once_without_sound(store: Store) -> None:
    await _late_lessons(store, QuietMode.SILENT)
    sender = Recorder()
    assert (await Engine(store, load_catalog(), ManualClock(EVENING), sender).tick()).sent == 1
    [lesson] = sender.sent
    assert lesson.silent


async def test_quiet_hours_off_send_lessons_with_sound(store: Store) -> None:
    await _late_lessons(store, QuietMode.OFF)
    sender = Recorder()
    assert (await Engine(store, load_catalog(), ManualClock(EVENING), sender).tick()).sent == 1
    [lesson] = sender.sent
    assert not lesson.silent


async def test_a_hold_for_someone_who_paused_is_skipped_when_they_come_back_late(
    store: Store,
) -> None:
    subscriber = await _late_lessons(store)
    catalog, clock, sender = load_catalog(), ManualClock(EVENING), Recorder()
    engine = Engine(store, catalog, clock, sender)
    await engine.tick()
    course = await store.course(subscriber.id)
    await store.save_course(replace(course, paused=True, next_due=None))
    clock.set(MORNING)
    assert (await engine.tick()).handled == 0
    await store.save_course(replace(course, paused=False))
    clock.set(MORNING + timedelta(hours=5))
    assert (await engine.tick()).skipped == 1 and sender.sent == []


async def test_a_held_lesson_taken_over_after_a_crash_keeps_its_day(store: Store) -> None:
    """The process that took the held lesson back died before sending it; the next one
    takes the claim over and cannot send it either: it waits again in Monday's row."""
    subscriber = await _late_lessons(store)
    catalog, clock = load_catalog(), ManualClock(EVENING)
    await Engine(store, catalog, clock, Recorder()).tick()
    clock.set(MORNING)
    assert len(await store.take_held(Kind.LESSON, MORNING, 10)) == 1  # then the process died
    clock.set(MORNING + timedelta(minutes=10))
    failing = Recorder(Outcome.RETRY)
    assert (await Engine(store, catalog, clock, failing).tick()).retried == 1
    assert await _statuses(store, subscriber) == [("2026-03-23", DeliveryStatus.HELD.value)]
    assert (await store.course(subscriber.id)).next_due == EVENING + timedelta(days=1)


async def test_a_partner_prompt_follows_its_own_persons_quiet_hours(store: Store) -> None:
    """Two linked people on a rhythm; the evening prompt (20:00) falls in Alex's quiet hours
    (19:30-21:00, held) and outside Sam's: Sam's goes; Alex's is dropped, not held, since at
    21:00 or the next morning "today's lesson reached both of you" would be about a day gone."""
    seven = datetime(2026, 3, 23, 19, 0, tzinfo=UTC)
    alex, sam = await store.ensure_subscriber(8001), await store.ensure_subscriber(8002)
    for person in (alex, sam):
        course = replace(
            await store.course(person.id), active=True, local_time=time(19, 0), next_due=seven
        )
        await store.save_course(course)
    assert await store.create_invite(alex.id, "hash-of-a-code", seven + timedelta(days=2))
    assert await store.join_invite("hash-of-a-code", sam.id, seven) is not None
    rhythm = Rhythm(frozenset(range(7)), time(19, 0))
    async with store.transaction() as tx:
        link = await tx.lock_link(alex.id)
        assert link is not None
        await tx.propose_rhythm(link, rhythm)
        answering = await tx.lock_link(sam.id)
        assert answering is not None and await tx.accept_rhythm(answering, rhythm)
    quiet = replace(
        alex, quiet_start=time(19, 30), quiet_end=time(21, 0), quiet_mode=QuietMode.WAIT
    )
    await store.save_subscriber(quiet)
    clock, sender = ManualClock(seven), Recorder()
    engine = Engine(store, load_catalog(), clock, sender)
    assert (await engine.tick()).sent == 2
    clock.set(seven + timedelta(hours=1))
    report = await engine.tick()
    assert report.kinds[Kind.TALK].sent == 1 and report.kinds[Kind.TALK].skipped == 1
    assert [d.subscriber_id for d in sender.sent if d.kind is Kind.TALK] == [sam.id]
    clock.set(seven + timedelta(hours=2))
    assert Kind.TALK not in (await engine.tick()).kinds
    assert [d.subscriber_id for d in sender.sent if d.kind is Kind.TALK] == [sam.id]
