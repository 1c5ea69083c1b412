"""A tick that drains: a backlog larger than a batch goes out in one tick, a stop still ends
it within a group, a retry ends it for the next tick, and the delivery log is pruned past its
retention, a bounded chunk at a time, never a row the never-twice rule still needs."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from lessons import load_catalog
from scheduler.clock import ManualClock
from scheduler.delivery import DEFAULT_RETENTION, Delivery, Engine, Outcome, retention_cutoff
from scheduler.model import DeliveryStatus, Kind
from scheduler.store import Store
from scheduler.store.outcomes import OutcomeOperations

NOW = datetime(2026, 3, 23, 20, 0, tzinfo=UTC)
FIRST_CHAT = 6000


async def _due_lessons(store: Store, count: int) -> None:
    for chat_id in range(FIRST_CHAT, FIRST_CHAT + count):
        subscriber = await store.ensure_subscriber(chat_id)
        course = replace(
            await store.course(subscriber.id), active=True, local_time=time(20, 0), next_due=NOW
        )
        await store.save_course(course)


class Recorder:
    def __init__(self, outcome: Outcome = Outcome.SENT) -> None:
        self.sent: list[Delivery] = []
        self.outcome = outcome

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.sent.append(delivery)
        return self.outcome


class Gated:
    """Sends that hang until the test opens the gate."""

    def __init__(self) -> None:
        self.started = 0
        self.first = asyncio.Event()
        self.gate = asyncio.Event()

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.started += 1
        self.first.set()
        await self.gate.wait()
        return Outcome.SENT


async def test_a_backlog_larger_than_a_batch_drains_in_one_tick(store: Store) -> None:
    await _due_lessons(store, 25)
    sender = Recorder()
    engine = Engine(store, load_catalog(), ManualClock(NOW), sender, batch=10, group=3)

    report = await engine.tick()

    assert report.sent == 25, "the tick stopped after one batch"
    assert report.rounds == 3, "two full batches and the rest"
    assert report.kinds[Kind.LESSON].sent == 25
    assert set(Counter(d.chat_id for d in sender.sent).values()) == {1}
    assert (await store.stats(NOW)).backlog == 0
    assert (await engine.tick()).sent == 0, "nothing left for the next tick"


async def test_a_stop_ends_the_drain_within_a_group(store: Store) -> None:
    await _due_lessons(store, 25)
    sender = Gated()
    engine = Engine(store, load_catalog(), ManualClock(NOW), sender, batch=10, group=4)
    ticking = asyncio.create_task(engine.tick())
    await sender.first.wait()

    stopping = asyncio.create_task(engine.stop())
    await asyncio.sleep(0)
    assert not stopping.done(), "the stop did not wait for the group in flight"
    sender.gate.set()
    await stopping
    report = await ticking

    assert (report.sent, report.released, sender.started) == (4, 6, 4)
    stats = await store.stats(NOW)
    assert stats.deliveries_today == {"sent": 4}, "a claim was left behind"
    assert stats.backlog == 21, "the rest of the batch and the batches never claimed are due"


class OneAtATime:
    """Sends that end one at a time, 20 ms apart, as Telegram's answers come in (slower than
    a turn of the engine's, so each could be recorded alone); says, at each start, how many
    were started and not yet recorded."""

    def __init__(self, recorded: list[int]) -> None:
        self.recorded = recorded
        self.started = 0
        self.unrecorded: list[int] = []
        self._answering = asyncio.Lock()

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.started += 1
        self.unrecorded.append(self.started - sum(self.recorded))
        async with self._answering:
            await asyncio.sleep(0.02)
        return Outcome.SENT


async def test_outcomes_are_recorded_several_at_a_time_never_more_than_a_group(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction for several ended sends, not one each (at paid broadcast's rate that
    was a database round trip per message); and never more than a group started and not
    yet recorded, which is what a crash can cost."""
    recorded: list[int] = []
    settle = OutcomeOperations.settle

    async def counted(self: OutcomeOperations, outcomes: Sequence[object]) -> None:
        if outcomes:
            recorded.append(len(outcomes))
        await settle(self, outcomes)  # type: ignore[arg-type]

    monkeypatch.setattr(OutcomeOperations, "settle", counted)
    await _due_lessons(store, 40)
    sender = OneAtATime(recorded)
    engine = Engine(store, load_catalog(), ManualClock(NOW), sender, batch=40, group=8)

    report = await engine.tick()

    assert report.sent == sum(recorded) == 40
    assert max(sender.unrecorded) <= 8, "more than a group started and unrecorded"
    assert len(recorded) <= 25, f"a transaction for nearly every send: {recorded}"
    assert (await store.stats(NOW)).deliveries_today == {"sent": 40}


