"""The store: every SQL statement the bot runs lives in this module.

One code path serves SQLite (the zero-set-up default) and PostgreSQL, through SQLAlchemy
Core over async drivers. The schema is in ``scheduler.tables``; Alembic migrations bring any
database up to it when the store opens, so an upgrade never asks anyone to drop their data.

Privacy: the store keeps settings, progress and the delivery log, never what a person
typed, and logs nothing that identifies a person. ``erase``, ``export`` and ``rows_about``
walk every table of the schema, so a table added later cannot be forgotten by them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from lessons.model import Track
from scheduler.model import Course, Kind, QuietMode, Reminders, Subscriber
from scheduler.tables import courses, deliveries, metadata, partner_links, subscribers
from scheduler.tables import reminders as reminders_table
from scheduler.timing import local_date

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite:///data/softlanding.db"
_EXPECTED = "expected sqlite:///path/to/file.db or postgresql://user:password@host/dbname"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_SQLITE_SCHEMES = frozenset({"sqlite", "sqlite+aiosqlite"})
_POSTGRES_SCHEMES = frozenset({"postgresql", "postgres", "postgresql+asyncpg"})
_MIGRATIONS = Path(__file__).with_name("migrations")
_SQLITE_BUSY_SECONDS = 30
# Any fixed number: processes starting together queue on it instead of racing to migrate.
_MIGRATION_LOCK = 0x50F7_1A4D


class StoreConfigError(ValueError):
    """The database setting cannot be used; the message is one line, safe to print."""


class StoreSchemaError(RuntimeError):
    """A table whose rows the store cannot attribute to a person, so could not erase."""


# --- configuration --------------------------------------------------------------------------


def database_url_from_setting(value: str | None) -> str:
    """The async SQLAlchemy URL for a ``DATABASE_URL`` setting (unset means the default).

    Accepts ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` and
    ``postgresql://`` or ``postgres://`` URLs; already-converted URLs pass through unchanged.
    Creates a SQLite file's folder. Errors name the scheme, never the rest of the value,
    which may hold a password.
    """
    raw = (value or "").strip() or DEFAULT_DATABASE_URL
    scheme, separator, rest = raw.partition("://")
    if not separator or not _SCHEME.fullmatch(scheme):
        raise StoreConfigError(f"DATABASE_URL is not a database URL; {_EXPECTED}")
    scheme = scheme.lower()
    if scheme in _SQLITE_SCHEMES:
        return _sqlite_url(rest)
    if scheme in _POSTGRES_SCHEMES:
        if not rest:
            raise StoreConfigError(f"DATABASE_URL has no host or database; {_EXPECTED}")
        return f"postgresql+asyncpg://{rest}"
    raise StoreConfigError(
        f"DATABASE_URL uses the scheme {scheme!r}, which the store does not support; {_EXPECTED}"
    )


def _sqlite_url(rest: str) -> str:
    # "sqlite:///data/x.db" leaves "/data/x.db": an empty host, then the path.
    host, _, path = rest.partition("/")
    if host:
        raise StoreConfigError(f"a SQLite URL has no host; {_EXPECTED}")
    if not path or path == ":memory:" or "?" in path:
        raise StoreConfigError(f"DATABASE_URL needs the path of a SQLite file; {_EXPECTED}")
    file = Path(path).absolute()
    file.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{file}"


def _engine(url: str, *, migrating: bool = False) -> AsyncEngine:
    """An engine for ``url``; on SQLite, with the connection settings described below."""
    if url.startswith("sqlite"):
        # SQLite has one writer; others wait for it. Python's default of five seconds is too
        # short for processes starting together on a busy machine, so wait longer.
        engine = create_async_engine(url, connect_args={"timeout": _SQLITE_BUSY_SECONDS})
        _configure_sqlite(engine.sync_engine, migrating=migrating)
        return engine
    return create_async_engine(url)


def _configure_sqlite(engine: sa.Engine, *, migrating: bool) -> None:
    """WAL, foreign keys, and transactions that SQLAlchemy begins itself.

    Python 3.11's sqlite3 never emits BEGIN before DDL or a SELECT, so a migration would
    commit statement by statement and a read-then-write transaction would read outside it.
    SQLAlchemy's recipe takes BEGIN over. It is IMMEDIATE because SQLite has one writer:
    a deferred transaction that reads, then writes after another connection committed,
    fails at once with "database is locked"; taking the lock up front makes it wait its
    turn (the busy timeout) instead, which is SQLite's counterpart of a row lock.

    Foreign keys are enforced in normal use, but off while migrating: a batch migration
    drops and recreates tables, and dropping ``subscribers`` with them on would cascade
    through everyone's progress. ``_upgrade`` checks them before it commits.
    """
    foreign_keys = "OFF" if migrating else "ON"

    def on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: a commit appends to the log, so writes stay cheap and readers consistent.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={foreign_keys}")
        cursor.close()

    def on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "begin", on_begin)


async def _migrate(url: str) -> None:
    """Bring the schema up to date on an engine of its own, disposed before serving."""
    engine = _engine(url, migrating=True)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade)
    finally:
        await engine.dispose()


def _upgrade(connection: sa.Connection) -> None:
    """Alembic ``upgrade head`` on one connection, inside its transaction."""
    if connection.dialect.name == "postgresql":
        # Several bot processes may start at once: one migrates, the others wait and find
        # nothing left to do.
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    before = MigrationContext.configure(connection).get_current_revision()
    command.upgrade(config, "head")
    migrated = MigrationContext.configure(connection).get_current_revision() != before
    # The check reads every row, so it runs only when a batch migration may have moved them:
    # an open of a current database stays as quick at a million people as at ten.
    if migrated and connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            tables = sorted({str(row[0]) for row in broken})
            raise StoreSchemaError(f"a migration left rows without their subscriber in {tables}")


# --- the person a row belongs to ------------------------------------------------------------


def person_filter(table: sa.Table, chat_id: int) -> sa.ColumnElement[bool]:
    """The rows of ``table`` about the person with ``chat_id``.

    Raises StoreSchemaError for a table with neither ``subscriber_id`` nor ``chat_id``:
    such a table would silently survive ``/delete``.
    """
    if "subscriber_id" in table.c:
        ids = sa.select(subscribers.c.id).where(subscribers.c.chat_id == chat_id)
        if "partner_id" in table.c:
            # A row joining two people (a partner link) is about each of them.
            return sa.or_(table.c.subscriber_id.in_(ids), table.c.partner_id.in_(ids))
        return table.c.subscriber_id.in_(ids)
    if "chat_id" in table.c:
        return table.c.chat_id == chat_id
    raise StoreSchemaError(
        f"table {table.name!r} has neither subscriber_id nor chat_id, "
        "so erase and export cannot find a person's rows in it"
    )


# --- rows <-> records -----------------------------------------------------------------------


def _hhmm(value: time) -> str:
    if value.second or value.microsecond:
        raise ValueError(f"times are kept to the minute, got {value.isoformat()}")
    return value.strftime("%H:%M")


def _days_mask(days: frozenset[int]) -> int:
    if any(not 0 <= day < 7 for day in days):
        raise ValueError(f"days are 0 (Monday) to 6 (Sunday), got {sorted(days)}")
    return sum(1 << day for day in days)


@cache
def _days(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask >> day & 1)


def _routines_text(routines: tuple[str, ...]) -> str:
    if any(not routine or "," in routine for routine in routines):
        raise ValueError("routine ids must be non-empty and free of commas")
    return ",".join(routines)


def _subscriber_values(subscriber: Subscriber) -> dict[str, object]:
    return {
        "chat_id": subscriber.chat_id,
        "timezone": subscriber.timezone,
        "discreet": subscriber.discreet,
        "quiet_start": _hhmm(subscriber.quiet_start),
        "quiet_end": _hhmm(subscriber.quiet_end),
        "quiet_mode": subscriber.quiet_mode.value,
        "blocked": subscriber.blocked,
    }


@cache
def _wall_time(text: str) -> time:
    """A stored "HH:MM"; cached, since a tick reads the same few hundred again and again."""
    return time.fromisoformat(text)


def _subscriber(row: Mapping[Any, Any]) -> Subscriber:
    return Subscriber(
        id=row["id"],
        chat_id=row["chat_id"],
        timezone=row["timezone"],
        discreet=row["discreet"],
        quiet_start=_wall_time(row["quiet_start"]),
        quiet_end=_wall_time(row["quiet_end"]),
        quiet_mode=QuietMode(row["quiet_mode"]),
        blocked=row["blocked"],
    )


def _course_values(course: Course) -> dict[str, object]:
    return {
        "subscriber_id": course.subscriber_id,
        "track": course.track.value,
        "active": course.active,
        "paused": course.paused,
        "days": _days_mask(course.days),
        "local_time": _hhmm(course.local_time),
        "position": course.position,
        "last_lesson_id": course.last_lesson_id,
        "next_due": course.next_due,
    }


def _course(row: Mapping[Any, Any]) -> Course:
    return Course(
        subscriber_id=row["subscriber_id"],
        track=Track(row["track"]),
        active=row["active"],
        paused=row["paused"],
        days=_days(row["days"]),
        local_time=_wall_time(row["local_time"]),
        position=row["position"],
        last_lesson_id=row["last_lesson_id"],
        next_due=row["next_due"],
    )


def _reminders_values(reminders: Reminders) -> dict[str, object]:
    # The snooze columns are left out on purpose: only ``snooze`` and the due queue write
    # them, so a settings change saved from an older read cannot undo a pending snooze.
    return {
        "subscriber_id": reminders.subscriber_id,
        "active": reminders.active,
        "paused": reminders.paused,
        "routines": _routines_text(reminders.routines),
        "days": _days_mask(reminders.days),
        "local_time": _hhmm(reminders.local_time),
        "rotation": reminders.rotation,
        "next_due": reminders.next_due,
    }


def _reminders(row: Mapping[Any, Any]) -> Reminders:
    routines: str = row["routines"]
    return Reminders(
        subscriber_id=row["subscriber_id"],
        active=row["active"],
        paused=row["paused"],
        routines=tuple(routines.split(",")) if routines else (),
        days=_days(row["days"]),
        local_time=_wall_time(row["local_time"]),
        rotation=row["rotation"],
        next_due=row["next_due"],
        snooze_due=row["snooze_due"],
        snoozed_routine=row["snoozed_routine"],
    )


def _jsonable(row: sa.RowMapping) -> dict[str, object]:
    return {
        key: value.isoformat() if isinstance(value, datetime | date) else value
        for key, value in row.items()
    }


# --- the due queue ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    """A due item this process has claimed in the delivery log and must now settle."""

    delivery_id: int
    kind: Kind
    subscriber: Subscriber
    state: Course | Reminders
    """The schedule's row as it was when claimed."""
    due: datetime
    local_date: date


Replan = Callable[[Claim], datetime | None]


@dataclass(frozen=True, slots=True)
class Finished:
    """A claim that ended: sent, skipped, or refused because the person blocked the bot."""

    claim: Claim
    status: str
    item_id: str | None
    advance: bool = False
    """Move the course to its next lesson, or the reminders to their next routine."""
    rest: bool = False
    """Pause a course whose track is finished: the completion note went out."""
    talk_at: datetime | None = None
    """When to prompt linked partners to talk about this lesson, if both chose so."""


@dataclass(frozen=True, slots=True)
class Released:
    """A claim given back unsent: its log row goes and the item is due again at ``due_again``."""

    claim: Claim
    due_again: datetime


# The statements that record outcomes, built once: every tick records many groups.
_SUBSCRIBER: sa.BindParameter[int] = sa.bindparam("subscriber")
_FINISH = (
    sa.update(deliveries)
    .where(deliveries.c.id == sa.bindparam("delivery"))
    .values(status=sa.bindparam("outcome"), item_id=sa.bindparam("item"), finished_at=sa.func.now())
)
_NEXT_LESSON = (
    sa.update(courses)
    .where(courses.c.subscriber_id == _SUBSCRIBER)
    .values(position=courses.c.position + 1, last_lesson_id=sa.bindparam("item"))
)
_REST = (
    sa.update(courses)
    .where(courses.c.subscriber_id == _SUBSCRIBER)
    .values(paused=True, next_due=None)
)
_PLAN_TALK = (
    sa.update(courses)
    .where(courses.c.subscriber_id == _SUBSCRIBER)
    .values(talk_due=sa.bindparam("talk"))
)
_NEXT_ROUTINE = (
    sa.update(reminders_table)
    .where(reminders_table.c.subscriber_id == _SUBSCRIBER)
    .values(rotation=reminders_table.c.rotation + 1)
)
_INVITER, _JOINER = courses.alias("inviter"), courses.alias("joiner")
_PEOPLE: sa.BindParameter[list[int]] = sa.bindparam("people", expanding=True)
_SAME_DAYS_PAIRS = (
    sa.select(partner_links.c.subscriber_id, partner_links.c.partner_id)
    .join(_INVITER, _INVITER.c.subscriber_id == partner_links.c.subscriber_id)
    .join(_JOINER, _JOINER.c.subscriber_id == partner_links.c.partner_id)
    .where(
        partner_links.c.linked,
        _INVITER.c.same_days,
        _JOINER.c.same_days,
        sa.or_(partner_links.c.subscriber_id.in_(_PEOPLE), partner_links.c.partner_id.in_(_PEOPLE)),
    )
)
"""Linked pairs where both chose the same days, with either side among ``people``."""


def _candidates(kind: Kind, table: sa.Table, rows: Sequence[sa.Row[Any]]) -> list[Claim]:
    """The claims due rows would make, before their log rows exist (``delivery_id`` 0).

    Each row holds the schedule's columns, then the person's (see ``claim_due``)."""
    own, person = [c.name for c in table.c], [c.name for c in subscribers.c]
    state_of = _course if kind in (Kind.LESSON, Kind.TALK) else _reminders
    due_name = _due_source(kind)[1].name
    claims = []
    for row in rows:
        state = dict(zip(own, row[: len(own)], strict=True))
        subscriber = _subscriber(dict(zip(person, row[len(own) :], strict=True)))
        due: datetime = state[due_name]
        day = local_date(due, subscriber.timezone)
        claims.append(Claim(0, kind, subscriber, state_of(state), due, day))
    return claims


def _due_source(kind: Kind) -> tuple[sa.Table, sa.Column[Any]]:
    """The table and the indexed column that say when an item of ``kind`` is due."""
    if kind is Kind.LESSON:
        return courses, courses.c.next_due
    if kind is Kind.REMINDER:
        return reminders_table, reminders_table.c.next_due
    if kind is Kind.TALK:
        return courses, courses.c.talk_due
    return reminders_table, reminders_table.c.snooze_due


def _live(table: sa.Table, kind: Kind) -> tuple[sa.ColumnElement[bool], ...]:
    if kind is not Kind.TALK:
        return (table.c.active, ~table.c.paused)
    # The evening prompt only while the person is still linked and still on the same days,
    # however the link ended (unlink, or /delete on the other side).
    links = partner_links.c
    linked = sa.exists().where(
        links.linked,
        sa.or_(
            links.subscriber_id == table.c.subscriber_id, links.partner_id == table.c.subscriber_id
        ),
    )
    return (table.c.active, ~table.c.paused, table.c.same_days, linked)


def _as_date(value: object) -> date | None:
    """SQLite hands a MAX() over dates back as text; PostgreSQL as a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# --- the store ------------------------------------------------------------------------------


class Store:
    """Named operations on the database; open with ``await Store.open(url)``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect and bring the schema up to date (idempotent: a current schema is kept)."""
        url = database_url_from_setting(url)
        await _migrate(url)
        engine = _engine(url)
        log.info("store ready on %s", engine.dialect.name)
        return cls(engine)

    async def close(self) -> None:
        await self._engine.dispose()

    async def ping(self) -> bool:
        """Whether the database answers, for health checks: never raises for a dead one."""
        try:
            async with self._engine.connect() as connection:
                await connection.execute(sa.select(1))
        except (SQLAlchemyError, OSError) as error:
            log.warning("database ping failed: %s", type(error).__name__)
            return False
        return True

    def _insert(self, table: sa.Table) -> sqlite.Insert | postgresql.Insert:
        """An INSERT that knows ON CONFLICT: the one place the two dialects differ."""
        if self._engine.dialect.name == "sqlite":
            return sqlite.insert(table)
        return postgresql.insert(table)

    async def _upsert(self, table: sa.Table, values: dict[str, object]) -> None:
        insert = self._insert(table).values(values)
        changes = {key: insert.excluded[key] for key in values if key != "subscriber_id"}
        statement = insert.on_conflict_do_update(index_elements=["subscriber_id"], set_=changes)
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    # --- subscribers

    async def find_subscriber(self, chat_id: int) -> Subscriber | None:
        async with self._engine.connect() as connection:
            return await _find_subscriber(connection, chat_id)

    async def ensure_subscriber(self, chat_id: int) -> Subscriber:
        """The subscriber for ``chat_id``, created with defaults on first contact.

        Two updates from one person may arrive together: ON CONFLICT DO NOTHING lets both
        succeed, and both read the same row.
        """
        defaults = _subscriber_values(Subscriber(id=0, chat_id=chat_id))
        insert = self._insert(subscribers).values(defaults)
        statement = insert.on_conflict_do_nothing(index_elements=["chat_id"])
        async with self._engine.begin() as connection:
            await connection.execute(statement)
            found = await _find_subscriber(connection, chat_id)
        if found is None:
            raise RuntimeError("a subscriber vanished while being created")
        return found

    async def save_subscriber(self, subscriber: Subscriber) -> None:
        """Store changed settings. A person erased meanwhile stays erased: nothing is
        recreated."""
        statement = (
            sa.update(subscribers)
            .where(subscribers.c.id == subscriber.id)
            .values(_subscriber_values(subscriber))
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    # --- course and reminders

    async def course(self, subscriber_id: int) -> Course:
        """The stored course, or the defaults when the person never chose one."""
        statement = sa.select(courses).where(courses.c.subscriber_id == subscriber_id)
        async with self._engine.connect() as connection:
            row = (await connection.execute(statement)).mappings().first()
        return Course(subscriber_id) if row is None else _course(row)

    async def save_course(self, course: Course) -> None:
        await self._upsert(courses, _course_values(course))

    async def move_course_on(self, subscriber_id: int, from_position: int, lesson_id: str) -> bool:
        """Record ``lesson_id`` as read and move on one lesson, only if the course is still
        at ``from_position``: of two taps on one button, or a tap racing the schedule, only
        the first moves the course. False when it had moved already."""
        statement = (
            sa.update(courses)
            .where(courses.c.subscriber_id == subscriber_id, courses.c.position == from_position)
            .values(position=from_position + 1, last_lesson_id=lesson_id)
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount > 0

    async def reminders(self, subscriber_id: int) -> Reminders:
        """The stored reminders, or the defaults when the person never chose any."""
        table = reminders_table
        statement = sa.select(table).where(table.c.subscriber_id == subscriber_id)
        async with self._engine.connect() as connection:
            row = (await connection.execute(statement)).mappings().first()
        return Reminders(subscriber_id) if row is None else _reminders(row)

    async def save_reminders(self, reminders: Reminders) -> None:
        await self._upsert(reminders_table, _reminders_values(reminders))

    async def stop_all(self, subscriber_id: int) -> None:
        """Silence both schedules; position, rotation and choices are kept for a return."""
        async with self._engine.begin() as connection:
            for table in (courses, reminders_table):
                await connection.execute(
                    sa.update(table)
                    .where(table.c.subscriber_id == subscriber_id)
                    .values(active=False, next_due=None)
                )

    # --- finished deliveries written directly: tests and the privacy operations use these;
    # the engine claims and records through the due queue below

    async def log_delivery(
        self,
        subscriber_id: int,
        kind: Kind | str,
        local_date: date,
        item_id: str | None,
        status: str,
        *,
        at: datetime | None = None,
    ) -> None:
        """Record a finished delivery; ``at`` defaults to the database's clock."""
        when: object = sa.func.now() if at is None else at
        statement = sa.insert(deliveries).values(
            subscriber_id=subscriber_id,
            kind=str(kind),
            local_date=local_date,
            item_id=item_id,
            status=status,
            claimed_at=when,
            finished_at=when,
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def delivery_count(self, subscriber_id: int) -> int:
        statement = (
            sa.select(sa.func.count())
            .select_from(deliveries)
            .where(deliveries.c.subscriber_id == subscriber_id)
        )
        async with self._engine.connect() as connection:
            return (await connection.execute(statement)).scalar_one()

    # --- privacy: every table, from the metadata

    async def export(self, chat_id: int) -> dict[str, object]:
        """Everything stored about a person, by table, ready for ``json.dumps``; ``{}`` for
        someone the bot knows nothing about."""
        async with self._engine.connect() as connection:
            if await _find_subscriber(connection, chat_id) is None:
                return {}
            data: dict[str, object] = {}
            for table in metadata.sorted_tables:
                statement = (
                    sa.select(table)
                    .where(person_filter(table, chat_id))
                    .order_by(*table.primary_key.columns)
                )
                rows = (await connection.execute(statement)).mappings()
                data[table.name] = [_jsonable(row) for row in rows]
        return data

    async def erase(self, chat_id: int) -> bool:
        """Delete every row about a person, in every table; True if there was any."""
        deleted = 0
        async with self._engine.begin() as connection:
            # Dependent tables first: their filter looks the person up in ``subscribers``.
            for table in reversed(metadata.sorted_tables):
                result = await connection.execute(
                    sa.delete(table).where(person_filter(table, chat_id))
                )
                deleted += result.rowcount
        return deleted > 0

    async def rows_about(self, chat_id: int) -> dict[str, int]:
        """How many rows each table holds about a person: the proof that erase is complete."""
        counts: dict[str, int] = {}
        async with self._engine.connect() as connection:
            for table in metadata.sorted_tables:
                statement = (
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(person_filter(table, chat_id))
                )
                counts[table.name] = (await connection.execute(statement)).scalar_one()
        return counts

    # --- partner links: only the two ids, the state, and an unused invite's hash and expiry

    async def create_invite(self, subscriber_id: int, code_hash: str, expires_at: datetime) -> bool:
        """A fresh invite, replacing this person's unused one; False while they are linked."""
        links = partner_links.c
        async with self._engine.begin() as connection:
            if await _linked_partner(connection, subscriber_id) is not None:
                return False
            await connection.execute(
                sa.delete(partner_links).where(links.subscriber_id == subscriber_id)
            )
            await connection.execute(
                sa.insert(partner_links).values(
                    subscriber_id=subscriber_id,
                    code_hash=code_hash,
                    linked=False,
                    expires_at=expires_at,
                )
            )
        return True

    async def join_invite(self, code_hash: str, partner_id: int, now: datetime) -> int | None:
        """Use an invite, once: the inviter's chat id, or None when the code is unknown, used
        or expired, is the person's own, or either side is already linked."""
        links = partner_links.c
        async with self._engine.begin() as connection:
            statement = sa.select(partner_links).where(links.code_hash == code_hash, ~links.linked)
            row = (await connection.execute(statement)).mappings().first()
            if row is None:
                return None
            inviter = int(row["subscriber_id"])
            if row["expires_at"] is None or row["expires_at"] <= now:
                await connection.execute(sa.delete(partner_links).where(links.id == row["id"]))
                return None
            taken = [await _linked_partner(connection, who) for who in (inviter, partner_id)]
            if inviter == partner_id or any(other is not None for other in taken):
                return None
            # The joiner's own unused invite goes: one person, one partner.
            await connection.execute(
                sa.delete(partner_links).where(links.subscriber_id == partner_id, ~links.linked)
            )
            # Matching the hash again makes the use single even when two joins race.
            used = await connection.execute(
                sa.update(partner_links)
                .where(links.id == row["id"], links.code_hash == code_hash)
                .values(partner_id=partner_id, linked=True, code_hash=None, expires_at=None)
            )
            if used.rowcount != 1:
                return None
            return await _chat_of(connection, inviter)

    async def partner_chat(self, subscriber_id: int) -> int | None:
        """The chat id of the person linked with this one, or None."""
        async with self._engine.connect() as connection:
            partner = await _linked_partner(connection, subscriber_id)
            return None if partner is None else await _chat_of(connection, partner)

    async def unlink(self, subscriber_id: int) -> int | None:
        """End this person's link, from either side, and drop any unused invite of theirs;
        the chat id of the person who was linked, or None."""
        links = partner_links.c
        async with self._engine.begin() as connection:
            partner = await _linked_partner(connection, subscriber_id)
            chat_id = None if partner is None else await _chat_of(connection, partner)
            await connection.execute(
                sa.delete(partner_links).where(
                    sa.or_(links.subscriber_id == subscriber_id, links.partner_id == subscriber_id)
                )
            )
            # Same days and the evening prompt belong to the link: both go with it.
            await connection.execute(
                sa.update(courses)
                .where(courses.c.subscriber_id.in_([subscriber_id, partner or subscriber_id]))
                .values(same_days=False, talk_due=None)
            )
        return chat_id

    async def partner_id(self, subscriber_id: int) -> int | None:
        """The subscriber id this person is linked with, or None."""
        async with self._engine.connect() as connection:
            return await _linked_partner(connection, subscriber_id)

    async def same_days(self, subscriber_id: int) -> bool:
        """Whether this person chose to get their lessons on their partner's days."""
        statement = sa.select(courses.c.same_days).where(courses.c.subscriber_id == subscriber_id)
        async with self._engine.connect() as connection:
            return bool((await connection.execute(statement)).scalar_one_or_none())

    async def set_same_days(self, subscriber_id: int, on: bool) -> None:
        """Record this person's choice (their course row must exist); turning it off also
        drops any evening prompt planned for either of the two."""
        async with self._engine.begin() as connection:
            await connection.execute(
                sa.update(courses)
                .where(courses.c.subscriber_id == subscriber_id)
                .values(same_days=on)
            )
            if on:
                return
            partner = await _linked_partner(connection, subscriber_id)
            await connection.execute(
                sa.update(courses)
                .where(courses.c.subscriber_id.in_([subscriber_id, partner or subscriber_id]))
                .values(talk_due=None)
            )

    # --- the due queue and the delivery log

    async def last_delivery_day(self, subscriber_id: int, kind: Kind) -> date | None:
        """The latest local date with a delivery logged for this person and kind (sent,
        skipped or claimed): no later change of settings may deliver again on that day."""
        statement = sa.select(sa.func.max(deliveries.c.local_date)).where(
            deliveries.c.subscriber_id == subscriber_id, deliveries.c.kind == kind.value
        )
        async with self._engine.connect() as connection:
            day = (await connection.execute(statement)).scalar_one_or_none()
        return _as_date(day)

    async def claim_due(self, kind: Kind, now: datetime, limit: int, replan: Replan) -> list[Claim]:
        """Take up to ``limit`` items due at ``now`` and claim each in the delivery log.

        In one transaction: the due rows are read in due order from the index, locked with
        ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so another process ticking at the same time
        takes different rows, each gets a log row under the unique (subscriber, kind, local
        date) key, and each row's due instant moves on to ``replan(claim)``. A row whose day
        was already logged is only moved on, not claimed: that is the never-twice rule.

        Three statements however many rows are due, so a tick's cost barely grows with them.
        """
        table, due_column = _due_source(kind)
        statement = (
            sa.select(*table.c, *subscribers.c)
            .join(subscribers, subscribers.c.id == table.c.subscriber_id)
            .where(due_column <= now, ~subscribers.c.blocked, *_live(table, kind))
            .order_by(due_column)
            .limit(limit)
        )
        if self._engine.dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True, of=table)
        async with self._engine.begin() as connection:
            rows = (await connection.execute(statement)).all()
            if not rows:
                return []
            candidates = _candidates(kind, table, rows)
            logged = await self._log_claims(connection, candidates, now)
            await connection.execute(
                sa.update(table)
                .where(table.c.subscriber_id == sa.bindparam("subscriber"))
                .values({due_column.name: sa.bindparam("due")}),
                [{"subscriber": c.subscriber.id, "due": replan(c)} for c in candidates],
            )
        return [
            replace(candidate, delivery_id=logged[candidate.subscriber.id])
            for candidate in candidates
            if candidate.subscriber.id in logged
        ]

    async def _log_claims(
        self, connection: AsyncConnection, candidates: list[Claim], now: datetime
    ) -> dict[int, int]:
        """Insert a "claimed" log row for each candidate whose day has none yet; the new
        rows' ids by subscriber id (one claim per person and kind in a batch)."""
        insert = (
            self._insert(deliveries)
            .values(status="claimed", claimed_at=now)
            .on_conflict_do_nothing(index_elements=["subscriber_id", "kind", "local_date"])
            .returning(deliveries.c.subscriber_id, deliveries.c.id)
        )
        rows = [
            {"subscriber_id": c.subscriber.id, "kind": c.kind.value, "local_date": c.local_date}
            for c in candidates
        ]
        result = await connection.execute(insert, rows)
        return {int(subscriber_id): int(delivery_id) for subscriber_id, delivery_id in result}

    async def settle(self, outcomes: Sequence[Finished | Released]) -> None:
        """Record how a group of claims ended, in one transaction: a few statements for the
        whole group rather than several for each of its items."""
        finished = [outcome for outcome in outcomes if isinstance(outcome, Finished)]
        released = [outcome for outcome in outcomes if isinstance(outcome, Released)]
        if not finished and not released:
            return
        async with self._engine.begin() as connection:
            if finished:
                await _record_finished(connection, finished)
            if released:
                await _record_released(connection, released)

    async def snooze(self, subscriber_id: int, routine_id: str, until: datetime) -> bool:
        """Ask for one routine again at ``until``; False when it was already snoozed today
        or reminders are off."""
        table = reminders_table
        statement = (
            sa.update(table)
            .where(
                table.c.subscriber_id == subscriber_id, table.c.active, table.c.snooze_due.is_(None)
            )
            .values(snooze_due=until, snoozed_routine=routine_id)
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount > 0

    async def set_blocked(self, subscriber_id: int, blocked: bool) -> bool:
        """Mark whether the person blocked the bot; True when that changed anything.

        A blocked person's due instants are cleared, so no tick reads their rows again;
        ``scheduler.planning.replan`` restores them when the person comes back."""
        async with self._engine.begin() as connection:
            if blocked:
                return await _mark_blocked(connection, [subscriber_id]) > 0
            result = await connection.execute(
                sa.update(subscribers)
                .where(subscribers.c.id == subscriber_id, subscribers.c.blocked)
                .values(blocked=False)
            )
            return result.rowcount > 0

    # --- monitoring: read-only counts, never about one person ----------------------------------

    async def due_backlog(self, now: datetime) -> int:
        """How many items of every kind are due at ``now`` and not yet claimed."""
        total = 0
        async with self._engine.connect() as connection:
            for kind in Kind:
                table, due_column = _due_source(kind)
                statement = (
                    sa.select(sa.func.count())
                    .select_from(table.join(subscribers, subscribers.c.id == table.c.subscriber_id))
                    .where(due_column <= now, ~subscribers.c.blocked, *_live(table, kind))
                )
                total += (await connection.execute(statement)).scalar_one()
        return total

    async def stats(self, now: datetime) -> Stats:
        """Totals for the operator's ``/stats``: subscribers by track, deliveries since the
        start of the UTC day by outcome, the due backlog and how many blocked the bot."""
        day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        by_track = (
            sa.select(courses.c.track, sa.func.count())
            .where(courses.c.active)
            .group_by(courses.c.track)
        )
        by_status = (
            sa.select(deliveries.c.status, sa.func.count())
            .where(deliveries.c.claimed_at >= day_start)
            .group_by(deliveries.c.status)
        )
        blocked = sa.select(sa.func.count()).where(subscribers.c.blocked)
        async with self._engine.connect() as connection:
            tracks = {str(t): int(n) for t, n in (await connection.execute(by_track)).all()}
            statuses = {str(s): int(n) for s, n in (await connection.execute(by_status)).all()}
            blocked_count = (await connection.execute(blocked)).scalar_one()
        return Stats(tracks, statuses, await self.due_backlog(now), blocked_count)


@dataclass(frozen=True, slots=True)
class Stats:
    subscribers_by_track: dict[str, int]
    """Active courses by track; people with only reminders are not in here."""
    deliveries_today: dict[str, int]
    """Since 00:00 UTC, by status: sent, skipped, blocked, or claimed (not settled)."""
    backlog: int
    blocked: int


async def _linked_partner(connection: AsyncConnection, subscriber_id: int) -> int | None:
    """The subscriber id of the person linked with this one, from either side, or None."""
    links = partner_links.c
    statement = sa.select(links.subscriber_id, links.partner_id).where(
        links.linked,
        sa.or_(links.subscriber_id == subscriber_id, links.partner_id == subscriber_id),
    )
    row = (await connection.execute(statement)).first()
    if row is None:
        return None
    inviter, partner = row
    return int(partner if inviter == subscriber_id else inviter)


async def _record_finished(connection: AsyncConnection, finished: list[Finished]) -> None:
    """The log rows' outcomes, then what each outcome moves on: a course to its next lesson
    (counted in SQL, so a lesson read on demand meanwhile is not undone) or to rest once its
    track is finished, the reminders to their next routine, and the evening prompt after a
    lesson, planned only while the person is linked and both chose the same days."""
    await _execute_many(
        connection,
        _FINISH,
        [
            {"delivery": f.claim.delivery_id, "outcome": f.status, "item": f.item_id}
            for f in finished
        ],
    )
    lessons = [f for f in finished if f.claim.kind is Kind.LESSON]
    advanced = [f for f in lessons if f.advance]
    await _execute_many(
        connection,
        _NEXT_LESSON,
        [{"subscriber": f.claim.subscriber.id, "item": f.item_id} for f in advanced],
    )
    await _execute_many(
        connection, _REST, [{"subscriber": f.claim.subscriber.id} for f in lessons if f.rest]
    )
    talkers = [f for f in advanced if f.talk_at is not None]
    together = await _both_same_days(connection, [f.claim.subscriber.id for f in talkers])
    await _execute_many(
        connection,
        _PLAN_TALK,
        [
            {"subscriber": f.claim.subscriber.id, "talk": f.talk_at}
            for f in talkers
            if f.claim.subscriber.id in together
        ],
    )
    await _execute_many(
        connection,
        _NEXT_ROUTINE,
        [
            {"subscriber": f.claim.subscriber.id}
            for f in finished
            if f.claim.kind is Kind.REMINDER and f.advance
        ],
    )
    blocked = [f.claim.subscriber.id for f in finished if f.status == "blocked"]
    if blocked:
        await _mark_blocked(connection, blocked)


async def _record_released(connection: AsyncConnection, released: list[Released]) -> None:
    """Give claims back: their log rows go, and each item is due again when it says."""
    await connection.execute(
        sa.delete(deliveries).where(deliveries.c.id.in_([r.claim.delivery_id for r in released]))
    )
    for kind in {r.claim.kind for r in released}:
        table, due_column = _due_source(kind)
        await connection.execute(
            sa.update(table)
            .where(table.c.subscriber_id == sa.bindparam("subscriber"))
            .values({due_column.name: sa.bindparam("due")}),
            [
                {"subscriber": r.claim.subscriber.id, "due": r.due_again}
                for r in released
                if r.claim.kind is kind
            ],
        )


async def _execute_many(
    connection: AsyncConnection, statement: sa.Executable, rows: list[dict[str, object]]
) -> None:
    """``statement`` once per row, in one round trip; nothing at all for no rows."""
    if rows:
        await connection.execute(statement, rows)


async def _mark_blocked(connection: AsyncConnection, subscriber_ids: list[int]) -> int:
    """Mark people as having blocked the bot and clear their due instants, so no tick reads
    their rows again; how many were not marked before."""
    result = await connection.execute(
        sa.update(subscribers)
        .where(subscribers.c.id.in_(subscriber_ids), ~subscribers.c.blocked)
        .values(blocked=True)
    )
    for table in (courses, reminders_table):
        await connection.execute(
            sa.update(table).where(table.c.subscriber_id.in_(subscriber_ids)).values(next_due=None)
        )
    return result.rowcount


async def _both_same_days(connection: AsyncConnection, subscriber_ids: list[int]) -> set[int]:
    """Those of ``subscriber_ids`` who are linked, with both of the two on the same days."""
    if not subscriber_ids:
        return set()
    pairs = (await connection.execute(_SAME_DAYS_PAIRS, {"people": subscriber_ids})).all()
    return {int(person) for pair in pairs for person in pair} & set(subscriber_ids)


async def _chat_of(connection: AsyncConnection, subscriber_id: int) -> int | None:
    statement = sa.select(subscribers.c.chat_id).where(subscribers.c.id == subscriber_id)
    chat_id = (await connection.execute(statement)).scalar_one_or_none()
    return None if chat_id is None else int(chat_id)


async def _find_subscriber(connection: AsyncConnection, chat_id: int) -> Subscriber | None:
    statement = sa.select(subscribers).where(subscribers.c.chat_id == chat_id)
    row = (await connection.execute(statement)).mappings().first()
    return None if row is None else _subscriber(row)
