"""The store: every SQL statement the bot runs lives in this package.

One code path serves SQLite (the zero-set-up default) and PostgreSQL, through SQLAlchemy
Core over async drivers. The schema is in ``scheduler.tables``; Alembic migrations bring any
database up to it when the store opens, so an upgrade never asks anyone to drop their data.

By concern: ``connection`` (URLs, engines, migrations), ``rows`` (records to columns and
back), ``people``, ``queue`` (claiming what is due), ``outcomes`` (recording how claims
ended), ``partners``, ``privacy`` (export and erase), ``stats``; ``front`` puts them behind
one ``Store`` and its unit of work, ``Store.transaction()``.

Privacy: the store keeps settings, progress and the delivery log, never what a person
typed, and logs nothing that identifies a person. ``erase``, ``export`` and ``rows_about``
walk every table of the schema, so a table added later cannot be forgotten by them.
``Store.erase`` also leaves no byte of the person in SQLite's files (secure delete, then an
emptied write-ahead log), and raises ``EraseFailedError`` when the database is locked or full.
"""

from scheduler.model import DeliveryStatus
from scheduler.store.connection import (
    DEFAULT_DATABASE_URL,
    StoreConfigError,
    StoreSchemaError,
    database_url_from_setting,
)
from scheduler.store.front import Store, Transaction
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
    "Released",
    "Replan",
    "Stats",
    "Store",
    "StoreConfigError",
    "StoreSchemaError",
    "Transaction",
    "database_url_from_setting",
    "person_filter",
]
