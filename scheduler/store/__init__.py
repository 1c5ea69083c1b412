"""The store: every SQL statement the bot runs lives in this package.

One code path serves SQLite (the zero-set-up default) and PostgreSQL, through SQLAlchemy
Core over async drivers. The schema is in ``scheduler.tables``; Alembic migrations bring any
database up to it when the store opens, so an upgrade never asks anyone to drop their data.

By concern: ``connection`` (URLs, engines, migrations), ``rows`` (records to columns and
back), ``people``, ``queue`` (claiming what is due), ``outcomes`` (recording how claims
ended), ``partners``, ``privacy`` (export and erase), ``stats``, ``keys`` (sealing every
chat id again under a new data key); ``front`` puts them behind one ``Store`` and its
units of work: ``Store.transaction()`` to write, ``Store.reading()`` to only read (no
write lock).

Privacy: the store keeps settings, progress and the delivery log, never what a person
typed, and logs nothing that identifies a person. ``erase``, ``export`` and ``rows_about``
walk every table of the schema, so a table added later cannot be forgotten by them.
``Store.erase`` also leaves no byte of the person in SQLite's files (secure delete, then an
emptied write-ahead log), and raises ``EraseFailedError`` when the database is locked or full.

The Telegram chat id is stored only sealed under the data key, and people are found by its
keyed hash (``scheduler.crypto``); ``Store.open`` refuses another database's key
(``WrongDataKeyError``), and ``Store.rotate_key`` seals everyone again with a new one.
"""

from scheduler.model import DeliveryStatus
from scheduler.store.connection import (
    DEFAULT_DATABASE_URL,
    StoreConfigError,
    StoreSchemaError,
    WrongDataKeyError,
    database_url_from_setting,
    default_key_file,
)
from scheduler.store.front import Reads, Store, Transaction
from scheduler.store.held import Held
from scheduler.store.outcomes import Finished, Released
from scheduler.store.privacy import EraseFailedError, person_filter
from scheduler.store.queue import Claim, Replan
from scheduler.store.stats import Stats

__all__ = [
    "DEFAULT_DATABASE_URL",
    "Claim",
    "DeliveryStatus",
    "EraseFailedError",
    "Finished",
    "Held",
    "Reads",
    "Released",
    "Replan",
    "Stats",
    "Store",
    "StoreConfigError",
    "StoreSchemaError",
    "Transaction",
    "WrongDataKeyError",
    "database_url_from_setting",
    "default_key_file",
    "person_filter",
]