async def test_the_next_batch_is_claimed_while_the_last_quarter_of_one_waits(
    store: Store,
) -> None:
    """The sends never wait for the database: the next batch is read while the last
    quarter of the one before is still to start."""
    await _due_lessons(store, 16)
    claimed_meanwhile: list[int] = []

    async def seventh_waits_for_the_next_batch(delivery: Delivery) -> Outcome:
        sent = len(claimed_meanwhile) + 1
        if sent == 7:
            # Two of the first eight still wait: the next eight should be claimed now.
            async with asyncio.timeout(5):
                while (await store.stats(NOW)).deliveries_today.get("claimed", 0) < 9:
                    await asyncio.sleep(0.01)
        claimed_meanwhile.append(sent)
        return Outcome.SENT

    engine = Engine(
        store, load_catalog(), ManualClock(NOW), seventh_waits_for_the_next_batch, batch=8, group=1
    )

    report = await engine.tick()

    assert report.sent == 16 and report.rounds >= 2


async def test_a_retry_ends_the_drain_until_the_next_tick(store: Store) -> None:
    await _due_lessons(store, 25)
    sender = Recorder(Outcome.RETRY)
    engine = Engine(store, load_catalog(), ManualClock(NOW), sender, batch=10, group=5)

    report = await engine.tick()

    assert (report.rounds, report.retried) == (1, 10), "a failing Telegram was tried in a loop"
    assert (await store.stats(NOW)).backlog == 25


async def _log_days(store: Store, subscriber_id: int, days: list[date]) -> None:
    for day in days:
        await store.log_delivery(
            subscriber_id, Kind.LESSON, day, "lesson", DeliveryStatus.SENT, at=NOW
        )


async def test_pruning_removes_only_rows_past_the_retention_in_bounded_chunks(
    store: Store,
) -> None:
    person = await store.ensure_subscriber(FIRST_CHAT)
    cutoff = retention_cutoff(NOW, DEFAULT_RETENTION)
    old = [cutoff - timedelta(days=n) for n in range(1, 8)]
    kept = [cutoff + timedelta(days=n) for n in range(0, 3)] + [NOW.date()]
    await _log_days(store, person.id, old + kept)
    engine = Engine(store, load_catalog(), ManualClock(NOW), Recorder(), prune_chunk=3)

    pruned = [(await engine.tick()).pruned for _ in range(4)]

    assert pruned == [3, 3, 1, 0], "not in chunks of at most three"
    assert await store.delivery_count(person.id) == len(kept)
    assert await store.last_delivery_day(person.id, Kind.LESSON) == NOW.date()


async def test_pruning_keeps_what_the_never_twice_rule_needs(store: Store) -> None:
    """Today's lesson, already sent, is still in the log after pruning: it is not sent again,
    in any zone, even with a retention of a single day."""
    await _due_lessons(store, 1)
    sender = Recorder()
    clock = ManualClock(NOW)
    engine = Engine(store, load_catalog(), clock, sender, retention=timedelta(days=1))
    assert (await engine.tick()).sent == 1
    person = await store.find_subscriber(FIRST_CHAT)
    assert person is not None
    course = await store.course(person.id)
    await store.save_course(replace(course, next_due=NOW + timedelta(minutes=5)))

    clock.set(NOW + timedelta(minutes=5))
    report = await engine.tick()

    assert report.sent == 0 and len(sender.sent) == 1, "the day's lesson went out twice"
    assert await store.last_delivery_day(person.id, Kind.LESSON) == NOW.date()
