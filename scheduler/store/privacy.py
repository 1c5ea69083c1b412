"""Export and erase: every table of the schema, read from the metadata, so a table added
later cannot be forgotten by them."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.store.connection import Connected, StoreSchemaError
from scheduler.store.people import find_subscriber
from scheduler.store.rows import jsonable
from scheduler.tables import metadata, subscribers


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


class PrivacyOperations(Connected):
    async def export(self, chat_id: int) -> dict[str, object]:
        """Everything stored about a person, by table, ready for ``json.dumps``; ``{}`` for
        someone the bot knows nothing about."""
        if await find_subscriber(self._connection, chat_id) is None:
            return {}
        data: dict[str, object] = {}
        for table in metadata.sorted_tables:
            statement = (
                sa.select(table)
                .where(person_filter(table, chat_id))
                .order_by(*table.primary_key.columns)
            )
            rows = (await self._connection.execute(statement)).mappings()
            data[table.name] = [jsonable(row) for row in rows]
        return data

    async def erase(self, chat_id: int) -> bool:
        """Delete every row about a person, in every table; True if there was any."""
        deleted = 0
        # Dependent tables first: their filter looks the person up in ``subscribers``.
        for table in reversed(metadata.sorted_tables):
            result = await self._connection.execute(
                sa.delete(table).where(person_filter(table, chat_id))
            )
            deleted += result.rowcount
        return deleted > 0

    async def rows_about(self, chat_id: int) -> dict[str, int]:
        """How many rows each table holds about a person: the proof that erase is complete."""
        counts: dict[str, int] = {}
        for table in metadata.sorted_tables:
            statement = (
                sa.select(sa.func.count()).select_from(table).where(person_filter(table, chat_id))
            )
            counts[table.name] = (await self._connection.execute(statement)).scalar_one()
        return counts
