"""The delivery engine against a real store: the at-most-once guarantee, and several
processes ticking on one PostgreSQL database."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from lessons import load_catalog
from lessons.model import Track
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, Engine, Outcome
from scheduler.model import Kind
from scheduler.store import Store
from tests.conftest import TEST_KEY

NOW = datetime(2026, 3, 23, 20, 0, tzinfo=UTC)


async def _due_lessons(store: Store, count: int, first_chat: int = 5000) -> None:
    """``count`` people whose daily lesson is due right now (20:00 UTC, every day)."""
    for chat_id in range(first_chat, first_chat + count):
        subscriber = await store.ensure_subscriber(chat_id)
        course = replace(
            await store.course(subscriber.id), active=True, local_time=time(20, 0), next_due=NOW
        )
        await store.save_course(course)


class Recorder:
    """A sender that remembers every delivery it was handed."""

    def __init__(self, crash_after_sending: bool = False) -> None:
        self.sent: list[Delivery] = []
        self.crash = crash_after_sending

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.sent.append(delivery)
        if self.crash:
            raise RuntimeError("the process died between sending and recording")
        return Outcome.SENT


async def test_a_crash_between_sending_and_recording_never_sends_twice(store: Store) -> None:
    """At most once: the claim is recorded before sending, so nothing is sent again."""
    await _due_lessons(store, 1)
    catalog, clock = load_catalog(), ManualClock(NOW)
    crashing = Recorder(crash_after_sending=True)
    report = await Engine(store, catalog, clock, crashing).tick()
    assert report.unknown == 1 and len(crashing.sent) == 1

    after_restart = Recorder()
    for minutes in (1, 30, 120):
        clock.set(NOW + timedelta(minutes=minutes))
        await Engine(store, catalog, clock, after_restart).tick()
    assert after_restart.sent == []
    subscriber = await store.find_subscriber(5000)
    assert subscriber is not None
    assert await store.last_delivery_day(subscriber.id, Kind.LESSON) == NOW.date()
    # The next day is delivered as usual, and the course was not moved on for the lost one.
    clock.set(NOW + timedelta(days=1))
    await Engine(store, catalog, clock, after_restart).tick()
    [tomorrow] = after_restart.sent
    day_one = catalog.lesson_for_day(Track.SELF, 1)
    assert day_one is not None and tomorrow.item_id == day_one.id


async def test_two_schedulers_on_one_database_deliver_each_lesson_once(
    store: Store, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share one database only on PostgreSQL")
    await _due_lessons(store, 2000)
    catalog = load_catalog()
    second_store = await Store.open(database_url, TEST_KEY)
    try:
        first, second = Recorder(), Recorder()
        engines = [
            Engine(store, catalog, ManualClock(NOW), first, batch=300),
            Engine(second_store, catalog, ManualClock(NOW), second, batch=300),
        ]
        for _ in range(6):  # enough rounds for 2,000 items in batches of 300 each
            await asyncio.gather(*(engine.tick() for engine in engines))
    finally:
        await second_store.close()
    deliveries = Counter(d.chat_id for d in first.sent + second.sent)
    assert len(deliveries) == 2000
    assert set(deliveries.values()) == {1}
    assert first.sent and second.sent  # both really took part


class Concurrent:
    """A sender that holds each send a moment and remembers how many overlapped."""

    def __init__(self, failing_chat: int | None = None) -> None:
        self.sent: list[Delivery] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.failing_chat = failing_chat

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.001)
        self.in_flight -= 1
        if delivery.chat_id == self.failing_chat:
            raise RuntimeError("this send's fate is unknown")
        self.sent.append(delivery)
        return Outcome.SENT


async def test_a_group_of_sends_runs_at_once_and_every_outcome_is_recorded(store: Store) -> None:
    await _due_lessons(store, 7)
    catalog = load_catalog()
    sender = Concurrent(failing_chat=5003)

    report = await Engine(store, catalog, ManualClock(NOW), sender, group=3).tick()

    assert sender.most_in_flight == 3, "the sends of a group should overlap, and no more"
    assert (report.sent, report.unknown) == (6, 1)
    day_one = catalog.lesson_for_day(Track.SELF, 1)
    assert day_one is not None
    stats = await store.stats(NOW)
    # The failed send's group mates are recorded; its own outcome is unknown: never resent.
    assert stats.deliveries_today == {"sent": 6, "unknown": 1}
    for delivery in sender.sent:
        course = await store.course(delivery.subscriber_id)
        assert (course.position, course.last_lesson_id) == (2, day_one.id)
    failed = await store.find_subscriber(5003)
    assert failed is not None and (await store.course(failed.id)).position == 1


def test_a_batch_or_group_below_one_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Engine(store, load_catalog(), ManualClock(NOW), Recorder(), group=0)
