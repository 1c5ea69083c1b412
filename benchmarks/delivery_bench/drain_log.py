"""The delivery log over many days at a size where sending every lesson would take hours:
each day's rows written in SQL as the engine would have logged them, then the real prune,
tick by tick, and a few real ticks with lessons due.

What is real: the store, its SQLite file and its indexes, ``Engine.tick()`` with its own
``DEFAULT_RETENTION`` and ``PRUNE_CHUNK``, the pruning it does in each tick's spare time,
and every tick timed. What is simulated: the clock, the sender (``Instant``), and the
day's other lessons, whose log rows one ``INSERT ... SELECT`` writes in their final state,
with the columns and values the engine's claim and record leave (see ``_FILL``). Only the
log is written for them: their courses do not move on, which changes nothing the log
holds. A day's rows are written at its start, before its ticks, so every tick of the day
meets the log at its largest."""

from __future__ import annotations

import statistics
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from time import perf_counter, process_time

import sqlalchemy as sa

from benchmarks.delivery_bench.common import BENCH_DAY, JSON, MINUTE, progress, sqlite_url
from benchmarks.delivery_bench.drain_sim import Instant
from benchmarks.delivery_bench.population import (
    Person,
    Rows,
    people,
    populate_sqlite,
    store_key,
    track_lengths,
)
from lessons import Catalog, Track, load_catalog
from scheduler.clock import ManualClock
from scheduler.delivery import (
    DEFAULT_RETENTION,
    PRUNE_CHUNK,
    Engine,
    TickReport,
    retention_cutoff,
)
from scheduler.model import DeliveryStatus, Kind
from scheduler.store import Store
from scheduler.tables import courses, deliveries
from scheduler.timing import local_date, wall_clock_instant

DAY = timedelta(days=1)
TICK_EVERY = timedelta(seconds=30)
"""As ``bot.app.start_ticking`` plans it when nothing is left to drain."""
TICKS_A_DAY = DAY // TICK_EVERY
DUE_AT = tuple(time(hour, 7) for hour in range(1, 24, 2))
"""The UTC instants of the day's real ticks with lessons due, one every two hours. Seven
past the hour is nobody's suggested or quarter-hour time in any zone of the population, so
each gets a median minute's lessons (about 175 at 1,000,000): the steady tick, not a peak
(``--only peak`` measures that)."""
FAR = datetime(2100, 1, 1, tzinfo=UTC)
"""Where the courses whose lessons the fill logs wait: past the run, so no tick finds them
due. A tick reads the due index only up to now, however many wait beyond."""
POSITION_CYCLE = 15
"""Positions past this go back to 2 each night, as in the ticking log run: nobody whose
lessons the ticks send finishes the course (a finished course would stop being due)."""

