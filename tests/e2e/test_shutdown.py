"""SIGTERM in the middle of a fan-out: updates stop, the group of sends in flight finishes
and is recorded, the rest of the batch is given back due, and nothing is left claimed."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import UTC, datetime, time

from bot.context import Services, engine_of
from bot.runtime import running, until_stopped
from bot.settings import Settings
from bot.standin import StandInBotAPI
from lessons import load_library
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, Outcome
from scheduler.store import Store

NOW = datetime(2026, 3, 23, 20, 0, tzinfo=UTC)
PEOPLE = 40
GROUP = 4


async def _due_lessons(store: Store) -> None:
    for chat_id in range(7000, 7000 + PEOPLE):
        subscriber = await store.ensure_subscriber(chat_id)
        course = replace(
            await store.course(subscriber.id), active=True, local_time=time(20, 0), next_due=NOW
        )
        await store.save_course(course)


class SlowTelegram:
    """A sender whose messages hang until the test lets them through."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.gate = asyncio.Event()
        self.sent: list[Delivery] = []

    async def __call__(self, delivery: Delivery) -> Outcome:
        self.started.set()
        await self.gate.wait()
        self.sent.append(delivery)
        return Outcome.SENT


async def test_sigterm_during_a_fan_out_loses_nothing(store: Store) -> None:
    await _due_lessons(store)
    clock = ManualClock(NOW)
    services = Services(store=store, library=load_library(), clock=clock)
    settings = Settings(
        send_rate=GROUP,  # the engine sends GROUP at once: about one second's worth
        webhook_url="https://bot.example.org/telegram",
        webhook_secret="secret",
        webhook_listen="127.0.0.1",
    )
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    slow = SlowTelegram()
    stack = AsyncExitStack()
    app = await stack.enter_async_context(
        running(settings, services, request=StandInBotAPI(), sockets=[listening], sender=slow)
    )
    engine = engine_of(app)
    fan_out = asyncio.create_task(engine_of(app).tick())
    await slow.started.wait()

    waiting = asyncio.create_task(until_stopped())
    await asyncio.sleep(0)  # the signal handlers are in place
    os.kill(os.getpid(), signal.SIGTERM)
    await waiting
    stopping = asyncio.create_task(stack.aclose())
    while not engine.stopping:
        await asyncio.sleep(0.001)
    assert not stopping.done(), "the stop did not wait for the sends in flight"
    slow.gate.set()
    await stopping
    report = await fan_out
    listening.close()

    assert (report.sent, report.released) == (GROUP, PEOPLE - GROUP)
    stats = await store.stats(NOW)
    assert stats.deliveries_today == {"sent": GROUP}, "a claim was left behind"
    assert stats.backlog == PEOPLE - GROUP, "what was not sent is due again for the next start"


async def test_polling_mode_polls_ticks_and_stops_in_order(store: Store) -> None:
    services = Services(store=store, library=load_library(), clock=ManualClock(NOW))
    api = StandInBotAPI()
    async with running(Settings(), services, request=api) as app:
        assert app.updater is not None and app.updater.running
        assert app.job_queue is not None
        # The delivery tick, and the retry of erases that failed: nothing else.
        jobs = sorted(job.name or "" for job in app.job_queue.jobs())
        assert jobs == ["delivery-tick", "finish_owed_erases"], jobs
        # Blocking and unblocking the bot reach it only as my_chat_member updates.
        async with asyncio.timeout(5):
            while not api.calls_to("getUpdates"):
                await asyncio.sleep(0.01)
        assert "my_chat_member" in api.calls_to("getUpdates")[0].params["allowed_updates"]
    assert not app.running and not app.updater.running
    assert api.calls_to("setWebhook") == []
    assert engine_of(app).stopping
