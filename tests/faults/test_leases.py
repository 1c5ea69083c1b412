"""Claims are leases: a claim whose process died before its send started is taken over
once its lease ran out, by any process; a send that started is never taken over."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from functools import partial

from lessons import load_catalog
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, Engine, Outcome
from scheduler.delivery import _replan as engine_replan
from scheduler.model import Kind
from scheduler.store import Store
from tests.conftest import TEST_KEY
from tests.faults.conftest import NOW, due_lessons, positions

LEASE = timedelta(minutes=5)


class Recorder:
    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.sent[delivery.chat_id] += 1
        return Outcome.SENT


def _engine(store: Store, clock: ManualClock, sender: Recorder) -> Engine:
    return Engine(store, load_catalog(), clock, sender, lease=LEASE)


async def _claimed_by_a_process_that_died(store: Store) -> list[int]:
    """Claim every lesson due at NOW, as a tick does, and never send: the process died."""
    claims = await store.claim_due(Kind.LESSON, NOW, 1000, partial(engine_replan, now=NOW))
    return [claim.subscriber.chat_id for claim in claims]


async def test_claims_whose_send_never_started_are_delivered_once_the_lease_runs_out(
    store: Store,
) -> None:
    chats = await due_lessons(store, 6)
    assert sorted(await _claimed_by_a_process_that_died(store)) == chats
    clock, sender = ManualClock(NOW + timedelta(minutes=1)), Recorder()
    engine = _engine(store, clock, sender)

    assert (await engine.tick()).handled == 0, "taken while the lease still held"
    clock.set(NOW + LEASE + timedelta(seconds=1))
    after = await engine.tick()
    clock.set(NOW + LEASE * 3)
    assert (await engine.tick()).handled == 0

    assert after.sent == len(chats)
    assert sender.sent == Counter(chats)
    assert await positions(store, chats) == dict.fromkeys(chats, 2)
    assert (await store.stats(NOW)).deliveries_today == {"sent": len(chats)}


async def test_a_claim_taken_over_past_the_grace_is_skipped(store: Store) -> None:
    """The grace counts from when the lesson was due, not from when it was taken over."""
    chats = await due_lessons(store, 2)
    await _claimed_by_a_process_that_died(store)
    sender = Recorder()
    report = await _engine(store, ManualClock(NOW + timedelta(hours=4)), sender).tick()
    assert (report.skipped, report.sent) == (2, 0)
    assert await positions(store, chats) == dict.fromkeys(chats, 1)


async def test_a_send_that_started_is_never_taken_over(store: Store) -> None:
    chats = await due_lessons(store, 3)
    claims = await store.claim_due(Kind.LESSON, NOW, 10, partial(engine_replan, now=NOW))
    started = await store.start_sending(claims[:1])  # then the process died mid-send
    assert started == claims[:1]
    clock, sender = ManualClock(NOW + LEASE * 2), Recorder()
    await _engine(store, clock, sender).tick()
    assert sender.sent == Counter(chats[1:])
    statuses = (await store.stats(NOW)).deliveries_today
    assert statuses == {"sent": 2, "sending": 1}


async def test_a_process_that_lost_its_lease_cannot_start_or_settle_the_send(
    store: Store,
) -> None:
    """A slow process whose claims were taken over meanwhile sends none of them."""
    await due_lessons(store, 2)
    slow = await store.claim_due(Kind.LESSON, NOW, 10, partial(engine_replan, now=NOW))
    later = NOW + LEASE * 2
    taken = await store.reclaim_expired(Kind.LESSON, later, later - LEASE, 10)
    assert {c.delivery_id for c in taken} == {c.delivery_id for c in slow}
    assert await store.start_sending(slow) == []
    assert await store.reclaim_expired(Kind.LESSON, later, later - LEASE, 10) == []
    assert await store.start_sending(taken) == taken


async def test_two_processes_taking_over_at_once_take_each_claim_once(
    store: Store, database_url: str
) -> None:
    await due_lessons(store, 40)
    await _claimed_by_a_process_that_died(store)
    later = NOW + LEASE * 2
    other = await Store.open(database_url, TEST_KEY)
    try:
        first, second = await asyncio.gather(
            *(s.reclaim_expired(Kind.LESSON, later, later - LEASE, 25) for s in (store, other))
        )
    finally:
        await other.close()
    ids = [c.delivery_id for c in first + second]
    assert len(ids) == len(set(ids)) == 40
