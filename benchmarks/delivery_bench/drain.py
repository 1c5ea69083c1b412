"""A backlog drained by the real Application through the stand-in: the sustained send rate,
replies' latency while it drains, paid broadcast, and the peak minute of a large population.

Each run is one ``Engine.tick()`` on a store whose due lessons outnumber a batch many times
over: the tick must drain them all at the configured rate. A prober sends ``/help`` from a
new chat every ``probe_every`` seconds meanwhile and times each update to its reply."""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from time import perf_counter, process_time, thread_time
from typing import Any

import httpx
from telegram import Update

from benchmarks.delivery_bench.common import (
    BENCH_DAY,
    CHAT_BASE,
    JSON,
    MINUTE,
    progress,
    sqlite_url,
)
from benchmarks.delivery_bench.population import (
    Rows,
    due_store,
    people,
    populate_sqlite,
    statuses_since,
    store_key,
    track_lengths,
)
from bot.app import BotApplication, build_application
from bot.context import Services, engine_of
from bot.runtime import keep_loaded_out_of_collections
from bot.settings import Settings
from bot.standin import ChatDriver, StandInBotAPI
from bot.standin.server import record
from lessons import load_catalog, load_library
from scheduler.clock import ManualClock
from scheduler.store import Store

PROBE_CHAT = 5_000
"""Probing chats start here, well below the subscribers' (``CHAT_BASE`` up)."""
ROOT = Path(__file__).resolve().parent.parent.parent
"""The checkout, where ``python -m bot.standin.server`` finds the package."""
PEAK = datetime.combine(BENCH_DAY, time(16, 0), UTC)
"""The busiest UTC minute of the bench population (21:30 in India)."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


Ask = Callable[[int], Awaitable[object]]
"""Send ``/help`` from a chat and return once the bot answered it."""


class Prober:
    """``/help`` from a new chat every ``every`` seconds, each timed from update to reply."""

    def __init__(self, ask: Ask, every: float) -> None:
        self._ask = ask
        self._every = every
        self.latencies: list[float] = []

    async def run(self) -> None:
        chat = PROBE_CHAT
        while True:
            chat += 1
            started = perf_counter()
            await self._ask(chat)
            self.latencies.append(perf_counter() - started)
            await asyncio.sleep(self._every)

    def summary(self) -> JSON:
        if not self.latencies:
            return {"replies": 0}
        return {
            "replies": len(self.latencies),
            "p50_s": statistics.median(self.latencies),
            "p95_s": percentile(self.latencies, 0.95),
            "max_s": max(self.latencies),
        }


class TimedStandIn(StandInBotAPI):
    """The stand-in, adding up the CPU time its own work takes in the bot's thread: reading
    each request, its HTML and keyboard, keeping the chat. Telegram does that on its own
    machines, so the bot's share is the process's CPU less this. A send never waits inside
    (its answer is computed at once), so the thread's CPU over the call is the stand-in's."""

    cpu_s = 0.0

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        started = thread_time()
        try:
            return await super().do_request(*args, **kwargs)
        finally:
            self.cpu_s += thread_time() - started


class InProcess:
    """The stand-in as a request object of the bot's own process, as the tests use it."""

    name = "in-process"

    def __init__(self, clock: ManualClock, limit: float) -> None:
        # Telegram's history of the run is no weight on the bot's process: see keep_sent.
        self.api = TimedStandIn(clock=clock.now, max_per_second=limit, keep_sent=False)

    def build(self, settings: Settings, services: Services) -> BotApplication:
        return build_application(settings, services, request=self.api, rate_limited=True)

    def asker(self, application: BotApplication) -> Ask:
        return lambda chat: ChatDriver(application, self.api, chat_id=chat).send("/help")

    def record(self) -> JSON:
        return {**record(self.api), "standin_cpu_s": self.api.cpu_s}

    def close(self) -> None:
        """Nothing runs apart."""


class OwnProcess:
    """The stand-in served over HTTP from a process of its own (``bot.standin.server``),
    reached through PTB's real HTTPXRequest: the bot's process does what it does with
    Telegram, and the stand-in's reading of each message runs elsewhere, as Telegram's does.
    ``/help`` comes as an update built here; the reply is in when the update is handled."""

    name = "own process"

    def __init__(self, limit: float) -> None:
        command = [sys.executable, "-m", "bot.standin.server", "--max-per-second", f"{limit:g}"]
        self._process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        self.url = f"http://127.0.0.1:{json.loads(self._process.stdout.readline())['port']}"
        self._updates = itertools.count(1)

    def build(self, settings: Settings, services: Services) -> BotApplication:
        settings = replace(settings, api_base_url=self.url)
        return build_application(settings, services, rate_limited=True)

    def asker(self, application: BotApplication) -> Ask:
        async def ask(chat: int) -> None:
            person = {"id": chat, "is_bot": False, "first_name": "Probe"}
            message = {
                "message_id": 1,
                "date": int(datetime.now(UTC).timestamp()),
                "chat": {"id": chat, "type": "private", "first_name": "Probe"},
                "from": person,
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            }
            data = {"update_id": next(self._updates), "message": message}
            await application.process_update(Update.de_json(data, application.bot))

        return ask

    def record(self) -> JSON:
        answer = httpx.get(f"{self.url}/standin/record", timeout=60)
        answer.raise_for_status()
        found: JSON = answer.json()
        return found

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)


