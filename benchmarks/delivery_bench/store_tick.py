"""1. The store's tick: claim_due on a populated store, start-up, a backlog tick."""

from __future__ import annotations

import asyncio
import os
import statistics
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from time import perf_counter
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.delivery_bench.common import BATCH, JSON, MINUTE, StatementTimer
from benchmarks.delivery_bench.databases import Backend
from benchmarks.delivery_bench.kinds import AllKindsRows, choose_day, due_per_minute
from benchmarks.delivery_bench.plan import Plan
from benchmarks.delivery_bench.population import (
    people,
    store_key,
    track_lengths,
)
from benchmarks.delivery_bench.processes import run_worker
from lessons import Catalog

# The engine's own replanning, so a measured claim does exactly the per-row work of a tick;
# if it is renamed this import fails loudly instead of measuring something else.
from scheduler.delivery import _replan as engine_replan
from scheduler.model import DeliveryStatus, Kind
from scheduler.store import Finished, Store, database_url_from_setting


async def claim_once(store: Store, now: datetime) -> tuple[float, int]:
    """One tick's find-and-claim of lessons, exactly as Engine.tick calls it."""
    started = perf_counter()
    claims = await store.claim_due(Kind.LESSON, now, BATCH, partial(engine_replan, now=now))
    return perf_counter() - started, len(claims)


async def explain(url: str, statement: str, parameters: Any) -> list[str]:
    """The plan of the claim's SELECT, with the parameters it really ran with. On PostgreSQL
    EXPLAIN ANALYZE, in a transaction that is rolled back (it takes row locks)."""
    async_url = database_url_from_setting(url)
    engine = create_async_engine(async_url)
    sqlite_backend = async_url.startswith("sqlite")
    prefix = "EXPLAIN QUERY PLAN " if sqlite_backend else "EXPLAIN (ANALYZE, BUFFERS) "
    try:
        async with engine.connect() as connection:
            result = await connection.exec_driver_sql(prefix + statement, parameters)
            rows = result.all()
            await connection.rollback()
    finally:
        await engine.dispose()
    return [str(row[-1]) if sqlite_backend else str(row[0]) for row in rows]


BACKLOG = timedelta(days=1)
"""How far the backlog tick jumps: a day on, everyone's next lesson is due (a full batch
at every size), since nothing between the timed windows is due before tomorrow."""


async def profile_claim(store: Store, url: str, now: datetime) -> JSON:
    """A tick with every statement timed, and the plan of its SELECT."""
    with StatementTimer() as timer:
        seconds, due = await claim_once(store, now)
    plan = await explain(url, *timer.select) if timer.select is not None else []
    return {"ms": seconds * 1000, "due": due, "statements": timer.summary(), "plan": plan}


async def find_nothing(store: Store, now: datetime) -> float:
    """Milliseconds to find nothing due: drain what is left at ``now``, then time 5 more."""
    while (await claim_once(store, now))[1] == BATCH:
        pass
    return statistics.median([(await claim_once(store, now))[0] for _ in range(5)]) * 1000


async def foreign_key_check_ms(url: str) -> float | None:
    """What the SQLite foreign-key check that Store.open runs costs on its own."""
    async_url = database_url_from_setting(url)
    if not async_url.startswith("sqlite"):
        return None
    engine = create_async_engine(async_url)
    try:
        async with engine.connect() as connection:
            started = perf_counter()
            await connection.exec_driver_sql("PRAGMA foreign_key_check")
            return (perf_counter() - started) * 1000
    finally:
        await engine.dispose()


LEASE = timedelta(seconds=300)
"""The engine's default lease: claims older than this are taken over by a tick."""


