"""Delivery benchmarks: can one due-queue tick serve a million subscribers?

    python benchmarks/delivery.py [--sizes 10000,100000,1000000] [--postgres URL] [--quick]

Five measurements, each printed next to the aim it answers (see benchmarks/README.md):

1. The store's tick: ``Store.claim_due(Kind.LESSON, ...)`` on SQLite (and PostgreSQL with
   ``--postgres``) holding N subscribers, ticked once a minute in a steady state; plus the
   start-up (``Store.open`` and the first claim) and peak memory of that process.
2. The pattern the design rejects: one PTB JobQueue ``run_daily`` job per subscriber.
3. The send rate of the real Application (AIORateLimiter) against a stand-in Bot API that
   refuses more than 30 messages a second, and whether every claimed lesson ends 'sent'.
4. The engine alone (claim, compose, record) with a sender that succeeds at once.
5. One update's processing time, the real bot's ``/help`` and ``/lesson`` next to a bare
   PTB echo bot, both through the same stand-in, and one store call on its own.

Every measurement runs in a fresh child process (this script again, with ``--worker``), so
its peak memory (VmHWM from ``/proc/self/status``: the peak resident set of that process
image, see ``peak_rss_mib``) is its own and a runaway one is killed on its own timeout.
The parent populates the databases, untimed, with bulk inserts straight into
``scheduler.tables``. Nothing talks to a network: the Bot API is the in-process
stand-in, and PostgreSQL must listen on the loopback interface. Temporary files live in one
directory, and temporary PostgreSQL databases are dropped, however the run ends.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, partial
from importlib import metadata
from itertools import accumulate, islice
from pathlib import Path
from time import monotonic, perf_counter
from typing import Any, Protocol

import sqlalchemy as sa
import telegram
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackContext,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, RequestData

from bot.app import OFFLINE_TOKEN, build_application
from bot.context import Services, engine_of
from bot.delivery import compose
from bot.settings import Settings
from bot.standin import ChatDriver, StandInBotAPI
from bot.ui.when import COMMON_TIMES
from lessons import Catalog, Track, load_catalog
from scheduler.clock import ManualClock
from scheduler.delivery import Delivery, Engine, Outcome

# The engine's own replanning, so a measured claim does exactly the per-row work of a tick;
# if it is renamed this import fails loudly instead of measuring something else.
from scheduler.delivery import _replan as engine_replan
from scheduler.model import EVERY_DAY, Kind
from scheduler.store import Store, database_url_from_setting
from scheduler.tables import courses, deliveries, subscribers
from scheduler.timing import next_due, wall_clock_instant, zone_info

JSON = dict[str, Any]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

MINUTE = timedelta(minutes=1)
BATCH = 1000
"""The engine's default batch: what one tick claims at most."""
RATE_LIMIT = 30
"""Telegram's overall limit, messages a second, as the stand-in enforces it."""
CHAT_BASE = 1_000_000_000
LOAD_BATCH = 20_000
"""Rows per bulk insert while populating: large enough to be fast, small enough for memory."""
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

BENCH_DAY = date(2026, 4, 15)
"""A Wednesday clear of every DST change in ZONES (Chile, New Zealand and Australia changed
on 5 April, Egypt changes on 24 April), so each person's UTC minute is the same all day."""

# Where people live, weighted roughly by where Telegram's users are: whole, half and
# three-quarter hour offsets, DST in both hemispheres, and the bot's own fixed "UTC+hh:mm".
ZONES: tuple[tuple[str, int], ...] = (
    ("Asia/Kolkata", 12),
    ("Europe/Moscow", 8),
    ("Asia/Jakarta", 6),
    ("America/New_York", 6),
    ("America/Sao_Paulo", 5),
    ("Europe/Berlin", 5),
    ("America/Los_Angeles", 4),
    ("Europe/London", 4),
    ("America/Chicago", 3),
    ("Europe/Paris", 3),
    ("Europe/Kyiv", 3),
    ("Europe/Istanbul", 3),
    ("Asia/Tehran", 3),
    ("Africa/Cairo", 3),
    ("America/Mexico_City", 2),
    ("Europe/Madrid", 2),
    ("Europe/Rome", 2),
    ("Africa/Lagos", 2),
    ("Asia/Tashkent", 2),
    ("Asia/Karachi", 2),
    ("Asia/Ho_Chi_Minh", 2),
    ("Asia/Manila", 2),
    ("America/Denver", 1),
    ("America/Bogota", 1),
    ("America/Argentina/Buenos_Aires", 1),
    ("America/Santiago", 1),
    ("America/St_Johns", 1),
    ("Africa/Addis_Ababa", 1),
    ("Africa/Johannesburg", 1),
    ("Asia/Almaty", 1),
    ("Asia/Dhaka", 1),
    ("Asia/Kathmandu", 1),
    ("Asia/Dubai", 1),
    ("Asia/Shanghai", 1),
    ("Asia/Tokyo", 1),
    ("Asia/Seoul", 1),
    ("Australia/Sydney", 1),
    ("Australia/Adelaide", 1),
    ("Pacific/Auckland", 1),
    ("UTC", 1),
    ("UTC+03:00", 1),
)


# --- who the subscribers are --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    zone: str
    at: time
    track: Track
    position: int
    """The day of the next lesson: at least 2, so yesterday's lesson exists."""

    @property
    def chat_id(self) -> int:
        return CHAT_BASE + self.id


