"""The store's front: ``Store`` opens the database and hands out units of work.

``async with store.transaction() as tx:`` yields a ``Transaction``: every named operation,
on one connection, in one transaction that commits when the block ends and rolls back if
it raises. On SQLite it holds the one write lock throughout.

``async with store.reading() as tx:`` yields ``Reads``: only the operations that read, on
one connection, in one transaction that sees one consistent state and takes no write lock
(SQLite: a deferred ``BEGIN``; PostgreSQL: ``BEGIN READ ONLY``). A read never waits behind
a writer, nor holds one up. An action that may write uses ``transaction()``, one that only
looks uses ``reading()``; either way, one per action.

Each plain ``Store`` method is the same operation in a transaction of its own (a read in a
reading one), so every operation has exactly one implementation, the ``Transaction``'s.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import date, datetime, time
from functools import wraps
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduler.couple import Link
from scheduler.crypto import DataKey, key_from_file
from scheduler.model import Course, Kind, Recipient, Reminders, Subscriber
from scheduler.profile import Profile
from scheduler.store.answers import AnswerOperations
from scheduler.store.connection import (
    WalCheckpointBusyError,
    database_url_from_setting,
    default_key_file,
    make_engine,
    migrate,
    read_only_options,
    truncate_wal,
)
from scheduler.store.evenings import EveningOperations
from scheduler.store.held import HeldOperations
from scheduler.store.keys import KeyOperations
from scheduler.store.outcomes import OutcomeOperations
from scheduler.store.partners import PartnerOperations
from scheduler.store.people import PeopleOperations
from scheduler.store.privacy import EraseFailedError, PrivacyOperations, cannot_write_now
from scheduler.store.queue import QueueOperations
from scheduler.store.stats import Stats, StatsOperations

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class Transaction(
    PeopleOperations,
    # The held items' operations build on the queue's, so they come first.
    HeldOperations,
    QueueOperations,
    OutcomeOperations,
    PartnerOperations,
    EveningOperations,
    PrivacyOperations,
    StatsOperations,
    KeyOperations,
    AnswerOperations,
):
    """Every named operation on one connection, inside one transaction: what one of them
    writes, the next one reads, and all of it commits or none. Valid only inside the
    ``async with store.transaction()`` block that made it."""


class Reads(Protocol):
    """The operations that only read: what ``Store.reading()`` offers. A ``Transaction``
    has all of them (mypy checks it where ``reading`` hands one out), so each keeps its one
    implementation; an operation that writes is simply not here."""

    async def find_subscriber(self, chat_id: int) -> Subscriber | None: ...
    async def course(self, subscriber_id: int) -> Course: ...
    async def reminders(self, subscriber_id: int) -> Reminders: ...
    async def last_delivery_day(self, subscriber_id: int, kind: Kind) -> date | None: ...
    async def delivery_count(self, subscriber_id: int) -> int: ...
    async def partner_chat(self, subscriber_id: int) -> Recipient | None: ...
    async def partner_id(self, subscriber_id: int) -> int | None: ...
    async def evening(self, subscriber_id: int) -> time | None: ...
    async def link(self, subscriber_id: int) -> Link | None: ...
    async def profile(self, subscriber_id: int) -> Profile: ...
    async def earliest_due(self) -> datetime | None: ...
    async def export(self, chat_id: int) -> dict[str, object]: ...
    async def rows_about(self, chat_id: int) -> dict[str, int]: ...
    async def due_backlog(self, now: datetime) -> int: ...
    async def stats(self, now: datetime) -> Stats: ...


def _on_its_own(
    operation: Callable[Concatenate[Transaction, P], Awaitable[R]],
) -> Callable[Concatenate[Store, P], Coroutine[Any, Any, R]]:
    """A ``Store`` method that runs ``operation`` in a transaction of its own."""

    @wraps(operation)
    async def run(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        async with store.transaction() as tx:
            return await operation(tx, *args, **kwargs)

    return run


def _read_on_its_own(
    operation: Callable[Concatenate[Transaction, P], Awaitable[R]],
) -> Callable[Concatenate[Store, P], Coroutine[Any, Any, R]]:
    """A ``Store`` method that runs ``operation``, which only reads, in a reading
    transaction of its own."""

    @wraps(operation)
    async def run(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        async with store._reading_transaction() as tx:
            return await operation(tx, *args, **kwargs)

    return run


class Store:
    """Named operations on the database; open with ``await Store.open(url)``."""

    def __init__(self, engine: AsyncEngine, key: DataKey) -> None:
        self._engine = engine
        self._key = key

    @classmethod
    async def open(cls, url: str, key: DataKey | None = None) -> Store:
        """Connect, bring the schema up to date (idempotent: a current schema is kept) and
        check the data key (``WrongDataKeyError`` for another database's key).

        Without ``key``, the default key file is used, written on first use (see
        ``default_key_file``): what the bot does when neither DATA_KEY nor DATA_KEY_FILE
        is set."""
        url = database_url_from_setting(url)
        if key is None:
            key = key_from_file(default_key_file(url), "DATA_KEY_FILE")
        await migrate(url, key)
        engine = make_engine(url)
        log.info("store ready on %s", engine.dialect.name)
        return cls(engine, key)

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

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A unit of work: commits when the block ends, rolls back if it raises.

        On SQLite it holds the one write lock from its first statement to its end, so keep
        it short: no network call inside one."""
        async with self._engine.begin() as connection:
            yield Transaction(connection, self._key)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Reads]:
        """A unit of work that only reads: one connection, one transaction, one consistent
        view of the database, and no write lock (see the module's docstring). It commits
        nothing; on PostgreSQL a write inside it fails."""
        async with self._reading_transaction() as tx:
            yield tx

    @asynccontextmanager
    async def _reading_transaction(self) -> AsyncIterator[Transaction]:
        async with self._engine.connect() as connection:
            await connection.execution_options(**read_only_options(connection.dialect.name))
            async with connection.begin():
                yield Transaction(connection, self._key)

    # --- subscribers, course and reminders
    find_subscriber = _read_on_its_own(Transaction.find_subscriber)
    ensure_subscriber = _on_its_own(Transaction.ensure_subscriber)
    save_subscriber = _on_its_own(Transaction.save_subscriber)
    course = _read_on_its_own(Transaction.course)
    save_course = _on_its_own(Transaction.save_course)
    move_course_on = _on_its_own(Transaction.move_course_on)
    reminders = _read_on_its_own(Transaction.reminders)
    save_reminders = _on_its_own(Transaction.save_reminders)
    stop_all = _on_its_own(Transaction.stop_all)
    stop_reminders = _on_its_own(Transaction.stop_reminders)
    snooze = _on_its_own(Transaction.snooze)
    set_blocked = _on_its_own(Transaction.set_blocked)

    # --- the due queue and the delivery log
    last_delivery_day = _read_on_its_own(Transaction.last_delivery_day)
    claim_due = _on_its_own(Transaction.claim_due)
    earliest_due = _on_its_own(Transaction.earliest_due)
    reclaim_expired = _on_its_own(Transaction.reclaim_expired)
    take_held = _on_its_own(Transaction.take_held)
    earliest_held = _on_its_own(Transaction.earliest_held)
    start_sending = _on_its_own(Transaction.start_sending)
    settle = _on_its_own(Transaction.settle)
    log_delivery = _on_its_own(Transaction.log_delivery)
    delivery_count = _read_on_its_own(Transaction.delivery_count)
    prune_deliveries = _on_its_own(Transaction.prune_deliveries)

    # --- partner links
    create_invite = _on_its_own(Transaction.create_invite)
    join_invite = _on_its_own(Transaction.join_invite)
    partner_chat = _read_on_its_own(Transaction.partner_chat)
    partner_id = _read_on_its_own(Transaction.partner_id)
    lock_link = _on_its_own(Transaction.lock_link)
    evening = _read_on_its_own(Transaction.evening)
    expire_checkins = _on_its_own(Transaction.expire_checkins)
    open_checkin = _on_its_own(Transaction.open_checkin)

    # --- the course questions and the taps under lessons
    profile = _on_its_own(Transaction.profile)
    profiles = _on_its_own(Transaction.profiles)

    # --- privacy: every table, from the metadata
    export = _read_on_its_own(Transaction.export)
    rows_about = _read_on_its_own(Transaction.rows_about)

    async def erase(self, chat_id: int) -> bool:
        """Delete every row about a person, leaving no byte of them in the database files
        (see ``erasing``); True if there was any row."""
        async with self.erasing() as tx:
            return await tx.erase(chat_id)

    @asynccontextmanager
    async def erasing(self) -> AsyncIterator[Transaction]:
        """A transaction that erases: once it commits, SQLite's write-ahead log is emptied,
        so that no byte of what it deleted is left in the database files.

        Raises EraseFailedError if the database is locked or full; erasing again finishes
        it. It is never part of a larger transaction: the log can only be emptied after the
        deletion commits.
        """
        try:
            async with self.transaction() as tx:
                yield tx
        except sa.exc.DBAPIError as error:
            if not cannot_write_now(error):
                raise
            raise EraseFailedError(rows_erased=False) from error
        try:
            await truncate_wal(self._engine)
        except (WalCheckpointBusyError, sqlite3.OperationalError) as error:
            raise EraseFailedError(rows_erased=True) from error

    async def rotate_key(self, new: DataKey) -> int:
        """Seal every chat id, course answer and lesson tap with ``new`` in one transaction
        (see ``Transaction.reseal``), then empty SQLite's write-ahead log of the old sealed
        values; this store uses ``new`` from then on. How many people were sealed again."""
        async with self.transaction() as tx:
            count = await tx.reseal(new)
        self._key = new
        await truncate_wal(self._engine)
        return count

    # --- monitoring: read-only counts, never about one person
    due_backlog = _read_on_its_own(Transaction.due_backlog)
    stats = _read_on_its_own(Transaction.stats)
