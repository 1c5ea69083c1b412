"""Faults between the bot and Telegram, over real HTTP on 127.0.0.1: whatever goes wrong,
no one gets a message twice, and nothing that certainly did not arrive is lost."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from contextlib import ExitStack

import pytest

from scheduler.clock import ManualClock
from scheduler.store import Store
from tests.faults.conftest import LATER, NOW, Slept, due_lessons, engine_for, positions, real_bot
from tests.faults.fake_bot_api import FakeBotAPI, Fault


@pytest.mark.parametrize("fault", [Fault.STALL, Fault.DROP, Fault.RESET])
async def test_a_send_telegram_may_have_accepted_is_never_sent_again(
    store: Store, fault: Fault
) -> None:
    """STALL: accepted, but the answer misses PTB's read timeout. DROP: accepted, then the
    connection closes unanswered. RESET: accepted, then the connection is reset, which is
    what a reset after the request was written looks like. The bot cannot know, so it never
    resends."""
    chats = await due_lessons(store, 5)
    unlucky = chats[0]
    api = FakeBotAPI()
    api.fail(unlucky, fault)
    clock = ManualClock(NOW)
    with api.serving() as url:
        async with real_bot(url, read_timeout=0.3) as bot:
            engine = engine_for(store, bot, clock, Slept())
            first = await engine.tick()
            for later in LATER:
                clock.set(NOW + later)
                assert (await engine.tick()).handled == 0
            api.release()

    assert api.chats() == Counter(chats), "every chat got exactly one message"
    assert (first.sent, first.unknown, first.retried) == (4, 1, 0)
    assert (await store.stats(NOW)).deliveries_today == {"sent": 4, "unknown": 1}
    # The course does not move on for a lesson that may not have arrived.
    assert await positions(store, chats) == {chat: 1 if chat == unlucky else 2 for chat in chats}


async def test_error_answers_are_retried_and_a_block_stops_the_sending(store: Store) -> None:
    """A 429 or a 5xx is Telegram's answer that it delivered nothing; a 403 is a block."""
    chats = await due_lessons(store, 6)
    flooded, failing, blocking = chats[:3]
    api = FakeBotAPI()
    api.fail(flooded, Fault.TOO_MANY)
    api.fail(failing, Fault.SERVER_ERROR, Fault.SERVER_ERROR)
    api.fail(blocking, Fault.BLOCKED)
    clock, slept = ManualClock(NOW), Slept()
    with api.serving() as url:
        async with real_bot(url, read_timeout=2.0) as bot:
            engine = engine_for(store, bot, clock, slept)
            first = await engine.tick()
            for later in LATER:
                clock.set(NOW + later)
                assert (await engine.tick()).handled == 0

    assert api.chats() == Counter(chat for chat in chats if chat != blocking)
    assert api.requests["sendMessage"] == len(chats) + 1 + 2, "each refusal was tried again"
    assert (first.sent, first.blocked, first.unknown, first.retried) == (5, 1, 0, 0)
    assert 1.0 in slept.seconds, "the 429's retry_after was waited out"
    blocked = await store.find_subscriber(blocking)
    assert blocked is not None and blocked.blocked


async def test_connection_refused_leaves_everything_due_until_telegram_is_back(
    store: Store,
) -> None:
    """Refused before a byte was written: certainly not delivered, so sent later, once."""
    chats = await due_lessons(store, 4)
    api = FakeBotAPI()
    clock = ManualClock(NOW)
    with ExitStack() as telegram:
        url = telegram.enter_context(api.serving())
        port = int(url.rsplit(":", 1)[1])
        async with real_bot(url, read_timeout=2.0) as bot:
            engine = engine_for(store, bot, clock, Slept())
            telegram.close()  # Telegram is gone: its port refuses connections
            down = await engine.tick()
            with api.serving(port):
                clock.set(NOW + LATER[0])
                back = await engine.tick()
                for later in LATER[1:]:
                    clock.set(NOW + later)
                    assert (await engine.tick()).handled == 0

    assert (down.retried, down.sent, down.unknown) == (len(chats), 0, 0)
    assert back.sent == len(chats)
    assert api.chats() == Counter(chats)
    assert await positions(store, chats) == dict.fromkeys(chats, 2)


@pytest.mark.skipif(shutil.which("ss") is None, reason="reads the backlog with iproute2's ss")
def test_the_fake_telegram_holds_a_group_of_connections_before_accepting_them() -> None:
    """A group of sends opens that many connections at once. With socketserver's default
    backlog of 5, the kernel reset some of them before the server had read a byte, and the
    bot, which cannot tell that from a reset after Telegram accepted, rightly recorded
    them as unknown: people got nothing because of the fake, not the bot."""
    group = 30  # ``engine_for``'s, and the engine's at 30 msg/s
    with FakeBotAPI().serving() as url:
        port = url.rsplit(":", 1)[1]
        listing = subprocess.run(
            ["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True, check=True
        ).stdout
    [listening] = listing.splitlines()
    backlog = int(listening.split()[2])  # Send-Q, for a listening socket its backlog
    assert backlog >= 2 * group