def _local_time(rng: random.Random) -> time:
    """Half tap one of the bot's suggested times; a quarter type a quarter hour of their
    waking day; a quarter type any minute at all. Suggested times make real spikes."""
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(COMMON_TIMES)
    if roll < 0.75:
        quarter = rng.randrange(6 * 4, 24 * 4)
        return time(quarter // 4, quarter % 4 * 15)
    minute = rng.randrange(24 * 60)
    return time(minute // 60, minute % 60)


def people(count: int, lengths: Mapping[Track, int], seed: int = 415) -> Iterator[Person]:
    """The same ``count`` people on every call: parent and workers agree without sharing."""
    rng = random.Random(seed)
    names = [name for name, _ in ZONES]
    weights = list(accumulate(weight for _, weight in ZONES))
    for number in range(1, count + 1):
        zone = rng.choices(names, cum_weights=weights)[0]
        track = Track.SELF if rng.random() < 0.8 else Track.PARTNER
        position = rng.randint(2, lengths[track])
        yield Person(number, zone, _local_time(rng), track, position)


def track_lengths(catalog: Catalog) -> dict[Track, int]:
    return {track: len(catalog.track(track)) for track in Track}


def due_at(person: Person, instant: datetime) -> Person:
    """The person, with their lesson time set so that it falls exactly at ``instant``."""
    wall = instant.astimezone(zone_info(person.zone)).time()
    return replace(person, at=wall.replace(tzinfo=None))


@cache
def _instant_on(day: date, at: time, zone: str) -> datetime:
    return wall_clock_instant(day, at, zone)


@cache
def _next_after(after: datetime, zone: str, at: time) -> datetime:
    due = next_due(after, zone, at, EVERY_DAY)
    assert due is not None  # every day is chosen
    return due


def due_per_minute(persons: Iterable[Person]) -> list[int]:
    """How many people are due in each UTC minute of BENCH_DAY: the tick's workload."""
    counts: Counter[int] = Counter()
    for person in persons:
        instant = _instant_on(BENCH_DAY, person.at, person.zone)
        counts[instant.hour * 60 + instant.minute] += 1
    return [counts[minute] for minute in range(24 * 60)]


@dataclass(frozen=True, slots=True)
class Window:
    """Consecutive one-minute ticks starting at a minute with the day's median due count.

    The database is populated as if a tick had just run a minute before the first: every
    next_due lies after that instant, so each tick claims exactly one minute's worth."""

    first_tick: datetime
    ticks: int
    median: int
    mean: float
    peak: int

    @property
    def populated_at(self) -> datetime:
        return self.first_tick - MINUTE


def choose_window(per_minute: Sequence[int], ticks: int) -> Window:
    """Start at a median minute, preferring one whose window (and the minute after) holds
    no spike of a full batch, which leaves a backlog for the ticks after it. From about a
    million subscribers every quarter hour is such a spike, so a 15-minute window always
    holds one; the p50 of its ticks still reads the typical minute, and full batches are
    measured on their own (the backlog tick)."""
    median = int(statistics.median_low(per_minute))
    starts = [minute for minute, count in enumerate(per_minute) if count == median]
    calm = [start for start in starts if _window_peak(per_minute, start, ticks + 1) < BATCH]
    first = datetime.combine(BENCH_DAY, time(), UTC) + (calm or starts)[0] * MINUTE
    return Window(first, ticks, median, statistics.fmean(per_minute), max(per_minute))


def _window_peak(per_minute: Sequence[int], start: int, length: int) -> int:
    return max(per_minute[(start + k) % len(per_minute)] for k in range(length))


# --- rows consistent with the model ------------------------------------------------------------


class Rows:
    """Subscribed, active, yesterday's lesson sent and logged, the next one planned by the
    same ``next_due`` the engine uses, as seen just after a tick at ``after``."""

    def __init__(self, catalog: Catalog, after: datetime) -> None:
        self._after = after
        self._lesson_ids = {
            (track, lesson.day): lesson.id for track in Track for lesson in catalog.track(track)
        }
        self._days = sum(1 << day for day in EVERY_DAY)

    def tables(self) -> tuple[tuple[sa.Table, Callable[[Person], JSON]], ...]:
        """Parents first, so the foreign keys hold at every step."""
        return (
            (subscribers, self.subscriber),
            (courses, self.course),
            (deliveries, self.delivery),
        )

    def due(self, person: Person) -> datetime:
        return _next_after(self._after, person.zone, person.at)

    def subscriber(self, person: Person) -> JSON:
        return {
            "id": person.id,
            "chat_id": person.chat_id,
            "timezone": person.zone,
            "discreet": True,
            "quiet_start": "22:00",
            "quiet_end": "08:00",
            "quiet_mode": "silent",
            "blocked": False,
            "created_at": self._after - timedelta(days=person.position),
        }

    def course(self, person: Person) -> JSON:
        return {
            "subscriber_id": person.id,
            "track": person.track.value,
            "active": True,
            "paused": False,
            "days": self._days,
            "local_time": f"{person.at:%H:%M}",
            "position": person.position,
            "last_lesson_id": self._lesson_ids[person.track, person.position - 1],
            "next_due": self.due(person),
        }

    def delivery(self, person: Person) -> JSON:
        """Yesterday's lesson: it keeps the unique (subscriber, kind, day) index realistic."""
        yesterday = self.due(person) - timedelta(days=1)
        return {
            "id": person.id,
            "subscriber_id": person.id,
            "kind": Kind.LESSON.value,
            "local_date": yesterday.astimezone(zone_info(person.zone)).date(),
            "item_id": self._lesson_ids[person.track, person.position - 1],
            "status": "sent",
            "claimed_at": yesterday,
            "finished_at": yesterday,
        }


def batches(persons: Iterable[Person], size: int = LOAD_BATCH) -> Iterator[list[Person]]:
    iterator = iter(persons)
    while batch := list(islice(iterator, size)):
        yield batch


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def populate_sqlite(path: Path, persons: Iterable[Person], rows: Rows) -> None:
    """Core executemany into an already migrated file; one transaction per batch keeps the
    WAL small."""
    engine = sa.create_engine(sqlite_url(path))
    try:
        with engine.connect() as connection:
            # Only this loading connection skips fsync; the measured store opens its own.
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            connection.commit()
            for batch in batches(persons):
                with connection.begin():
                    for table, make in rows.tables():
                        connection.execute(table.insert(), [make(person) for person in batch])
    finally:
        engine.dispose()


async def populate_postgres(url: str, persons: Iterable[Person], rows: Rows) -> None:
    """COPY through asyncpg, then what a running server would soon have anyway: sequences
    past the loaded ids, planner statistics and the visibility map (autovacuum's VACUUM
    ANALYZE), and the bulk load's dirty pages written out (a CHECKPOINT). Without the last
    two, the first timed statements compete with the server writing out a million rows."""
    engine = create_async_engine(database_url_from_setting(url))
    try:
        async with engine.begin() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            for batch in batches(persons):
                for table, make in rows.tables():
                    records = [tuple(make(person).values()) for person in batch]
                    columns = list(make(batch[0]))
                    await raw.copy_records_to_table(table.name, records=records, columns=columns)
            for table in (subscribers, deliveries):
                await connection.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :n)"),
                    {"n": await connection.scalar(sa.select(sa.func.max(table.c.id)))},
                )
    finally:
        await engine.dispose()
    # VACUUM cannot run inside a transaction.
    settle = create_async_engine(database_url_from_setting(url), isolation_level="AUTOCOMMIT")
    try:
        async with settle.connect() as connection:
            await connection.execute(sa.text("VACUUM (ANALYZE)"))
            try:
                await connection.execute(sa.text("CHECKPOINT"))
            except sa.exc.DBAPIError:
                progress("    (no CHECKPOINT: it needs a superuser or pg_checkpoint)")
    finally:
        await settle.dispose()


