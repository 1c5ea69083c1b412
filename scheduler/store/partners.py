"""Partner links: only the two ids, the state, and an unused invite's hash and expiry."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduler.crypto import DataKey
from scheduler.store.connection import Connected
from scheduler.tables import courses, partner_links, subscribers


class PartnerOperations(Connected):
    async def create_invite(self, subscriber_id: int, code_hash: str, expires_at: datetime) -> bool:
        """A fresh invite, replacing this person's unused one; False while they are linked."""
        links = partner_links.c
        if await linked_partner(self._connection, subscriber_id) is not None:
            return False
        await self._connection.execute(
            sa.delete(partner_links).where(links.subscriber_id == subscriber_id)
        )
        await self._connection.execute(
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
        links, connection = partner_links.c, self._connection
        statement = sa.select(partner_links).where(links.code_hash == code_hash, ~links.linked)
        row = (await connection.execute(statement)).mappings().first()
        if row is None:
            return None
        inviter = int(row["subscriber_id"])
        if row["expires_at"] is None or row["expires_at"] <= now:
            await connection.execute(sa.delete(partner_links).where(links.id == row["id"]))
            return None
        taken = [await linked_partner(connection, who) for who in (inviter, partner_id)]
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
        return await _chat_of(connection, self._key, inviter)

    async def partner_chat(self, subscriber_id: int) -> int | None:
        """The chat id of the person linked with this one, or None."""
        partner = await linked_partner(self._connection, subscriber_id)
        return None if partner is None else await _chat_of(self._connection, self._key, partner)

    async def unlink(self, subscriber_id: int) -> int | None:
        """End this person's link, from either side, and drop any unused invite of theirs;
        the chat id of the person who was linked, or None."""
        links, connection = partner_links.c, self._connection
        partner = await linked_partner(connection, subscriber_id)
        chat_id = None if partner is None else await _chat_of(connection, self._key, partner)
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
        return await linked_partner(self._connection, subscriber_id)

    async def same_days(self, subscriber_id: int) -> bool:
        """Whether this person chose to get their lessons on their partner's days."""
        statement = sa.select(courses.c.same_days).where(courses.c.subscriber_id == subscriber_id)
        return bool((await self._connection.execute(statement)).scalar_one_or_none())

    async def set_same_days(self, subscriber_id: int, on: bool) -> None:
        """Record this person's choice (their course row must exist); turning it off also
        drops any evening prompt planned for either of the two."""
        await self._connection.execute(
            sa.update(courses).where(courses.c.subscriber_id == subscriber_id).values(same_days=on)
        )
        if on:
            return
        partner = await linked_partner(self._connection, subscriber_id)
        await self._connection.execute(
            sa.update(courses)
            .where(courses.c.subscriber_id.in_([subscriber_id, partner or subscriber_id]))
            .values(talk_due=None)
        )


async def linked_partner(connection: AsyncConnection, subscriber_id: int) -> int | None:
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


async def _chat_of(connection: AsyncConnection, key: DataKey, subscriber_id: int) -> int | None:
    """The chat id of a stored person, opened from its sealed form, to send them a word."""
    statement = sa.select(subscribers.c.chat_sealed).where(subscribers.c.id == subscriber_id)
    sealed = (await connection.execute(statement)).scalar_one_or_none()
    return None if sealed is None else key.open(sealed)
