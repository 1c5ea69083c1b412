"""Export and erase: every table of the schema, read from the metadata, so a table added
later cannot be forgotten by them."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.crypto import DataKey
from scheduler.store.answers import ANSWER_COLUMNS, answer_context, tap_context
from scheduler.store.connection import Connected, StoreSchemaError
from scheduler.store.people import find_subscriber
from scheduler.store.rows import jsonable
from scheduler.tables import course_answers, lesson_feedback, metadata, subscribers

# Why a database refuses a write for now, not because the statement is wrong: SQLite's
# result codes, and PostgreSQL's SQLSTATEs (class 53 is "insufficient resources", disk full
# among them; 55P03 a lock not available; 40P01 a deadlock).
_SQLITE_CANNOT_WRITE_NOW = ("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED")
_POSTGRES_CANNOT_WRITE_NOW = ("53", "55P03", "40P01")


class EraseFailedError(RuntimeError):
    """An erase could not finish: the database was locked or its disk full.

    ``rows_erased`` says whether the rows were already gone (only cleaning the write-ahead
    log failed) or all still there (the transaction rolled back). Either way ``erase`` is
    safe to call again, and finishes the job once the database can write.
    """

    def __init__(self, *, rows_erased: bool) -> None:
        where = "the write-ahead log still holds" if rows_erased else "the database keeps"
        super().__init__(f"the erase could not finish: {where} the person's data")
        self.rows_erased = rows_erased


def cannot_write_now(error: sa.exc.DBAPIError) -> bool:
    """Whether ``error`` is the database being locked or full, rather than a bug."""
    original = error.orig
    sqlite_code = getattr(original, "sqlite_errorname", None)
    if isinstance(sqlite_code, str):
        return sqlite_code.startswith(_SQLITE_CANNOT_WRITE_NOW)
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return isinstance(state, str) and state.startswith(_POSTGRES_CANNOT_WRITE_NOW)


def person_filter(table: sa.Table, chat_hash: bytes) -> sa.ColumnElement[bool]:
    """The rows of ``table`` about the person whose chat id has the keyed hash ``chat_hash``.

    Raises StoreSchemaError for a table with neither ``subscriber_id`` nor ``chat_hash``:
    such a table would silently survive ``/delete``.
    """
    if "subscriber_id" in table.c:
        ids = sa.select(subscribers.c.id).where(subscribers.c.chat_hash == chat_hash)
        if "partner_id" in table.c:
            # A row joining two people (a partner link) is about each of them.
            return sa.or_(table.c.subscriber_id.in_(ids), table.c.partner_id.in_(ids))
        return table.c.subscriber_id.in_(ids)
    if "chat_hash" in table.c:
        return table.c.chat_hash == chat_hash
    raise StoreSchemaError(
        f"table {table.name!r} has neither subscriber_id nor chat_hash, "
        "so erase and export cannot find a person's rows in it"
    )


def personal_tables() -> list[sa.Table]:
    """Every table that may hold rows about a person, dependent ones last; a table marked
    ``about_no_one`` (the data key's check value) holds none."""
    return [table for table in metadata.sorted_tables if not table.info.get("about_no_one")]


def _readable(key: DataKey, table: sa.Table, row: sa.RowMapping, chat_id: int) -> dict[str, object]:
    """A row as the person reads it in their copy: their own chat id in place of its sealed
    form and keyed hash, and their answers and taps opened, as none of these mean anything
    without the key."""
    values = dict(row)
    if table is subscribers:
        del values["chat_hash"], values["chat_sealed"]
        values["chat_id"] = chat_id
    elif table is course_answers:
        person = values["subscriber_id"]
        for column in ANSWER_COLUMNS:
            if values[column] is not None:
                values[column] = key.open_text(values[column], answer_context(column, person))
    elif table is lesson_feedback:
        place = tap_context(values["subscriber_id"], values["lesson_id"])
        values["verdict"] = key.open_text(values["verdict"], place)
    return jsonable(values)


class PrivacyOperations(Connected):
    async def export(self, chat_id: int) -> dict[str, object]:
        """Everything stored about a person, by table, ready for ``json.dumps``; ``{}`` for
        someone the bot knows nothing about."""
        if await find_subscriber(self._connection, self._key, chat_id) is None:
            return {}
        chat_hash = self._key.lookup(chat_id)
        data: dict[str, object] = {}
        for table in personal_tables():
            statement = (
                sa.select(table)
                .where(person_filter(table, chat_hash))
                .order_by(*table.primary_key.columns)
            )
            rows = (await self._connection.execute(statement)).mappings()
            data[table.name] = [_readable(self._key, table, row, chat_id) for row in rows]
        return data

    async def erase(self, chat_id: int) -> bool:
        """Delete every row about a person, in every table; True if there was any."""
        deleted = 0
        chat_hash = self._key.lookup(chat_id)
        # Dependent tables first: their filter looks the person up in ``subscribers``.
        for table in reversed(personal_tables()):
            result = await self._connection.execute(
                sa.delete(table).where(person_filter(table, chat_hash))
            )
            deleted += result.rowcount
        return deleted > 0

    async def rows_about(self, chat_id: int) -> dict[str, int]:
        """How many rows each table holds about a person: the proof that erase is complete."""
        counts: dict[str, int] = {}
        chat_hash = self._key.lookup(chat_id)
        for table in personal_tables():
            statement = (
                sa.select(sa.func.count()).select_from(table).where(person_filter(table, chat_hash))
            )
            counts[table.name] = (await self._connection.execute(statement)).scalar_one()
        return counts