# --- child processes ---------------------------------------------------------------------------


def peak_rss_mib() -> float:
    """This process image's peak resident set (VmHWM), in MiB.

    Not ``getrusage().ru_maxrss``: at exec, Linux carries the high-water mark of the image
    being replaced into it, so a worker forked from a parent holding 150 MiB would report
    at least 150 MiB whatever it used itself. VmHWM belongs to the new image alone.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status: peak memory needs Linux")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def limit_memory() -> None:
    """Cap a worker's address space at three quarters of RAM: a MemoryError in one
    measurement is better than the kernel's OOM killer choosing among the machine's work."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    resource.setrlimit(resource.RLIMIT_AS, (ram * 3 // 4, ram * 3 // 4))


def last_json(output: str | bytes | None) -> JSON | None:
    """The last complete JSON line a worker printed before it was stopped."""
    text = output.decode() if isinstance(output, bytes) else (output or "")
    lines = [line for line in text.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def stopped_worker(last: JSON | None, timeout: float) -> JSON:
    """A worker stopped on its timeout: its result if it had printed one (it was still
    exiting), otherwise an error with its last progress report, if any."""
    if last is not None and "progress" not in last:
        return last
    partial = last["progress"] if last is not None else None
    return {"error": f"timed out after {timeout:.0f} s", "partial": partial}


def run_worker(name: str, spec: JSON, timeout: float) -> JSON:
    """Run one measurement in a fresh interpreter; its last stdout line is its JSON result."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name]
    command += ["--spec", json.dumps(spec)]
    if timeout <= 0:
        return {"error": "skipped: the run's time budget is spent"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as expired:
        return stopped_worker(last_json(expired.stdout), timeout)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {done.returncode}: {tail}"}
    result: JSON = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- 1. the store's tick -----------------------------------------------------------------------


async def claim_once(store: Store, now: datetime) -> tuple[float, int]:
    """One tick's find-and-claim of lessons, exactly as Engine.tick calls it."""
    started = perf_counter()
    claims = await store.claim_due(Kind.LESSON, now, BATCH, partial(engine_replan, now=now))
    return perf_counter() - started, len(claims)


class StatementTimer:
    """Times every statement any engine hands its driver (SQLAlchemy cursor events), which
    splits a claim into its SELECT, INSERTs and UPDATEs without touching the store."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}
        self.select: tuple[str, Any] | None = None
        self._started = 0.0

    def before(self, *args: Any) -> None:
        statement, parameters = args[2], args[3]
        if self.select is None and statement.lstrip().upper().startswith("SELECT"):
            self.select = (statement, parameters)
        self._started = perf_counter()

    def after(self, *args: Any) -> None:
        verb = str(args[2]).split(None, 1)[0].upper()
        self.spent.setdefault(verb, []).append(perf_counter() - self._started)

    def __enter__(self) -> StatementTimer:
        sa.event.listen(sa.Engine, "before_cursor_execute", self.before)
        sa.event.listen(sa.Engine, "after_cursor_execute", self.after)
        return self

    def __exit__(self, *_: object) -> None:
        sa.event.remove(sa.Engine, "before_cursor_execute", self.before)
        sa.event.remove(sa.Engine, "after_cursor_execute", self.after)

    def summary(self) -> dict[str, list[float]]:
        """Per verb: [statements, milliseconds]."""
        return {verb: [len(times), sum(times) * 1000] for verb, times in self.spent.items()}


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


# --- 2. one JobQueue job per subscriber --------------------------------------------------------


async def _send_lesson(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Never runs: the jobs are due hours after the measurement ends."""


def bare_application(api: StandInBotAPI) -> AnyApplication:
    application: AnyApplication = (
        ApplicationBuilder().token(OFFLINE_TOKEN).request(api).get_updates_request(api).build()
    )
    return application


PROGRESS_EVERY = 50_000


def report_progress(jobs: int, elapsed: float) -> None:
    """A partial result: the parent reads the last one if the worker runs out of time."""
    progress = {"jobs": jobs, "create_s": elapsed, "rss_mib": peak_rss_mib()}
    print(json.dumps({"progress": progress}), flush=True)


async def jobqueue_worker(spec: JSON) -> JSON:
    """The usual pattern: at start-up, one ``run_daily`` per subscriber, then start."""
    lengths = track_lengths(load_catalog())
    application = bare_application(StandInBotAPI())
    queue = application.job_queue
    assert queue is not None  # the job-queue extra is a dependency
    started = perf_counter()
    for person in people(spec["count"], lengths):
        at = person.at.replace(tzinfo=zone_info(person.zone))
        queue.run_daily(_send_lesson, at, chat_id=person.chat_id, name=str(person.id))
        if person.id % PROGRESS_EVERY == 0:
            report_progress(person.id, perf_counter() - started)
    created = perf_counter() - started
    report_progress(spec["count"], created)
    await application.initialize()
    await application.start()
    startup = perf_counter() - started
    jobs = len(queue.scheduler.get_jobs())
    rss = peak_rss_mib()
    await application.stop()
    await application.shutdown()
    return {"create_s": created, "startup_s": startup, "jobs": jobs, "rss_mib": rss}


# --- 3. and 4. delivery through the engine -----------------------------------------------------


async def due_store(path: Path, count: int, tick: datetime) -> tuple[Store, Catalog]:
    """A store whose ``count`` subscribers are all due at ``tick``, in their own zones."""
    catalog = load_catalog()
    store = await Store.open(sqlite_url(path))
    persons = (due_at(person, tick) for person in people(count, track_lengths(catalog)))
    populate_sqlite(path, persons, Rows(catalog, tick - MINUTE))
    return store, catalog


async def statuses_since(path: Path, since: datetime) -> dict[str, int]:
    """How the deliveries claimed at or after ``since`` ended, read back from the log."""
    engine = create_async_engine(database_url_from_setting(sqlite_url(path)))
    statement = (
        sa.select(deliveries.c.status, sa.func.count())
        .where(deliveries.c.claimed_at >= since)
        .group_by(deliveries.c.status)
    )
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(statement)).tuples().all()
    finally:
        await engine.dispose()
    return {str(status): int(count) for status, count in rows}


