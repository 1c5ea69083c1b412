"""4. The engine alone: claim, compose, record, with a sender that succeeds at once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from time import perf_counter

from benchmarks.delivery_bench.common import JSON, StatementTimer
from benchmarks.delivery_bench.population import due_store, statuses_since
from benchmarks.delivery_bench.processes import cpu_seconds
from bot.delivery import compose
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, Engine, Outcome


async def engine_worker(spec: JSON) -> JSON:
    """Claim, render and record, with a sender that never waits for Telegram."""
    path, tick = Path(spec["db"]), datetime.fromisoformat(spec["tick"])
    store, catalog = await due_store(path, spec["count"], tick)

    async def send(delivery: Delivery) -> Outcome:
        compose(delivery, catalog)  # the real rendering; then Telegram "accepts" at once
        return Outcome.SENT

    engine = Engine(store, catalog, ManualClock(tick), send, batch=spec["count"])
    # The timer costs a few microseconds a statement against milliseconds a lesson.
    with StatementTimer() as timer:
        cpu, started = cpu_seconds(), perf_counter()
        report = await engine.tick()
        elapsed, cpu = perf_counter() - started, cpu_seconds() - cpu
    await store.close()
    return {
        "count": spec["count"],
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "sent": report.sent,
        "statements": timer.summary(),
        "statuses": await statuses_since(path, tick),
    }