_DATETIME = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy keeps a ``UtcDateTime`` in SQLite: naive UTC text, microseconds always."""

# The day's rows in their final state, as ``QueueOperations._log_claims`` inserts them
# ("claimed", claimed_at the tick's instant, due_at the instant it was due) and the
# record's ``_FINISH`` leaves them (status "sent", the item sent, finished_at the
# database's clock, CURRENT_TIMESTAMP in SQLite), under the same ON CONFLICT on the unique
# (subscriber, kind, local date) key. The claim's tick runs on the 30-second grid and every
# due instant is a whole minute, so the tick's instant is the due instant. In due order,
# as the ticks would have claimed them: the ids, and so the order in which the prune meets
# the rows in the unique index, are the engine's. The claim's filter is the same too:
# active, not paused, not blocked.
_FILL = sa.text(
    """
    INSERT INTO deliveries
        (subscriber_id, kind, local_date, item_id, status, claimed_at, finished_at, due_at)
    SELECT c.subscriber_id, :kind, p.local_date, l.lesson_id, :status,
           p.due_at, CURRENT_TIMESTAMP, p.due_at
    FROM courses AS c
    JOIN subscribers AS s ON s.id = c.subscriber_id
    JOIN temp.fill_plan AS p ON p.timezone = s.timezone AND p.local_time = c.local_time
    JOIN temp.fill_lessons AS l ON l.track = c.track AND l.day = c.position
    WHERE c.active AND NOT c.paused AND NOT s.blocked AND NOT p.ticked
    ORDER BY p.due_at, c.subscriber_id
    ON CONFLICT (subscriber_id, kind, local_date) DO NOTHING
    """
)
_PLAN_TABLES = (
    """CREATE TEMP TABLE IF NOT EXISTS fill_plan (
        timezone TEXT NOT NULL, local_time TEXT NOT NULL, local_date TEXT NOT NULL,
        due_at TEXT NOT NULL, ticked INTEGER NOT NULL,
        PRIMARY KEY (timezone, local_time, local_date))""",
    """CREATE TEMP TABLE IF NOT EXISTS fill_lessons (
        track TEXT NOT NULL, day INTEGER NOT NULL, lesson_id TEXT NOT NULL,
        PRIMARY KEY (track, day))""",
)

Pair = tuple[str, str]
"""A zone and a local time ("HH:MM"): everyone sharing both is due at the same instants."""


@dataclass
class Plan:
    """One UTC day: each (zone, local time)'s due instants in it, as the engine's
    ``wall_clock_instant`` gives them (skipped and repeated times included), and who of
    them the real ticks take."""

    rows: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    ticked: dict[datetime, list[Pair]] = field(default_factory=dict)


def day_plan(pairs: Iterable[Pair], begin: datetime, due_at: Iterable[time]) -> Plan:
    ticks = {datetime.combine(begin.date(), at, UTC) for at in due_at}
    # Unwrapped: the engine's own cache of instants is left to the ticks it serves.
    instant_of = wall_clock_instant.__wrapped__
    plan = Plan()
    end = begin + DAY
    for zone, at in pairs:
        wall = time.fromisoformat(at)
        # The local days whose instant can fall in this UTC day; in a DST change none
        # or two of them may.
        for offset in (-1, 0, 1):
            due = instant_of(begin.date() + timedelta(days=offset), wall, zone)
            if not begin <= due < end:
                continue
            ticked = due in ticks
            if ticked:
                plan.ticked.setdefault(due, []).append((zone, at))
            day = local_date(due, zone).isoformat()
            stored = due.replace(tzinfo=None).strftime(_DATETIME)
            plan.rows.append((zone, at, day, stored, int(ticked)))
    return plan


class Population:
    """The bench population's people by (zone, local time): who is due at an instant."""

    def __init__(self) -> None:
        self.ids: dict[Pair, array[int]] = {}

    def keep(self, persons: Iterable[Person]) -> Iterator[Person]:
        for person in persons:
            self.ids.setdefault((person.zone, f"{person.at:%H:%M}"), array("l")).append(person.id)
            yield person

    def count(self, pairs: Iterable[Pair]) -> int:
        return sum(len(self.ids[pair]) for pair in pairs)


@dataclass(frozen=True)
class Simulation:
    engine: Engine
    store: Store
    clock: ManualClock
    sync: sa.Engine
    """The simulation's own connection to the file, for what it writes and reads."""
    catalog: Catalog
    population: Population
    real_prune_ticks: int | None
    """How many of each day's prune ticks are whole ``Engine.tick()``s (None: all); the
    rest run only what such a tick adds when nothing is due, its prune."""


async def log_days_sql(
    folder: Path, size: int, days: int, real_prune_ticks: int | None = None
) -> JSON:
    """``days`` simulated days of the bench population: each day's log rows written in SQL,
    then real ticks on the 30-second grid from midnight UTC until the day's prune is done
    (one tick a step, each pruning its ``PRUNE_CHUNK``), and the real ticks at ``DUE_AT``
    with that minute's lessons due. Ticks between them would find nothing due and nothing
    to prune, and are not run.

    ``real_prune_ticks``: past that many prune ticks in a day, a step runs only the tick's
    prune, ``store.prune_deliveries(retention_cutoff(now, DEFAULT_RETENTION), PRUNE_CHUNK)``
    as ``Engine.tick`` calls it: the same chunks, counted as ticks, without the rest of an
    idle tick (tens of milliseconds each, which at 1,000,000 is minutes over the run)."""
    catalog = load_catalog()
    path = folder / f"days-sql-{size}.db"
    start = datetime.combine(BENCH_DAY, time(), UTC)
    store = await Store.open(sqlite_url(path))
    population = Population()
    per_day: list[JSON] = []
    sync = sa.create_engine(sqlite_url(path))
    try:
        progress(f"log (sql fill): populating {size:,} (untimed)")
        rows = Rows(catalog, start - MINUTE, store_key(sqlite_url(path)))
        populate_sqlite(path, population.keep(people(size, track_lengths(catalog))), rows)
        with sync.begin() as connection:
            connection.execute(sa.update(courses).values(next_due=FAR))
        clock = ManualClock(start)
        engine = Engine(store, catalog, clock, Instant())
        simulation = Simulation(engine, store, clock, sync, catalog, population, real_prune_ticks)
        for day in range(days):
            per_day.append(await _day(simulation, start, day))
            d = per_day[-1]
            progress(
                f"log (sql fill): day {day + 1}: {d['rows']:,} rows, {d['db_mib']:.0f} MiB, "
                f"pruned {d['pruned']:,} in {d['prune_ticks']} ticks (whole p50 "
                f"{d['prune_tick_p50_ms']:.0f} ms, prune only {d['prune_only_p50_ms']:.0f}), "
                f"due tick CPU p50 {d['tick_cpu_p50_ms']:.0f} ms, fill {d['fill_s']:.0f} s, "
                f"day {d['day_wall_s']:.0f} s"
            )
    finally:
        sync.dispose()
        await store.close()
    return {
        "size": size,
        "days": days,
        "fill": "sql",
        "step_s": TICK_EVERY.total_seconds(),
        "due_at_utc": [f"{at:%H:%M}" for at in DUE_AT],
        "prune_chunk": PRUNE_CHUNK,
        "ticks_a_day": TICKS_A_DAY,
        "retention_days": DEFAULT_RETENTION.days,
        "real_prune_ticks": real_prune_ticks,
        "per_day": per_day,
    }