async def rate_worker(spec: JSON) -> JSON:
    """The real Application, AIORateLimiter and TelegramSender, one tick of due lessons."""
    path, tick = Path(spec["db"]), datetime.fromisoformat(spec["tick"])
    store, catalog = await due_store(path, spec["count"], tick)
    clock = ManualClock(tick)
    api = StandInBotAPI(clock=clock.now, max_per_second=RATE_LIMIT)
    services = Services(store=store, catalog=catalog, clock=clock)
    application = build_application(Settings(), services, request=api, rate_limited=True)
    await application.initialize()
    started = perf_counter()
    report = await engine_of(application).tick()
    elapsed = perf_counter() - started
    await application.shutdown()
    await store.close()
    return {
        "count": spec["count"],
        "elapsed_s": elapsed,
        "sent": report.sent,
        "retried": report.retried,
        "delivered_chats": len({message.chat_id for message in api.outgoing}),
        "messages": len(api.outgoing),
        "rejected_429": api.rejected_by_rate_limit,
        "statuses": await statuses_since(path, tick),
    }


async def limiter_worker(spec: JSON) -> JSON:
    """PTB's AIORateLimiter alone, no engine or database: sequential sends to distinct
    chats. ``smooth`` spaces every message 1/30 s apart, as ``bot.app`` sets it up; the
    other allows a burst of 30 (PTB's default), to show what pacing gains."""
    count = spec["count"]
    api = StandInBotAPI(max_per_second=RATE_LIMIT)
    limiter = (
        AIORateLimiter(overall_max_rate=1, overall_time_period=1 / RATE_LIMIT, max_retries=3)
        if spec["smooth"]
        else AIORateLimiter(max_retries=3)  # PTB's default shape
    )
    application: AnyApplication = (
        ApplicationBuilder()
        .token(OFFLINE_TOKEN)
        .request(api)
        .get_updates_request(api)
        .rate_limiter(limiter)
        .build()
    )
    await application.initialize()
    started = perf_counter()
    for number in range(1, count + 1):
        await application.bot.send_message(CHAT_BASE + number, "A lesson")
    elapsed = perf_counter() - started
    await application.shutdown()
    return {
        "count": count,
        "elapsed_s": elapsed,
        "rejected_429": api.rejected_by_rate_limit,
        "messages": len(api.outgoing),
    }


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


# --- 5. one update ---------------------------------------------------------------------------


class TimedStandIn(StandInBotAPI):
    """The stand-in, keeping the time spent inside it: there, Telegram's share of an update
    is Python reading the bot's HTML, work a real Bot API server does elsewhere."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.spent = 0.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        started = perf_counter()
        try:
            return await super().do_request(url, method, request_data)
        finally:
            self.spent += perf_counter() - started


async def _echo(update: Update, _context: CallbackContext[Any, Any, Any, Any]) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


async def timed_send(driver: ChatDriver, text: str) -> float:
    """Milliseconds from building the update to the bot's last reply."""
    started = perf_counter()
    if not await driver.send(text):
        raise RuntimeError(f"{text!r} got no reply")
    return (perf_counter() - started) * 1000


async def latencies(driver: ChatDriver, api: TimedStandIn, text: str, count: int) -> JSON:
    """p50 and p99 after a warm-up, the stand-in's share, and (in a separate pass, so the
    timer cannot touch the percentiles) the SQL each update runs."""
    for _ in range(20):
        await timed_send(driver, text)
    api.spent = 0.0
    times = [await timed_send(driver, text) for _ in range(count)]
    standin_ms = api.spent / count * 1000
    with StatementTimer() as timer:
        for _ in range(50):
            await timed_send(driver, text)
    spent = timer.summary().values()
    statements, driver_ms = sum(n for n, _ in spent) / 50, sum(ms for _, ms in spent) / 50
    return {"pct": percentiles(times), "standin_ms": standin_ms, "sql": [statements, driver_ms]}


async def updates_worker(spec: JSON) -> JSON:
    """The real app without a rate limiter: 30 messages a second would measure the limiter,
    not the update. The bare echo bot has none either."""
    count, path = spec["count"], Path(spec["db"])
    store = await Store.open(sqlite_url(path))
    clock = ManualClock(datetime.combine(BENCH_DAY, time(12), UTC))
    api = TimedStandIn(clock=clock.now)
    services = Services(store=store, catalog=load_catalog(), clock=clock)
    application = build_application(Settings(), services, request=api, rate_limited=False)
    await application.initialize()
    person = ChatDriver(application, api, chat_id=1001)
    result = {
        "help": await latencies(person, api, "/help", count),
        "lesson": await latencies(person, api, "/lesson", count),
        "store_call": await store_call_latency(store, 1001, count),
    }
    await application.shutdown()
    await store.close()
    echo_api = TimedStandIn(clock=clock.now)
    echo = bare_application(echo_api)
    echo.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    await echo.initialize()
    echo_driver = ChatDriver(echo, echo_api, chat_id=1001)
    result["echo"] = await latencies(echo_driver, echo_api, "hello", count)
    await echo.shutdown()
    return result


