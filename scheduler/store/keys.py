"""Changing the data key: every sealed chat id opened with the old key and sealed again, and
every keyed hash made again, with the new one, in one transaction."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.crypto import DataKey
from scheduler.store.connection import Connected
from scheduler.tables import data_key, subscribers


class KeyOperations(Connected):
    async def reseal(self, new: DataKey) -> int:
        """Seal every stored chat id, and make its keyed hash, with ``new`` instead of this
        transaction's key, and record ``new`` as the database's key; how many people.

        All rows or none: a chat id that does not open with the old key stops it with
        DataKeyError, and the transaction rolls back. On PostgreSQL the rows are locked, so
        nobody can be added or changed half way."""
        people = sa.select(subscribers.c.id, subscribers.c.chat_sealed).order_by(subscribers.c.id)
        if self._postgresql:
            people = people.with_for_update()
        rows = (await self._connection.execute(people)).all()
        changes = []
        for person, sealed in rows:
            chat_id = self._key.open(sealed)
            changes.append(
                {"person": person, "hash": new.lookup(chat_id), "sealed": new.seal(chat_id)}
            )
        if changes:
            await self._connection.execute(
                sa.update(subscribers)
                .where(subscribers.c.id == sa.bindparam("person"))
                .values(chat_hash=sa.bindparam("hash"), chat_sealed=sa.bindparam("sealed")),
                changes,
            )
        await self._connection.execute(
            sa.update(data_key).where(data_key.c.id == 1).values(check_value=new.check)
        )
        return len(changes)