async def _day(simulation: Simulation, start: datetime, day: int) -> JSON:
    began = perf_counter()
    sync, population = simulation.sync, simulation.population
    begin = start + day * DAY
    plan = day_plan(population.ids, begin, DUE_AT)
    due = {datetime.combine(begin.date(), at, UTC): 0 for at in DUE_AT}
    due.update({instant: population.count(pairs) for instant, pairs in plan.ticked.items()})
    fill_began = perf_counter()
    written, expected = _fill(sync, simulation.catalog, plan, population)
    fill_s = perf_counter() - fill_began
    _wind(sync, plan, population)
    ticks = DayTicks()
    pruning = True
    for step in range(TICKS_A_DAY):
        instant = begin + step * TICK_EVERY
        if not (pruning or instant in due):
            continue
        simulation.clock.set(instant)
        limit = simulation.real_prune_ticks
        whole = limit is None or ticks.prune_ticks < limit or instant in due
        wall, cpu = perf_counter(), process_time()
        if whole:
            report = await simulation.engine.tick()
        else:
            report = TickReport()
            cutoff = retention_cutoff(instant, DEFAULT_RETENTION)
            report.pruned = await simulation.store.prune_deliveries(cutoff, PRUNE_CHUNK)
        # CPU time too (this process, its SQLite thread included): the machine is shared.
        wall, cpu = perf_counter() - wall, process_time() - cpu
        ticks.add(report, wall, cpu, due.get(instant), whole=whole)
        pruning = pruning and report.pruned >= PRUNE_CHUNK
    rows, sizes = _log_size(sync)
    return {
        "day": day + 1,
        "rows": rows,
        **sizes,
        "written": written,
        "written_expected": expected,
        "fill_s": fill_s,
        **ticks.summary(),
        "prune_done": not pruning,
        "day_wall_s": perf_counter() - began,
    }


