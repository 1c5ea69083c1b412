"""A backlog drained by the real Application through the stand-in: the sustained send rate,
replies' latency while it drains, paid broadcast, and the peak minute of a large population.

Each run is one ``Engine.tick()`` on a store whose due lessons outnumber a batch many times
over: the tick must drain them all at the configured rate. A prober sends ``/help`` from a
new chat every ``probe_every`` seconds meanwhile and times each update to its reply."""

from __future__ import annotations

import asyncio
import statistics
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from time import perf_counter, process_time

from benchmarks.delivery_bench.common import BENCH_DAY, CHAT_BASE, JSON, MINUTE, progress
from benchmarks.delivery_bench.population import (
    Rows,
    due_store,
    people,
    populate_sqlite,
    statuses_since,
    track_lengths,
)
from bot.app import BotApplication, build_application
from bot.context import Services, engine_of
from bot.settings import Settings
from bot.standin import ChatDriver, StandInBotAPI
from lessons import load_catalog, load_library
from scheduler.clock import ManualClock
from scheduler.store import Store

PROBE_CHAT = 5_000
"""Probing chats start here, well below the subscribers' (``CHAT_BASE`` up)."""
PEAK = datetime.combine(BENCH_DAY, time(16, 0), UTC)
"""The busiest UTC minute of the bench population (21:30 in India)."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Prober:
    """``/help`` from a new chat every ``every`` seconds, each timed from update to reply."""

    def __init__(self, application: BotApplication, api: StandInBotAPI, every: float) -> None:
        self._application = application
        self._api = api
        self._every = every
        self.latencies: list[float] = []

    async def run(self) -> None:
        chat = PROBE_CHAT
        while True:
            chat += 1
            driver = ChatDriver(self._application, self._api, chat_id=chat)
            started = perf_counter()
            await driver.send("/help")
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


async def drain(
    store: Store,
    path: Path,
    tick: datetime,
    *,
    rate: float,
    limit: float,
    paid: bool,
    probe_every: float,
) -> JSON:
    """One tick of the real app at ``rate`` (SEND_RATE) on a stand-in refusing more than
    ``limit`` a second, with replies probed meanwhile; then the log read back."""
    clock = ManualClock(tick)
    api = StandInBotAPI(clock=clock.now, max_per_second=limit)
    services = Services(store=store, library=load_library(), clock=clock)
    settings = Settings(send_rate=rate, paid_broadcast=paid)
    application = build_application(settings, services, request=api, rate_limited=True)
    await application.initialize()
    prober = Prober(application, api, probe_every)
    probing = asyncio.create_task(prober.run())
    started, cpu = perf_counter(), process_time()
    report = await engine_of(application).tick()
    elapsed, cpu = perf_counter() - started, process_time() - cpu
    probing.cancel()
    await application.shutdown()
    scheduled = [m for m in api.outgoing if m.chat_id >= CHAT_BASE]
    replies = len(api.outgoing) - len(scheduled)
    return {
        "rate": rate,
        "limit": limit,
        "paid": paid,
        "due": report.handled + report.released,
        "sent": report.sent,
        "rounds": report.rounds,
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "cpu_ms_per_message": cpu * 1000 / max(1, len(api.outgoing)),
        "scheduled_per_s": len(scheduled) / elapsed,
        "all_per_s": (len(scheduled) + replies) / elapsed,
        "chats": len({m.chat_id for m in scheduled}),
        "messages": len(scheduled),
        "rejected_429": api.rejected_by_rate_limit,
        "paid_flags": sum(
            1 for call in api.calls_to("sendMessage") if call.params.get("allow_paid_broadcast")
        ),
        "statuses": await statuses_since(path, tick),
        "replies": prober.summary(),
    }


async def backlog_run(
    folder: Path, count: int, *, rate: float, limit: float, paid: bool, probe_every: float
) -> JSON:
    """``count`` lessons all due at one instant, drained in one tick."""
    tick = PEAK
    path = folder / f"backlog-{count}-{int(rate)}.db"
    progress(f"drain: {count:,} due at {rate:g}/s (paid {paid})")
    store, _ = await due_store(path, count, tick)
    try:
        return await drain(
            store, path, tick, rate=rate, limit=limit, paid=paid, probe_every=probe_every
        )
    finally:
        await store.close()


async def peak_run(
    folder: Path, size: int, *, rate: float, limit: float, paid: bool, probe_every: float
) -> JSON:
    """The bench population of ``size``, as just before the peak minute, and the tick at
    it: the whole minute's due lessons drained, then judged against (due / rate) + 60 s."""
    catalog = load_catalog()
    path = folder / f"peak-{size}.db"
    store = await Store.open(f"sqlite:///{path.resolve()}")
    try:
        progress(f"peak: populating {size:,} (untimed)")
        started = perf_counter()
        populate_sqlite(path, people(size, track_lengths(catalog)), Rows(catalog, PEAK - MINUTE))
        populated = perf_counter() - started
        due = await _due_at(store, PEAK)
        progress(f"peak: {due:,} due at {PEAK:%H:%M} UTC; draining at {rate:g}/s")
        result = await drain(
            store, path, PEAK, rate=rate, limit=limit, paid=paid, probe_every=probe_every
        )
    finally:
        await store.close()
    return {**result, "size": size, "due_in_minute": due, "populate_s": populated}


async def _due_at(store: Store, instant: datetime) -> int:
    return (await store.stats(instant)).backlog


def allowed_seconds(due: int, rate: float) -> float:
    """The aim for draining a minute: its due lessons at the rate, plus a minute."""
    return due / rate + timedelta(minutes=1).total_seconds()