async def store_call_latency(store: Store, chat_id: int, count: int) -> JSON:
    """One ``find_subscriber`` (``/start`` makes exactly this one): the floor under any
    update that touches the store, with no Telegram in it at all."""
    for _ in range(20):
        await store.find_subscriber(chat_id)
    times: list[float] = []
    for _ in range(count):
        started = perf_counter()
        await store.find_subscriber(chat_id)
        times.append((perf_counter() - started) * 1000)
    with StatementTimer() as timer:
        await store.find_subscriber(chat_id)
    spent = timer.summary().values()
    statements = [sum(n for n, _ in spent), sum(ms for _, ms in spent)]
    return {"pct": percentiles(times), "standin_ms": 0.0, "sql": statements}


def percentiles(times: Sequence[float]) -> list[float]:
    """[p50, p99] in milliseconds."""
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return [cuts[49], cuts[98]]


async def baseline_worker(_spec: JSON) -> JSON:
    """Nothing but the imports every worker pays for: the floor under every memory figure."""
    return {}


WORKERS: dict[str, Callable[[JSON], Coroutine[Any, Any, JSON]]] = {
    "store": store_worker,
    "jobqueue": jobqueue_worker,
    "rate": rate_worker,
    "engine": engine_worker,
    "limiter": limiter_worker,
    "updates": updates_worker,
    "baseline": baseline_worker,
}


def worker_main(name: str, spec: str) -> None:
    limit_memory()
    result = asyncio.run(WORKERS[name](json.loads(spec)))
    result.setdefault("rss_mib", peak_rss_mib())
    print(json.dumps(result), flush=True)
    # Skip the interpreter's teardown: freeing a million jobs one object at a time can
    # outlast the timeout, and nothing is left to clean up (the parent owns the files).
    os._exit(0)


# --- the parent: databases, budget, report ----------------------------------------------------


class Backend(Protocol):
    name: str

    def create(self, size: int) -> str: ...

    def populate(self, url: str, persons: Iterable[Person], rows: Rows) -> None: ...

    def drop(self, url: str) -> None: ...


@dataclass
class SqliteBackend:
    folder: Path
    name: str = "sqlite"

    def create(self, size: int) -> str:
        return sqlite_url(self.folder / f"store-{size}.db")

    def populate(self, url: str, persons: Iterable[Person], rows: Rows) -> None:
        populate_sqlite(Path(make_url(url).database or ""), persons, rows)

    def drop(self, url: str) -> None:
        # The WAL and shared-memory files go with the database.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{make_url(url).database}{suffix}").unlink(missing_ok=True)


