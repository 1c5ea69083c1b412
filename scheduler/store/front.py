"""The store's front: ``Store`` opens the database and hands out units of work.

``async with store.transaction() as tx:`` yields a ``Transaction``: every named operation,
on one connection, in one transaction that commits when the block ends and rolls back if
it raises. Each plain ``Store`` method is the same operation in a transaction of its own,
so every operation has exactly one implementation, the ``Transaction``'s.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduler.store.answers import AnswerOperations
from scheduler.store.connection import (
    WalCheckpointBusyError,
    database_url_from_setting,
    make_engine,
    migrate,
    truncate_wal,
)
from scheduler.store.outcomes import OutcomeOperations
from scheduler.store.partners import PartnerOperations
from scheduler.store.people import PeopleOperations
from scheduler.store.privacy import EraseFailedError, PrivacyOperations, cannot_write_now
from scheduler.store.queue import QueueOperations
from scheduler.store.stats import StatsOperations

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class Transaction(
    PeopleOperations,
    QueueOperations,
    OutcomeOperations,
    PartnerOperations,
    PrivacyOperations,
    StatsOperations,
    AnswerOperations,
):
    """Every named operation on one connection, inside one transaction: what one of them
    writes, the next one reads, and all of it commits or none. Valid only inside the
    ``async with store.transaction()`` block that made it."""


def _on_its_own(
    operation: Callable[Concatenate[Transaction, P], Awaitable[R]],
) -> Callable[Concatenate[Store, P], Coroutine[Any, Any, R]]:
    """A ``Store`` method that runs ``operation`` in a transaction of its own."""

    @wraps(operation)
    async def run(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        async with store.transaction() as tx:
            return await operation(tx, *args, **kwargs)

    return run


class Store:
    """Named operations on the database; open with ``await Store.open(url)``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect and bring the schema up to date (idempotent: a current schema is kept)."""
        url = database_url_from_setting(url)
        await migrate(url)
        engine = make_engine(url)
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

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A unit of work: commits when the block ends, rolls back if it raises.

        On SQLite it holds the one write lock from its first statement to its end, so keep
        it short: no network call inside one."""
        async with self._engine.begin() as connection:
            yield Transaction(connection)

    # --- subscribers, course and reminders
    find_subscriber = _on_its_own(Transaction.find_subscriber)
    ensure_subscriber = _on_its_own(Transaction.ensure_subscriber)
    save_subscriber = _on_its_own(Transaction.save_subscriber)
    course = _on_its_own(Transaction.course)
    save_course = _on_its_own(Transaction.save_course)
    move_course_on = _on_its_own(Transaction.move_course_on)
    reminders = _on_its_own(Transaction.reminders)
    save_reminders = _on_its_own(Transaction.save_reminders)
    stop_all = _on_its_own(Transaction.stop_all)
    snooze = _on_its_own(Transaction.snooze)
    set_blocked = _on_its_own(Transaction.set_blocked)

    # --- the due queue and the delivery log
    last_delivery_day = _on_its_own(Transaction.last_delivery_day)
    claim_due = _on_its_own(Transaction.claim_due)
    earliest_due = _on_its_own(Transaction.earliest_due)
    reclaim_expired = _on_its_own(Transaction.reclaim_expired)
    start_sending = _on_its_own(Transaction.start_sending)
    settle = _on_its_own(Transaction.settle)
    log_delivery = _on_its_own(Transaction.log_delivery)
    delivery_count = _on_its_own(Transaction.delivery_count)

    # --- partner links
    create_invite = _on_its_own(Transaction.create_invite)
    join_invite = _on_its_own(Transaction.join_invite)
    partner_chat = _on_its_own(Transaction.partner_chat)
    unlink = _on_its_own(Transaction.unlink)
    partner_id = _on_its_own(Transaction.partner_id)
    same_days = _on_its_own(Transaction.same_days)
    set_same_days = _on_its_own(Transaction.set_same_days)

    # --- the course questions and the taps under lessons
    profile = _on_its_own(Transaction.profile)
    profiles = _on_its_own(Transaction.profiles)

    # --- privacy: every table, from the metadata
    export = _on_its_own(Transaction.export)
    rows_about = _on_its_own(Transaction.rows_about)

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

    # --- monitoring: read-only counts, never about one person
    due_backlog = _on_its_own(Transaction.due_backlog)
    stats = _on_its_own(Transaction.stats)
