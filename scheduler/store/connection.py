"""Connecting to the database and bringing its schema up to date.

One code path serves SQLite (the zero-set-up default) and PostgreSQL, through SQLAlchemy
Core over async drivers. Alembic migrations bring any database up to ``scheduler.tables``
when the store opens, so an upgrade never asks anyone to drop their data.
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

DEFAULT_DATABASE_URL = "sqlite:///data/softlanding.db"
_EXPECTED = "expected sqlite:///path/to/file.db or postgresql://user:password@host/dbname"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_SQLITE_SCHEMES = frozenset({"sqlite", "sqlite+aiosqlite"})
_POSTGRES_SCHEMES = frozenset({"postgresql", "postgres", "postgresql+asyncpg"})
_MIGRATIONS = Path(__file__).parent.parent / "migrations"
_SQLITE_BUSY_SECONDS = 30
# A checkpoint waits for readers on a busy handler of its own; a few tries ride out a reader
# that began just before it, without holding an erase up for minutes.
_CHECKPOINT_ATTEMPTS = 3
_CHECKPOINT_BUSY_SECONDS = 10
# How long one try at switching to WAL waits for the lock before letting go of its own.
_WAL_SWITCH_WAIT_MS = 100
# Any fixed number: processes starting together queue on it instead of racing to migrate.
_MIGRATION_LOCK = 0x50F7_1A4D


class StoreConfigError(ValueError):
    """The database setting cannot be used; the message is one line, safe to print."""


class StoreSchemaError(RuntimeError):
    """A table whose rows the store cannot attribute to a person, so could not erase."""


class Connected:
    """What every group of named operations stands on: one connection, inside one
    transaction that whoever made this object begins and ends."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @property
    def _postgresql(self) -> bool:
        return self._connection.dialect.name == "postgresql"

    def _insert(self, table: sa.Table) -> sqlite.Insert | postgresql.Insert:
        """An INSERT that knows ON CONFLICT: the one place the two dialects differ."""
        return postgresql.insert(table) if self._postgresql else sqlite.insert(table)


# --- configuration --------------------------------------------------------------------------


def database_url_from_setting(value: str | None) -> str:
    """The async SQLAlchemy URL for a ``DATABASE_URL`` setting (unset means the default).

    Accepts ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` and
    ``postgresql://`` or ``postgres://`` URLs; already-converted URLs pass through unchanged.
    Creates a SQLite file and its folder, readable by this user only, when they do not
    exist yet. Errors name the scheme, never the rest of the value,
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
    _private_folder(file.parent)
    _private_file(file)
    return f"sqlite+aiosqlite:///{file}"


def _private_folder(folder: Path) -> None:
    """Create ``folder`` for this user only (0700); an existing one is left as it is."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)


def _private_file(file: Path) -> None:
    """Create an empty database file for this user only (0600), so that no one else may
    read people's settings and progress. SQLite gives its -wal and -shm files the mode of
    the database file. An existing file is left as it is."""
    try:
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


def make_engine(url: str, *, migrating: bool = False) -> AsyncEngine:
    """An engine for ``url``; on SQLite, with the connection settings described below."""
    if url.startswith("sqlite"):
        # SQLite has one writer; others wait for it. Python's default of five seconds is too
        # short for processes starting together on a busy machine, so wait longer.
        engine = create_async_engine(url, connect_args={"timeout": _SQLITE_BUSY_SECONDS})
        _configure_sqlite(engine.sync_engine, migrating=migrating)
        return engine
    return create_async_engine(url)


def _configure_sqlite(engine: sa.Engine, *, migrating: bool) -> None:
    """WAL, secure delete, foreign keys, and transactions that SQLAlchemy begins itself.

    Python 3.11's sqlite3 never emits BEGIN before DDL or a SELECT, so a migration would
    commit statement by statement and a read-then-write transaction would read outside it.
    SQLAlchemy's recipe takes BEGIN over. It is IMMEDIATE because SQLite has one writer:
    a deferred transaction that reads, then writes after another connection committed,
    fails at once with "database is locked"; taking the lock up front makes it wait its
    turn (the busy timeout) instead, which is SQLite's counterpart of a row lock.

    Foreign keys are enforced in normal use, but off while migrating: a batch migration
    drops and recreates tables, and dropping ``subscribers`` with them on would cascade
    through everyone's progress. ``_upgrade`` checks them before it commits.

    Secure delete: SQLite built as upstream ships it only unlinks a deleted row, whose bytes
    stay in the file until the page is reused; on, it overwrites them with zeros, so an
    erased person is not left readable in the database file (``truncate_wal`` does the log).
    """
    foreign_keys = "OFF" if migrating else "ON"

    def on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: a commit appends to the log, so writes stay cheap and readers consistent.
        _switch_to_wal(cursor, dbapi_connection)
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA foreign_keys={foreign_keys}")
        cursor.close()

    def on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "begin", on_begin)


def _switch_to_wal(cursor: Any, dbapi_connection: Any) -> None:
    """Put the database in WAL mode, without deadlocking on another connection.

    In the rollback journal a new database starts in, the switch holds a shared lock while
    it waits for the database to itself; a writer that meanwhile needs to commit waits for
    that shared lock to go, and each waits the whole busy timeout for the other. So the
    switch waits only briefly, lets go, and asks again (waiting on the event loop, since the
    writer may be a store of this very process), until the busy timeout is spent.
    """
    deadline = time.monotonic() + _SQLITE_BUSY_SECONDS
    pause = 0.01
    cursor.execute(f"PRAGMA busy_timeout={_WAL_SWITCH_WAIT_MS}")
    try:
        while True:
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() + pause > deadline:
                    raise
            dbapi_connection.run_async(lambda _driver, seconds=pause: asyncio.sleep(seconds))
            pause = min(pause * 2, 0.5)
    finally:
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_SECONDS * 1000}")


class WalCheckpointBusyError(RuntimeError):
    """The write-ahead log could not be emptied: a reader held on to it through every try."""


async def truncate_wal(engine: AsyncEngine) -> tuple[int, int, int] | None:
    """Copy SQLite's write-ahead log into the database file and cut it to zero bytes.

    The log keeps every page a commit wrote, including the rows an erase deleted, until a
    checkpoint; this one leaves none of it behind. It runs on a connection of its own,
    outside any transaction, since a connection in a transaction cannot checkpoint. Returns
    SQLite's answer (busy, frames in the log, frames copied), ``(0, 0, 0)`` on success, or
    None on PostgreSQL, which has no such file. Raises WalCheckpointBusyError if readers kept it
    from finishing every time.
    """
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path:
        return None
    for attempt in range(1, _CHECKPOINT_ATTEMPTS + 1):
        answer = await asyncio.to_thread(_checkpoint, path)
        if answer[0] == 0:
            return answer
        await asyncio.sleep(0.1 * attempt)
    raise WalCheckpointBusyError("readers kept the write-ahead log from being emptied")


def _checkpoint(path: str) -> tuple[int, int, int]:
    connection = sqlite3.connect(path, timeout=_CHECKPOINT_BUSY_SECONDS, isolation_level=None)
    try:
        busy, in_log, copied = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    return int(busy), int(in_log), int(copied)


async def migrate(url: str) -> None:
    """Bring the schema up to date on an engine of its own, disposed before serving."""
    engine = make_engine(url, migrating=True)
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