async def tick_all_kinds(store: Store, now: datetime) -> tuple[float, int]:
    """The store's side of one tick, as ``Engine`` claims: for every kind, claims whose
    lease ran out, then what is due, up to a batch. Timed; recording the outcomes
    afterwards (``settle``, as if each was sent) is not, so no claim lingers to be taken
    over by a later tick."""
    started = perf_counter()
    claims = []
    for kind in Kind:
        taken = await store.reclaim_expired(kind, now, now - LEASE, BATCH)
        if len(taken) < BATCH:
            replan = partial(engine_replan, now=now)
            taken += await store.claim_due(kind, now, BATCH - len(taken), replan)
        claims += taken
    elapsed = perf_counter() - started
    await store.settle([Finished(claim, DeliveryStatus.SENT, None) for claim in claims])
    return elapsed, len(claims)


def evict_from_page_cache(url: str) -> bool:
    """Drop a SQLite database's pages from the kernel's page cache (and nobody else's), so
    the next process reads them from disk: a cold start. False on PostgreSQL, whose files
    are the server's."""
    path = make_url(database_url_from_setting(url)).database
    if not url.startswith("sqlite") or not path:
        return False
    for suffix in ("", "-wal"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            descriptor = os.open(file, os.O_RDONLY)
            try:
                os.fsync(descriptor)
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)
    return True


async def store_worker(spec: JSON) -> JSON:
    """A cold start (SQLite's pages evicted first), then one-minute ticks of every kind in
    each window (median, mean and peak minutes; the first tick of the first window is the
    cold one), the cost of finding nothing, and a lesson claim into a day's backlog (a
    full batch) with its statements timed and its plan."""
    url = spec["url"]
    cold = evict_from_page_cache(url)
    started = perf_counter()
    store = await Store.open(url)
    opened = perf_counter() - started
    windows = {name: datetime.fromisoformat(at) for name, at in spec["windows"].items()}
    order = sorted(windows, key=lambda name: windows[name])
    first_ms, first_due = await tick_all_kinds(store, windows[order[0]])
    startup = perf_counter() - started
    ticks: dict[str, list[list[float]]] = {}
    for name in order:
        skip = 1 if name == order[0] else 0
        minutes = [windows[name] + k * MINUTE for k in range(skip, spec["ticks"])]
        ticks[name] = [
            [ms * 1000, due] for ms, due in [await tick_all_kinds(store, m) for m in minutes]
        ]
    last = windows[order[-1]] + (spec["ticks"] - 1) * MINUTE
    empty_ms = await find_nothing(store, last)
    backlog = await profile_claim(store, url, last + BACKLOG)
    await store.close()
    return {
        "open_ms": opened * 1000,
        "startup_ms": startup * 1000,
        "cold": cold,
        "first_tick": [first_ms * 1000, first_due],
        "first_window": order[0],
        "windows": ticks,
        "ticks": ticks["median"],
        "empty_ms": empty_ms,
        "backlog": backlog,
        "fk_check_ms": await foreign_key_check_ms(url),
    }


def measure_store(backend: Backend, size: int, plan: Plan, catalog: Catalog) -> JSON:
    if plan.remaining(1) <= 0:  # populating a million rows is minutes the run has not got
        return {"backend": backend.name, "size": size, "error": "skipped: the budget is spent"}
    lengths = track_lengths(catalog)
    day = choose_day(due_per_minute(people(size, lengths)), plan.ticks)
    url = backend.create(size)
    try:
        asyncio.run(_migrate(url))
        started = perf_counter()
        backend.populate(url, people(size, lengths), AllKindsRows(catalog, day, store_key(url)))
        populate_s = perf_counter() - started
        windows = {window.name: window.first_tick.isoformat() for window in day.windows}
        spec = {"url": url, "windows": windows, "ticks": plan.ticks}
        result = run_worker("store", spec, plan.remaining(600))
    finally:
        backend.drop(url)
    result.update(backend=backend.name, size=size, populate_s=populate_s)
    result.update(median=day.median, mean=day.mean, peak=day.peak)
    result["window_due"] = {window.name: window.due for window in day.windows}
    return result


async def _migrate(url: str) -> None:
    store = await Store.open(url)
    await store.close()