@dataclass
class DayTicks:
    """The day's ticks: those that only pruned, and those with lessons due."""

    prune_ms: list[float] = field(default_factory=list)
    prune_cpu_ms: list[float] = field(default_factory=list)
    prune_only_ms: list[float] = field(default_factory=list)
    """Steps that ran only the tick's prune (see ``Simulation.real_prune_ticks``)."""
    idle_cpu_ms: list[float] = field(default_factory=list)
    """Ticks that found nothing to prune and nothing due: the one at midnight that finds
    the prune done."""
    due_ms: list[float] = field(default_factory=list)
    due_cpu_ms: list[float] = field(default_factory=list)
    due: list[int] = field(default_factory=list)
    prune_ticks: int = 0
    pruned: int = 0
    sent: int = 0
    other: int = 0
    """Claims that ended otherwise than sent: none are expected."""

    def add(
        self, report: TickReport, wall_s: float, cpu_s: float, due: int | None, *, whole: bool
    ) -> None:
        self.pruned += report.pruned
        self.prune_ticks += report.pruned > 0
        self.sent += report.sent
        self.other += report.handled - report.sent
        if not whole:
            self.prune_only_ms.append(wall_s * 1000)
        elif due is None and report.pruned:
            self.prune_ms.append(wall_s * 1000)
            self.prune_cpu_ms.append(cpu_s * 1000)
        elif due is None:
            self.idle_cpu_ms.append(cpu_s * 1000)
        else:
            self.due.append(due)
            self.due_ms.append(wall_s * 1000)
            self.due_cpu_ms.append(cpu_s * 1000)

    def summary(self) -> JSON:
        return {
            "pruned": self.pruned,
            "prune_ticks": self.prune_ticks,
            "prune_tick_p50_ms": _median(self.prune_ms),
            "prune_tick_max_ms": max(self.prune_ms, default=0.0),
            "prune_tick_cpu_p50_ms": _median(self.prune_cpu_ms),
            "prune_only": len(self.prune_only_ms),
            "prune_only_p50_ms": _median(self.prune_only_ms),
            "prune_only_max_ms": max(self.prune_only_ms, default=0.0),
            "idle_tick_cpu_p50_ms": _median(self.idle_cpu_ms),
            "due_ticks": len(self.due),
            "due": sum(self.due),
            "due_per_tick_p50": _median([float(n) for n in self.due]),
            "sent": self.sent,
            "not_sent": self.other,
            # The keys of the ticking run's table: here the ticks with lessons due.
            "tick_p50_ms": _median(self.due_ms),
            "tick_max_ms": max(self.due_ms, default=0.0),
            "tick_cpu_p50_ms": _median(self.due_cpu_ms),
        }


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _fill(sync: sa.Engine, catalog: Catalog, plan: Plan, population: Population) -> tuple[int, int]:
    """The day's rows but those the real ticks log; how many went in, and how many the
    plan has (fewer went in only where a row of that person's local date was there)."""
    lessons = [
        (track.value, lesson.day, lesson.id) for track in Track for lesson in catalog.track(track)
    ]
    with sync.connect() as connection:
        # This connection is the simulation's, not the store's: unsynced, a large cache.
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        connection.exec_driver_sql("PRAGMA cache_size=-1000000")
        for statement in _PLAN_TABLES:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql("DELETE FROM temp.fill_plan")
        connection.exec_driver_sql("DELETE FROM temp.fill_lessons")
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.executemany("INSERT INTO temp.fill_plan VALUES (?, ?, ?, ?, ?)", plan.rows)
        raw.executemany("INSERT INTO temp.fill_lessons VALUES (?, ?, ?)", lessons)
        result = connection.execute(
            _FILL, {"kind": Kind.LESSON.value, "status": DeliveryStatus.SENT.value}
        )
        connection.commit()
        written = result.rowcount
        # The day's writes checkpointed, as the store's own commits would have done during
        # the day, so the ticks do not pay for the fill's.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    expected = population.count((zone, at) for zone, at, *_, ticked in plan.rows if not ticked)
    return written, expected


def _wind(sync: sa.Engine, plan: Plan, population: Population) -> None:
    """Those the day's real ticks take: due at their instant, positions wound back (see
    ``POSITION_CYCLE``); yesterday's, which their ticks planned for today, wait with the
    rest again."""
    people = courses.c
    wind = (
        sa.update(courses)
        .where(people.subscriber_id == sa.bindparam("person"))
        .values(
            next_due=sa.bindparam("due"),
            position=sa.case((people.position > POSITION_CYCLE, 2), else_=people.position),
        )
    )
    rows = [
        {"person": person, "due": instant}
        for instant, pairs in plan.ticked.items()
        for pair in pairs
        for person in population.ids[pair]
    ]
    with sync.begin() as connection:
        connection.execute(sa.update(courses).where(people.next_due < FAR).values(next_due=FAR))
        if rows:
            connection.execute(wind, rows)


def _log_size(sync: sa.Engine) -> tuple[int, JSON]:
    """The log's rows, and the file's size: all its pages, of them the free ones, and the
    write-ahead log beside it."""
    with sync.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(deliveries))
        rows = int(count.scalar_one())

        def pragma(name: str) -> int:
            return int(connection.exec_driver_sql(f"PRAGMA {name}").scalar_one())

        page = pragma("page_size")
        pages, free = pragma("page_count"), pragma("freelist_count")
        database = connection.exec_driver_sql("PRAGMA database_list").all()
    file = Path(next(row[2] for row in database if row[1] == "main"))
    wal = file.with_name(file.name + "-wal")
    sizes = {
        "db_mib": pages * page / 2**20,
        "free_mib": free * page / 2**20,
        "wal_mib": (wal.stat().st_size if wal.exists() else 0) / 2**20,
    }
    return rows, sizes
