"""The real engine and store on a simulated clock: a whole day's lateness at Telegram's rate,
and the delivery log over many days.

Only the Bot API and the clock are simulated. ``VirtualTelegram`` accepts one message every
1/``rate`` s of simulated time (each send moves the clock on by that much, so the engine's
window of concurrent sends goes exactly at the rate), and the next tick comes 30 simulated
seconds after the last one ended, as ``bot.app.start_ticking`` plans it. Claims, drains,
records, re-plans and pruning are the real code on a real SQLite file."""

from __future__ import annotations

import statistics
from array import array
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from time import perf_counter, process_time

import sqlalchemy as sa

from benchmarks.delivery_bench.common import (
    BENCH_DAY,
    CHAT_BASE,
    JSON,
    MINUTE,
    progress,
    sqlite_url,
)
from benchmarks.delivery_bench.drain import percentile
from benchmarks.delivery_bench.population import (
    Rows,
    people,
    populate_sqlite,
    store_key,
    track_lengths,
)
from lessons import load_catalog
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, Engine, Outcome
from scheduler.store import Store
from scheduler.tables import courses, deliveries

TICK_REST = timedelta(seconds=30)
DAY = timedelta(days=1)


class VirtualTelegram:
    """Telegram taking exactly ``rate`` messages a second of simulated time; remembers how
    late each lesson was (sent minus due), in seconds."""

    def __init__(self, clock: ManualClock, rate: float, due: array[float]) -> None:
        self._clock = clock
        self._step = timedelta(seconds=1 / rate)
        self._due = due
        self.lateness: list[float] = []

    async def __call__(self, delivery: Delivery) -> Outcome:
        self._clock.advance(self._step)
        due = self._due[delivery.chat_id - CHAT_BASE]
        self.lateness.append(self._clock.now().timestamp() - due)
        return Outcome.SENT


async def lateness_day(folder: Path, size: int, rate: float) -> JSON:
    """The bench population's day at ``rate``: every lesson's lateness, from midnight UTC
    until the day's last one went out."""
    catalog = load_catalog()
    path = folder / f"day-{size}.db"
    start = datetime.combine(BENCH_DAY, time(), UTC)
    # Opened first: it writes the data key the rows seal chat ids with.
    store = await Store.open(sqlite_url(path))
    rows = Rows(catalog, start - MINUTE, store_key(sqlite_url(path)))
    due = array("d", [0.0]) * (size + 1)
    persons = list(people(size, track_lengths(catalog)))
    for person in persons:
        due[person.id] = rows.due(person).timestamp()
    try:
        progress(f"lateness: populating {size:,} (untimed)")
        populate_sqlite(path, persons, rows)
        del persons
        clock = ManualClock(start)
        telegram = VirtualTelegram(clock, rate, due)
        engine = Engine(store, catalog, clock, telegram, group=max(1, round(rate)))
        ticks, started = 0, perf_counter()
        progress(f"lateness: a simulated day at {rate:g}/s")
        while len(telegram.lateness) < size and clock.now() < start + 2 * DAY:
            await engine.tick()
            ticks += 1
            clock.advance(TICK_REST)
        wall = perf_counter() - started
    finally:
        await store.close()
    late = telegram.lateness
    return {
        "size": size,
        "rate": rate,
        "sent": len(late),
        "ticks": ticks,
        "wall_s": wall,
        "p50_s": statistics.median(late),
        "p95_s": percentile(late, 0.95),
        "max_s": max(late),
    }


class Instant:
    """A sender that succeeds at once: the log's days, not the send rate, are measured."""

    async def __call__(self, delivery: Delivery) -> Outcome:
        return Outcome.SENT


async def log_days(folder: Path, size: int, days: int, step: timedelta) -> JSON:
    """``days`` simulated days of the bench population, a tick every ``step``: the log's
    rows and the database's size at the end of each day, and the ticks' times. Positions
    are wound back each night so nobody finishes the course (a finished course rests and
    would stop adding rows), which is the log's worst case: everyone receives daily."""
    catalog = load_catalog()
    path = folder / f"days-{size}.db"
    start = datetime.combine(BENCH_DAY, time(), UTC)
    store = await Store.open(f"sqlite:///{path.resolve()}")
    per_day: list[JSON] = []
    try:
        progress(f"log: populating {size:,} (untimed)")
        rows = Rows(catalog, start - MINUTE, store_key(sqlite_url(path)))
        populate_sqlite(path, people(size, track_lengths(catalog)), rows)
        clock = ManualClock(start)
        engine = Engine(store, catalog, clock, Instant())
        for day in range(days):
            await _wind_back(path)
            tick_ms: list[float] = []
            tick_cpu_ms: list[float] = []
            pruned = sent = 0
            end = start + (day + 1) * DAY
            while clock.now() < end:
                began, cpu = perf_counter(), process_time()
                report = await engine.tick()
                tick_ms.append((perf_counter() - began) * 1000)
                # CPU time (this process, its SQLite thread included): other work on a
                # shared machine moves wall time far more than it moves this.
                tick_cpu_ms.append((process_time() - cpu) * 1000)
                pruned, sent = pruned + report.pruned, sent + report.sent
                clock.advance(step)
            rows, size_mib = await _log_size(path)
            per_day.append(
                {
                    "day": day + 1,
                    "rows": rows,
                    "db_mib": size_mib,
                    "sent": sent,
                    "pruned": pruned,
                    "tick_p50_ms": statistics.median(tick_ms),
                    "tick_max_ms": max(tick_ms),
                    "tick_cpu_p50_ms": statistics.median(tick_cpu_ms),
                }
            )
            progress(f"log: day {day + 1}: {rows:,} rows, {size_mib:.1f} MiB")
    finally:
        await store.close()
    return {"size": size, "days": days, "step_s": step.total_seconds(), "per_day": per_day}


async def _wind_back(path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{path.resolve()}")
    try:
        with engine.begin() as connection:
            connection.execute(sa.update(courses).where(courses.c.position > 15).values(position=2))
    finally:
        engine.dispose()


async def _log_size(path: Path) -> tuple[int, float]:
    engine = sa.create_engine(f"sqlite:///{path.resolve()}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.select(sa.func.count()).select_from(deliveries))
            count = int(rows.scalar_one())
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
            page = connection.exec_driver_sql("PRAGMA page_size").scalar_one()
    finally:
        engine.dispose()
    return count, int(pages) * int(page) / 2**20