@dataclass
class PostgresBackend:
    """A fresh database per size on the given server, dropped afterwards: the run never
    touches the data of the database named in the URL."""

    admin_url: str
    name: str = "postgresql"

    def _admin(self, statement: str) -> None:
        async def run() -> None:
            engine = create_async_engine(
                database_url_from_setting(self.admin_url), isolation_level="AUTOCOMMIT"
            )
            try:
                async with engine.connect() as connection:
                    await connection.execute(sa.text(statement))
            finally:
                await engine.dispose()

        asyncio.run(run())

    def create(self, size: int) -> str:
        database = f"softlanding_bench_{os.getpid()}_{size}"
        self._admin(f'DROP DATABASE IF EXISTS "{database}"')
        self._admin(f'CREATE DATABASE "{database}"')
        url = make_url(self.admin_url).set(drivername="postgresql", database=database)
        return url.render_as_string(hide_password=False)

    def populate(self, url: str, persons: Iterable[Person], rows: Rows) -> None:
        asyncio.run(populate_postgres(url, persons, rows))

    def drop(self, url: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def loopback_postgres(url: str) -> str:
    """Refuse any server that is not on this machine: the run must not touch a network."""
    parsed = make_url(url)
    if parsed.get_backend_name() not in {"postgresql", "postgres"}:
        raise SystemExit("--postgres expects a postgresql:// URL")
    if parsed.host not in LOOPBACK:
        raise SystemExit("--postgres must name a server on 127.0.0.1, localhost or ::1")
    return url


@dataclass
class Plan:
    """How much to measure: the full run, or --quick's small counts."""

    sizes: list[int]
    ticks: int
    rate_count: int
    engine_count: int
    update_count: int
    budget_s: float
    jobqueue_timeout_s: float
    deadline: float = field(default=0.0)

    def remaining(self, cap: float) -> float:
        return min(cap, self.deadline - monotonic())


@dataclass
class Results:
    machine: dict[str, str]
    baseline_mib: float = 0.0
    store: list[JSON] = field(default_factory=list)
    jobqueue: list[JSON] = field(default_factory=list)
    rate: JSON = field(default_factory=dict)
    limiter: dict[str, JSON] = field(default_factory=dict)
    engine: JSON = field(default_factory=dict)
    updates: JSON = field(default_factory=dict)


def measure_store(backend: Backend, size: int, plan: Plan, catalog: Catalog) -> JSON:
    if plan.remaining(1) <= 0:  # populating a million rows is minutes the run has not got
        return {"backend": backend.name, "size": size, "error": "skipped: the budget is spent"}
    lengths = track_lengths(catalog)
    window = choose_window(due_per_minute(people(size, lengths)), plan.ticks)
    url = backend.create(size)
    try:
        asyncio.run(_migrate(url))
        started = perf_counter()
        backend.populate(url, people(size, lengths), Rows(catalog, window.populated_at))
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


def measure_jobqueue(plan: Plan) -> list[JSON]:
    results: list[JSON] = []
    for size in plan.sizes:
        result = run_worker("jobqueue", {"count": size}, plan.remaining(plan.jobqueue_timeout_s))
        results.append({"size": size, **result})
    return results


def measure_small(name: str, count: int, folder: Path, plan: Plan) -> JSON:
    """Parts 3 to 5, each on a database of its own."""
    tick = datetime.combine(BENCH_DAY, time(12), UTC)
    spec = {"count": count, "db": str(folder / f"{name}.db"), "tick": tick.isoformat()}
    return run_worker(name, spec, plan.remaining(300))


def measure_limiter(plan: Plan) -> dict[str, JSON]:
    return {
        shape: run_worker(
            "limiter", {"count": plan.rate_count, "smooth": shape == "smooth"}, plan.remaining(120)
        )
        for shape in ("burst", "smooth")
    }


def measure_all(plan: Plan, postgres: str | None, folder: Path) -> Results:
    """JobQueue first, while no database server is busy writing back a million rows."""
    results = Results(machine=machine(postgres))
    catalog = load_catalog()
    results.baseline_mib = run_worker("baseline", {}, plan.remaining(60)).get("rss_mib", 0.0)
    progress("one JobQueue job per subscriber")
    results.jobqueue = measure_jobqueue(plan)
    backends: list[Backend] = [SqliteBackend(folder)]
    if postgres is not None:
        backends.append(PostgresBackend(postgres))
    for backend in backends:
        for size in plan.sizes:
            progress(f"store tick: {backend.name}, {size:,} subscribers")
            results.store.append(measure_store(backend, size, plan, catalog))
    progress("send rate through the rate-limited Application, then PTB's limiter alone")
    results.rate = measure_small("rate", plan.rate_count, folder, plan)
    results.limiter = measure_limiter(plan)
    progress("engine alone")
    results.engine = measure_small("engine", plan.engine_count, folder, plan)
    progress("update processing")
    results.updates = measure_small("updates", plan.update_count, folder, plan)
    results.machine["Load average (1 min) at start / end"] = (
        f"{results.machine.pop('load')} / {os.getloadavg()[0]:.2f} (other work shares the machine)"
    )
    return results


def progress(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def machine(postgres: str | None) -> dict[str, str]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "CPU": f"{model}, {os.cpu_count()} logical cores (nproc)",
        "RAM": f"{ram:.1f} GiB",
        "Python": platform.python_version(),
        "Libraries": (
            f"python-telegram-bot {telegram.__version__}, APScheduler "
            f"{metadata.version('APScheduler')}, SQLAlchemy {sa.__version__}, SQLite "
            f"{sqlite3.sqlite_version}"
        ),
        "PostgreSQL": server_version(postgres) if postgres else "not measured",
        "load": f"{os.getloadavg()[0]:.2f}",
        "Code measured (sha256, first 10)": code_fingerprint(),
        "Run started (UTC)": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
    }


MEASURED_CODE = (
    "scheduler/store.py",
    "scheduler/delivery.py",
    "scheduler/tables.py",
    "bot/delivery.py",
    "bot/app.py",
)


def code_fingerprint() -> str:
    """Which version of the delivery code the figures belong to: others edit it meanwhile."""
    root = Path(__file__).resolve().parent.parent
    return ", ".join(
        f"{name} {hashlib.sha256((root / name).read_bytes()).hexdigest()[:10]}"
        for name in MEASURED_CODE
    )


def server_version(url: str) -> str:
    async def ask() -> str:
        engine = create_async_engine(database_url_from_setting(url))
        try:
            async with engine.connect() as connection:
                return str(await connection.scalar(sa.text("SHOW server_version")))
        finally:
            await engine.dispose()

    return f"{asyncio.run(ask())} (default settings), on 127.0.0.1"


# --- the report ---------------------------------------------------------------------------------


def markdown(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    cells = [[str(value) for value in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in cells)])


def tick_stats(result: JSON) -> tuple[float, float, float, int]:
    """The steady ticks' p50 ms and p50 due, and the slowest tick's ms and due."""
    ticks = result["ticks"]
    slowest = max(ticks, key=lambda tick: tick[0])
    p50 = statistics.median(ms for ms, _ in ticks)
    return p50, statistics.median(due for _, due in ticks), slowest[0], slowest[1]


def store_rows(results: Results) -> Iterator[list[object]]:
    for r in results.store:
        if "error" in r:
            yield [r["backend"], f"{r['size']:,}", r["error"], *[""] * 8]
            continue
        p50, due, slow_ms, slow_due = tick_stats(r)
        per_item = (p50 - r["empty_ms"]) / due if due else 0.0
        first_ms, first_due = r["first_tick"]
        yield [
            r["backend"],
            f"{r['size']:,}",
            f"{r['median']} / {r['mean']:.0f} / {r['peak']:,}",
            f"{p50:.1f} ({due:g})",
            f"{slow_ms:.1f} ({slow_due})",
            f"{r['empty_ms']:.2f}",
            f"{per_item:.2f}",
            f"{r['backlog']['ms']:.0f} ({r['backlog']['due']})",
            f"{r['startup_ms']:.0f} = {r['open_ms']:.0f} + {first_ms:.0f} ({first_due})",
            f"{r['rss_mib']:.0f}",
            f"{r['populate_s']:.0f}",
        ]


STORE_HEADERS = (
    "backend",
    "subscribers",
    "due per UTC minute: median / mean / peak",
    "tick p50 ms (due)",
    "slowest tick ms (due)",
    "find nothing ms",
    "ms per claimed item",
    "backlog tick ms (due)",
    "start-up ms = open + first claim (due)",
    "peak RSS MiB",
    "populate s (untimed)",
)


def jobqueue_rows(results: Results) -> Iterator[list[object]]:
    for r in results.jobqueue:
        if "error" not in r:
            yield [
                f"{r['size']:,}",
                f"{r['create_s']:.2f}",
                f"{r['startup_s']:.2f}",
                f"{r['rss_mib']:.0f}",
                f"{r['jobs']:,}",
            ]
        else:
            yield [f"{r['size']:,}", *stopped_jobqueue(r, results.baseline_mib), r["error"]]


def stopped_jobqueue(stopped: JSON, baseline_mib: float) -> list[str]:
    """What a worker stopped on its timeout got to. Start-up is then a measured lower
    bound; creating the jobs and their memory are extrapolated linearly from the last
    progress report when it had not created them all (itself a lower bound, as APScheduler
    inserts each job into a sorted Python list)."""
    partial, size = stopped.get("partial"), stopped["size"]
    if partial is None:
        return ["", "", ""]
    jobs, create_s, rss = partial["jobs"], partial["create_s"], partial["rss_mib"]
    limit = stopped["error"].split()[-2]
    if jobs >= size:
        startup = f"> {limit} (start() unfinished; measured lower bound)"
        return [f"{create_s:.0f}", startup, f">= {rss:.0f} (measured before start())"]
    startup = f"> {limit} (stopped while creating jobs; measured lower bound)"
    scale = size / jobs
    memory = baseline_mib + (rss - baseline_mib) * scale
    return [
        f"{create_s:.0f} for {jobs:,}; ~{create_s * scale:.0f} for all (extrapolated)",
        startup,
        f"{rss:.0f} at {jobs:,} jobs; ~{memory:.0f} for all (extrapolated)",
    ]


def rate_figures(rate: JSON) -> tuple[float, bool]:
    """Messages a second over the tick, and whether nothing was lost."""
    lossless = (
        rate["sent"] == rate["count"]
        and rate["statuses"] == {"sent": rate["count"]}
        and rate["delivered_chats"] == rate["count"] == rate["messages"]
    )
    return rate["sent"] / rate["elapsed_s"], lossless


def rate_row(rate: JSON) -> list[object]:
    label = f"real Application, {rate.get('count', '?')} due lessons in one Engine.tick"
    if "error" in rate:
        return [label, rate["error"], "", "", ""]
    per_second, lossless = rate_figures(rate)
    return [
        label,
        f"{per_second:.1f} ({per_second / RATE_LIMIT:.0%})",
        f"{rate['elapsed_s']:.1f}",
        rate["rejected_429"],
        f"log {rate['statuses']}, {rate['delivered_chats']} chats got one message each"
        if lossless
        else f"LOST: log {rate['statuses']}, {rate['messages']} messages",
    ]


LIMITER_LABELS = {
    "burst": "PTB alone: AIORateLimiter(max_retries=3), a bucket of 30 (PTB's default)",
    "smooth": "PTB alone: AIORateLimiter(1 per 1/30 s, max_retries=3), as bot.app builds it",
}


def limiter_row(shape: str, result: JSON) -> list[object]:
    if "error" in result:
        return [LIMITER_LABELS[shape], result["error"], "", "", ""]
    per_second = result["messages"] / result["elapsed_s"]
    return [
        LIMITER_LABELS[shape],
        f"{per_second:.1f} ({per_second / RATE_LIMIT:.0%})",
        f"{result['elapsed_s']:.1f}",
        result["rejected_429"],
        f"{result['messages']} of {result['count']} accepted",
    ]


def rate_rows(results: Results) -> Iterator[list[object]]:
    yield rate_row(results.rate)
    for shape, result in results.limiter.items():
        yield limiter_row(shape, result)


def engine_rows(results: Results) -> Iterator[list[object]]:
    engine = results.engine
    if "error" in engine:
        yield ["engine alone", engine["error"], "", "", ""]
        return
    count, elapsed = engine["sent"], engine["elapsed_s"]
    statements = sum(n for n, _ in engine["statements"].values())
    driver_ms = sum(ms for _, ms in engine["statements"].values())
    yield [
        f"{engine['count']:,} due",
        f"{count / elapsed:,.0f}",
        f"{elapsed:.2f} (CPU {engine['cpu_s']:.2f})",
        f"{statements / max(count, 1):.1f} ({driver_ms / 1000:.2f} s at the driver)",
        str(engine["statuses"]),
    ]


def update_rows(results: Results) -> Iterator[list[object]]:
    updates = results.updates
    if "error" in updates:
        yield ["updates", updates["error"], "", "", "", ""]
        return
    echo_p50, echo_p99 = updates["echo"]["pct"]
    for name, label in UPDATE_LABELS.items():
        found = updates[name]
        (p50, p99), statements = found["pct"], found["sql"]
        yield [
            label,
            f"{p50:.2f}",
            f"{p99:.2f}",
            f"{p50 / echo_p50:.1f}x / {p99 / echo_p99:.1f}x",
            f"{found['standin_ms']:.2f}",
            f"{statements[0]:.1f} ({statements[1]:.2f} ms)",
        ]


def mark(passed: bool | None) -> str:
    return "n/a" if passed is None else ("PASS" if passed else "MISS")


def aim_rows(results: Results) -> Iterator[list[object]]:
    yield tick_aim(results)
    for backend in ("sqlite", "postgresql"):
        row = flat_aim(results, backend)
        if row is not None:
            yield row
    yield rate_aim(results)
    yield engine_aim(results)
    yield update_aim(results)


def tick_aim(results: Results) -> list[object]:
    found = [
        r
        for r in results.store
        if r["backend"] == "sqlite" and r["size"] == 1_000_000 and "error" not in r
    ]
    if not found:
        return ["one tick < 50 ms at 1,000,000 subscribers (SQLite)", "not measured", mark(None)]
    p50, due, *_ = tick_stats(found[0])
    return [
        "one tick < 50 ms at 1,000,000 subscribers (SQLite)",
        f"{p50:.1f} ms p50 ({due:g} due)",
        mark(p50 < 50),
    ]


FLAT = 1.5
"""Flat: the largest size within this factor of the smallest, for memory and start-up."""


def flat_aim(results: Results, backend: str) -> list[object] | None:
    """Start-up is ``Store.open``: what a process does before it can deliver, as the JobQueue
    figures are create and start with nothing sent. The first claim is a tick, and grows
    with the items due in its minute as every tick does; it is shown, not judged, here."""
    found = [r for r in results.store if r["backend"] == backend and "error" not in r]
    if len(found) < 2:
        return None
    small, large = found[0], found[-1]
    memory = large["rss_mib"] / small["rss_mib"]
    opened = large["open_ms"] / small["open_ms"]
    claimed = large["first_tick"][0] / small["first_tick"][0]
    due = f"{small['first_tick'][1]} -> {large['first_tick'][1]} due"
    return [
        f"memory and start-up flat ({backend}, {small['size']:,} -> {large['size']:,})",
        f"RSS x{memory:.2f}, start-up (open) x{opened:.2f}; flat: <= x{FLAT}. "
        f"Not judged: the first claim x{claimed:.1f} ({due})",
        mark(memory <= FLAT and opened <= FLAT),
    ]


STEADY_RATE_COUNT = 600
"""Below this many messages the first second's burst of 30 skews the rate by over 5%."""


def rate_aim(results: Results) -> list[object]:
    aim = f">= 95% of {RATE_LIMIT} msg/s, nothing lost"
    if "error" in results.rate:
        return [aim, results.rate["error"], mark(None)]
    per_second, lossless = rate_figures(results.rate)
    measured = f"{per_second / RATE_LIMIT:.0%}, {'nothing' if lossless else 'SOMETHING'} lost"
    if results.rate["count"] < STEADY_RATE_COUNT:
        return [aim, f"{measured} (too few messages to judge)", mark(None)]
    return [aim, measured, mark(per_second >= 0.95 * RATE_LIMIT and lossless)]


def engine_aim(results: Results) -> list[object]:
    aim = "engine alone >= 2,000 lessons/s (2 cores)"
    if "error" in results.engine:
        return [aim, results.engine["error"], mark(None)]
    speed = results.engine["sent"] / results.engine["elapsed_s"]
    return [aim, f"{speed:,.0f} lessons/s", mark(speed >= 2000)]


def update_aim(results: Results) -> list[object]:
    aim = "update p50 within 2x the echo bot's"
    if "error" in results.updates:
        return [aim, results.updates["error"], mark(None)]
    echo = results.updates["echo"]["pct"][0]
    ratios = {name: results.updates[name]["pct"][0] / echo for name in ("help", "lesson")}
    measured = ", ".join(f"/{name} {ratio:.1f}x" for name, ratio in ratios.items())
    return [aim, measured, mark(max(ratios.values()) <= 2)]


def evidence(results: Results) -> Iterator[str]:
    """Where the largest tick's time went, per backend, and the plan of its SELECT."""
    for backend in ("sqlite", "postgresql"):
        found = [r for r in results.store if r["backend"] == backend and "error" not in r]
        if found:
            yield from tick_evidence(backend, found[-1])


def tick_evidence(backend: str, result: JSON) -> Iterator[str]:
    backlog = result["backlog"]
    spent = ", ".join(
        f"{verb} x{int(count)} {ms:.1f} ms" for verb, (count, ms) in backlog["statements"].items()
    )
    yield (
        f"**{backend}, {result['size']:,} subscribers.** The backlog tick claimed "
        f"{backlog['due']} in {backlog['ms']:.0f} ms; at the driver: {spent}; the rest is "
        f"Python around the driver. The plan of its SELECT (run again afterwards):"
    )
    yield "\n".join(f"    {line}" for line in backlog["plan"])
    if result.get("fk_check_ms") is not None:
        yield (
            f"Store.open took {result['open_ms']:.0f} ms. The `PRAGMA foreign_key_check` it "
            f"runs only after a migration took {result['fk_check_ms']:.0f} ms on its own here."
        )


def report(results: Results) -> str:
    return "\n\n".join(
        [
            "### Machine",
            markdown(("", ""), results.machine.items()),
            f"A worker that only imports what every worker imports peaks at "
            f"{results.baseline_mib:.0f} MiB RSS.",
            "### 1. The store's tick: claim_due(Kind.LESSON), batch 1000, one tick a minute",
            markdown(STORE_HEADERS, store_rows(results)),
            "### 2. One PTB JobQueue run_daily job per subscriber",
            markdown(JOBQUEUE_HEADERS, jobqueue_rows(results)),
            f"### 3. Send rate against a stand-in that refuses over {RATE_LIMIT} msg/s",
            markdown(RATE_HEADERS, rate_rows(results)),
            "### 4. The engine alone: claim, compose, record; the sender succeeds at once",
            markdown(ENGINE_HEADERS, engine_rows(results)),
            "### 5. One update through the stand-in, ms",
            markdown(UPDATE_HEADERS, update_rows(results)),
            "### Aims",
            markdown(("aim", "measured", ""), aim_rows(results)),
            "### Evidence: the largest size, statement by statement",
            *evidence(results),
        ]
    )


JOBQUEUE_HEADERS = (
    "subscribers",
    "create jobs s",
    "start-up s (create + start)",
    "peak RSS MiB",
    "jobs",
)
RATE_HEADERS = ("sender", "msg/s (of 30)", "s", "429s", "outcome")
ENGINE_HEADERS = ("lessons", "lessons/s", "s", "SQL statements per lesson", "log")
UPDATE_LABELS = {
    "echo": "bare PTB echo bot",
    "help": "/help",
    "lesson": "/lesson",
    "store_call": "(no update: one Store.find_subscriber call)",
}
UPDATE_HEADERS = (
    "bot",
    "p50",
    "p99",
    "vs echo p50 / p99",
    "in stand-in ms",
    "SQL per update (driver ms)",
)


# --- command line ----------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="subscriber counts")
    parser.add_argument("--postgres", metavar="URL", help="also measure this loopback server")
    parser.add_argument("--quick", action="store_true", help="10k only, small counts, < 1 min")
    parser.add_argument("--budget", type=float, help="seconds for the whole run")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="print the tables of a --json file; no run"
    )
    parser.add_argument(
        "--jobqueue-timeout", type=float, default=600.0, help="seconds per JobQueue size"
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--spec", default="{}", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def make_plan(arguments: argparse.Namespace) -> Plan:
    if arguments.quick:
        plan = Plan([10_000], 5, 120, 1000, 100, 55.0, 30.0)
    else:
        sizes = sorted(int(size) for size in arguments.sizes.split(","))
        plan = Plan(sizes, 15, 900, 5000, 500, 3600.0, arguments.jobqueue_timeout)
    if arguments.budget is not None:
        plan.budget_s = arguments.budget
    plan.deadline = monotonic() + plan.budget_s
    return plan


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.worker is not None:
        worker_main(arguments.worker, arguments.spec)
        return 0
    if arguments.report is not None:
        print(report(Results(**json.loads(arguments.report.read_text()))))
        return 0
    postgres = loopback_postgres(arguments.postgres) if arguments.postgres else None
    plan = make_plan(arguments)
    with tempfile.TemporaryDirectory(prefix="softlanding-bench-") as folder:
        results = measure_all(plan, postgres, Path(folder))
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(asdict(results), indent=1))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
