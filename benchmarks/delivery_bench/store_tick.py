"""1. The store's tick: claim_due on a populated store, start-up, a backlog tick."""

from __future__ import annotations

import asyncio
import statistics
from datetime import datetime, timedelta
from functools import partial
from time import perf_counter
from typing import Any

from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.delivery_bench.common import BATCH, JSON, MINUTE, StatementTimer
from benchmarks.delivery_bench.databases import Backend
from benchmarks.delivery_bench.plan import Plan
from benchmarks.delivery_bench.population import (
    Rows,
    choose_window,
    due_per_minute,
    people,
    store_key,
    track_lengths,
)
from benchmarks.delivery_bench.processes import run_worker
from lessons import Catalog

# The engine's own replanning, so a measured claim does exactly the per-row work of a tick;
# if it is renamed this import fails loudly instead of measuring something else.
from scheduler.delivery import _replan as engine_replan
from scheduler.model import Kind
from scheduler.store import Store, database_url_from_setting


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


BACKLOG = timedelta(hours=1)
"""How far the backlog tick jumps: an hour of due lessons is a full batch from 100k up."""


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


async def store_worker(spec: JSON) -> JSON:
    """Start-up, then steady one-minute ticks, the cost of finding nothing, and a tick
    into an hour's backlog (a full batch) with its statements timed and its plan."""
    url, first = spec["url"], datetime.fromisoformat(spec["first_tick"])
    started = perf_counter()
    store = await Store.open(url)
    opened = perf_counter() - started
    first_ms, first_due = await claim_once(store, first)
    startup = perf_counter() - started
    ticks = [await claim_once(store, first + k * MINUTE) for k in range(1, spec["ticks"])]
    last = first + (spec["ticks"] - 1) * MINUTE
    empty_ms = await find_nothing(store, last)
    backlog = await profile_claim(store, url, last + BACKLOG)
    await store.close()
    return {
        "open_ms": opened * 1000,
        "startup_ms": startup * 1000,
        "first_tick": [first_ms * 1000, first_due],
        "ticks": [[seconds * 1000, due] for seconds, due in ticks],
        "empty_ms": empty_ms,
        "backlog": backlog,
        "fk_check_ms": await foreign_key_check_ms(url),
    }


def measure_store(backend: Backend, size: int, plan: Plan, catalog: Catalog) -> JSON:
    if plan.remaining(1) <= 0:  # populating a million rows is minutes the run has not got
        return {"backend": backend.name, "size": size, "error": "skipped: the budget is spent"}
    lengths = track_lengths(catalog)
    window = choose_window(due_per_minute(people(size, lengths)), plan.ticks)
    url = backend.create(size)
    try:
        asyncio.run(_migrate(url))
        started = perf_counter()
        rows = Rows(catalog, window.populated_at, store_key(url))
        backend.populate(url, people(size, lengths), rows)
        populate_s = perf_counter() - started
        spec = {"url": url, "first_tick": window.first_tick.isoformat(), "ticks": plan.ticks}
        result = run_worker("store", spec, plan.remaining(600))
    finally:
        backend.drop(url)
    result.update(backend=backend.name, size=size, populate_s=populate_s)
    result.update(median=window.median, mean=window.mean, peak=window.peak)
    return result


async def _migrate(url: str) -> None:
    store = await Store.open(url)
    await store.close()
