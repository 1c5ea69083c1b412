"""Changing the data key: every sealed chat id, course answer and lesson tap opened with the
old key and sealed again, and every keyed hash made again, with the new one, in one
transaction."""

from __future__ import annotations

import sqlalchemy as sa

from scheduler.crypto import DataKey
from scheduler.store.answers import ANSWER_COLUMNS, answer_context, tap_context
from scheduler.store.connection import Connected
from scheduler.tables import course_answers, data_key, lesson_feedback, subscribers


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
        await self._reseal_answers(new)
        await self._reseal_taps(new)
        await self._connection.execute(
            sa.update(data_key).where(data_key.c.id == 1).values(check_value=new.check)
        )
        return len(changes)

    async def _reseal_answers(self, new: DataKey) -> None:
        table = course_answers
        columns = [table.c[column] for column in ANSWER_COLUMNS]
        statement = sa.select(table.c.subscriber_id, *columns)
        if self._postgresql:
            statement = statement.with_for_update()
        for row in (await self._connection.execute(statement)).mappings():
            person = row["subscriber_id"]
            values = {
                column: self._reopened(new, row[column], answer_context(column, person))
                for column in ANSWER_COLUMNS
            }
            await self._connection.execute(
                sa.update(table).where(table.c.subscriber_id == person).values(values)
            )

    async def _reseal_taps(self, new: DataKey) -> None:
        table = lesson_feedback
        statement = sa.select(table.c.subscriber_id, table.c.lesson_id, table.c.verdict)
        if self._postgresql:
            statement = statement.with_for_update()
        for person, lesson_id, verdict in (await self._connection.execute(statement)).all():
            sealed = self._reopened(new, verdict, tap_context(person, lesson_id))
            await self._connection.execute(
                sa.update(table)
                .where(table.c.subscriber_id == person, table.c.lesson_id == lesson_id)
                .values(verdict=sealed)
            )

    def _reopened(self, new: DataKey, sealed: str | None, context: str) -> str | None:
        if sealed is None:
            return None
        return new.seal_text(self._key.open_text(sealed, context), context)
