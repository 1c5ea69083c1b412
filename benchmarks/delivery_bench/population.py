"""Who the subscribers are, and the rows that put them in a database."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import accumulate, islice
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.delivery_bench.common import (
    CHAT_BASE,
    JSON,
    MINUTE,
    progress,
    sqlite_url,
)
from bot.ui.when import COMMON_TIMES
from lessons import Catalog, Track, load_catalog
from scheduler.crypto import DataKey, key_from_file
from scheduler.model import EVERY_DAY, Kind
from scheduler.store import Store, database_url_from_setting, default_key_file
from scheduler.tables import courses, deliveries, partner_links, subscribers
from scheduler.timing import next_due, wall_clock_instant, zone_info

LOAD_BATCH = 20_000
"""Rows per bulk insert while populating: large enough to be fast, small enough for memory."""

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


# --- rows consistent with the model ------------------------------------------------------------


class Rows:
    """Subscribed, active, yesterday's lesson sent and logged, the next one planned by the
    same ``next_due`` the engine uses, as seen just after a tick at ``after``."""

    def __init__(self, catalog: Catalog, after: datetime, key: DataKey) -> None:
        self._after = after
        self._key = key
        self._lesson_ids = {
            (track, lesson.day): lesson.id for track in Track for lesson in catalog.track(track)
        }
        self._days = sum(1 << day for day in EVERY_DAY)

    def tables(self) -> tuple[tuple[sa.Table, Callable[[Person], JSON | None]], ...]:
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
            "chat_hash": self._key.lookup(person.chat_id),
            "chat_sealed": self._key.seal(person.chat_id),
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


def store_key(url: str) -> DataKey:
    """The data key ``Store.open(url)`` seals chat ids with: its default key file."""
    return key_from_file(default_key_file(database_url_from_setting(url)), "DATA_KEY_FILE")


def batches(persons: Iterable[Person], size: int = LOAD_BATCH) -> Iterator[list[Person]]:
    iterator = iter(persons)
    while batch := list(islice(iterator, size)):
        yield batch


def table_rows(rows: Rows, batch: list[Person]) -> Iterator[tuple[sa.Table, list[JSON]]]:
    """Each table's rows for ``batch``, parents first; a table with none is left out."""
    for table, make in rows.tables():
        values = [row for row in map(make, batch) if row is not None]
        if values:
            yield table, values


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
                    for table, values in table_rows(rows, batch):
                        connection.execute(table.insert(), values)
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
                for table, values in table_rows(rows, batch):
                    records = [tuple(row.values()) for row in values]
                    await raw.copy_records_to_table(
                        table.name, records=records, columns=list(values[0])
                    )
            for table in (subscribers, deliveries, partner_links):
                await connection.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :n)"),
                    {"n": await connection.scalar(sa.select(sa.func.max(table.c.id))) or 1},
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


# --- everyone due at once: the send rate (3) and the engine alone (4) ------------------------


async def due_store(path: Path, count: int, tick: datetime) -> tuple[Store, Catalog]:
    """A store whose ``count`` subscribers are all due at ``tick``, in their own zones."""
    catalog = load_catalog()
    store = await Store.open(sqlite_url(path))
    persons = (due_at(person, tick) for person in people(count, track_lengths(catalog)))
    populate_sqlite(path, persons, Rows(catalog, tick - MINUTE, store_key(sqlite_url(path))))
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