Standin = InProcess | OwnProcess


def standin_for(where: str, clock: ManualClock, limit: float) -> Standin:
    return OwnProcess(limit) if where == "process" else InProcess(clock, limit)


async def drain(
    store: Store,
    path: Path,
    tick: datetime,
    *,
    rate: float,
    limit: float,
    paid: bool,
    probe_every: float,
    standin: str = "inline",
) -> JSON:
    """One tick of the real app at ``rate`` (SEND_RATE) on a stand-in refusing more than
    ``limit`` a second, with replies probed meanwhile; then the log read back. ``standin``:
    "process" (its own, over HTTP) or "inline" (a request object in this process)."""
    clock = ManualClock(tick)
    api = standin_for(standin, clock, limit)
    try:
        services = Services(store=store, library=load_library(), clock=clock)
        application = api.build(Settings(send_rate=rate, paid_broadcast=paid), services)
        await application.initialize()
        keep_loaded_out_of_collections()  # as `softlanding run` does once it has started
        prober = Prober(api.asker(application), probe_every)
        probing = asyncio.create_task(prober.run())
        started, cpu = perf_counter(), process_time()
        report = await engine_of(application).tick()
        elapsed, cpu = perf_counter() - started, process_time() - cpu
        probing.cancel()
        await application.shutdown()
        sent = api.record()
    finally:
        api.close()
    scheduled = [chat for chat in sent["chats"] if chat >= CHAT_BASE]
    replies = len(sent["chats"]) - len(scheduled)
    return {
        "rate": rate,
        "limit": limit,
        "paid": paid,
        "standin": api.name,
        "due": report.handled + report.released,
        "sent": report.sent,
        "rounds": report.rounds,
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "cpu_ms_per_message": cpu * 1000 / max(1, len(sent["chats"])),
        # Only known in-process: the stand-in's own share of the process's CPU.
        "standin_cpu_s": sent.get("standin_cpu_s"),
        "scheduled_per_s": len(scheduled) / elapsed,
        "all_per_s": (len(scheduled) + replies) / elapsed,
        "chats": len(set(scheduled)),
        "messages": len(scheduled),
        "rejected_429": sent["rejected_by_rate_limit"],
        "paid_flags": sent["paid_flags"],
        "statuses": await statuses_since(path, tick),
        "replies": prober.summary(),
    }


async def backlog_run(
    folder: Path,
    count: int,
    *,
    rate: float,
    limit: float,
    paid: bool,
    probe_every: float,
    standin: str = "inline",
) -> JSON:
    """``count`` lessons all due at one instant, drained in one tick."""
    tick = PEAK
    path = folder / f"backlog-{count}-{int(rate)}.db"
    progress(f"drain: {count:,} due at {rate:g}/s (paid {paid})")
    store, _ = await due_store(path, count, tick)
    try:
        return await drain(
            store,
            path,
            tick,
            rate=rate,
            limit=limit,
            paid=paid,
            probe_every=probe_every,
            standin=standin,
        )
    finally:
        await store.close()


async def peak_run(
    folder: Path,
    size: int,
    *,
    rate: float,
    limit: float,
    paid: bool,
    probe_every: float,
    standin: str = "inline",
) -> JSON:
    """The bench population of ``size``, as just before the peak minute, and the tick at
    it: the whole minute's due lessons drained, then judged against (due / rate) + 60 s."""
    catalog = load_catalog()
    path = folder / f"peak-{size}.db"
    store = await Store.open(sqlite_url(path))
    try:
        progress(f"peak: populating {size:,} (untimed)")
        started = perf_counter()
        rows = Rows(catalog, PEAK - MINUTE, store_key(sqlite_url(path)))
        populate_sqlite(path, people(size, track_lengths(catalog)), rows)
        populated = perf_counter() - started
        due = await _due_at(store, PEAK)
        progress(f"peak: {due:,} due at {PEAK:%H:%M} UTC; draining at {rate:g}/s")
        result = await drain(
            store,
            path,
            PEAK,
            rate=rate,
            limit=limit,
            paid=paid,
            probe_every=probe_every,
            standin=standin,
        )
    finally:
        await store.close()
    return {**result, "size": size, "due_in_minute": due, "populate_s": populated}


async def _due_at(store: Store, instant: datetime) -> int:
    return (await store.stats(instant)).backlog


def allowed_seconds(due: int, rate: float) -> float:
    """The aim for draining a minute: its due lessons at the rate, plus a minute."""
    return due / rate + timedelta(minutes=1).total_seconds()
