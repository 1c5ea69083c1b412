"""A chat that stalls holds one place in the window of sends, never the others; a send
past its deadline is given up as unknown and never sent again."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from lessons import load_catalog
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, Engine, Outcome
from scheduler.store import Store
from tests.faults.conftest import LATER, NOW, Slept, due_lessons, engine_for, positions, real_bot
from tests.faults.fake_bot_api import FakeBotAPI, Fault

# Far longer than any test here needs: reaching it means the tick was stuck.
BOUND = 20.0


async def test_stalled_chats_do_not_hold_the_rest_of_the_group(store: Store) -> None:
    """One chat in ten stalls until every other chat has its message. Had the stalled sends
    held their group, the others could never all arrive and the tick would hang."""
    chats = await due_lessons(store, 20)
    stalled = chats[::10]
    api = FakeBotAPI(release_after=len(chats))
    for chat in stalled:
        api.fail(chat, Fault.STALL)
    with api.serving() as url:
        # A read timeout beyond the bound: only the other sends can let the stalled ones go.
        async with real_bot(url, read_timeout=BOUND * 2) as bot:
            engine = engine_for(store, bot, ManualClock(NOW), Slept(), group=3)
            report = await asyncio.wait_for(engine.tick(), timeout=BOUND)

    assert report.sent == len(chats)
    assert api.chats() == Counter(chats)


class Hanging:
    """A sender for which one chat never answers, as with a connection that hangs."""

    def __init__(self, hanging_chat: int) -> None:
        self.hanging_chat = hanging_chat
        self.calls: Counter[int] = Counter()

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.calls[delivery.chat_id] += 1
        if delivery.chat_id == self.hanging_chat:
            await asyncio.Event().wait()
        return Outcome.SENT


async def test_a_send_past_its_deadline_is_unknown_and_never_resent(store: Store) -> None:
    chats = await due_lessons(store, 4)
    hanging = Hanging(chats[1])
    clock = ManualClock(NOW)
    catalog = load_catalog()
    engine = Engine(store, catalog, clock, hanging, group=2, deadline=timedelta(seconds=0.2))

    first = await asyncio.wait_for(engine.tick(), timeout=BOUND)
    for later in LATER:
        clock.set(NOW + later)
        assert (await engine.tick()).handled == 0

    assert (first.sent, first.unknown) == (3, 1)
    assert hanging.calls == Counter(chats), "the hanging chat was tried once, never again"
    assert (await store.stats(NOW)).deliveries_today == {"sent": 3, "unknown": 1}
    assert await positions(store, chats) == {c: 1 if c == chats[1] else 2 for c in chats}
