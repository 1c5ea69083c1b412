"""Partner links: the two ids, the state, an unused invite's hash and expiry, and the couple
rhythm with any proposal waiting.

Actions that change both people's rows first take the link with ``lock_link``: on
PostgreSQL a row lock, so two partners tapping at once are served one after the other; on
SQLite every transaction holds the one write lock already. Writes that depend on what was
shown (an accepted proposal) also say so in their WHERE clause, so a tap on an outdated
screen changes nothing. The actions then write the two people's course rows in the order of
their ids, the order least likely to cross a tick recording the same two.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduler.couple import Link, Rhythm
from scheduler.crypto import DataKey
from scheduler.model import Recipient, Subscriber
from scheduler.store.connection import Connected
from scheduler.store.rows import days_mask, days_of, hhmm, subscriber_of, wall_time
from scheduler.tables import checkin_answers, courses, partner_links, subscribers

_LINKS = partner_links.c


class PartnerOperations(Connected):
    async def create_invite(self, subscriber_id: int, code_hash: str, expires_at: datetime) -> bool:
        """A fresh invite, replacing this person's unused one; False while they are linked."""
        if await linked_partner(self._connection, subscriber_id) is not None:
            return False
        await self._connection.execute(
            sa.delete(partner_links).where(_LINKS.subscriber_id == subscriber_id)
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

    async def join_invite(self, code_hash: str, partner_id: int, now: datetime) -> Recipient | None:
        """Use an invite, once: where to tell the inviter, or None when the code is unknown, used
        or expired, is the person's own, or either side is already linked."""
        connection = self._connection
        statement = sa.select(partner_links).where(_LINKS.code_hash == code_hash, ~_LINKS.linked)
        row = (await connection.execute(statement)).mappings().first()
        if row is None:
            return None
        inviter = int(row["subscriber_id"])
        if row["expires_at"] is None or row["expires_at"] <= now:
            await connection.execute(sa.delete(partner_links).where(_LINKS.id == row["id"]))
            return None
        taken = [await linked_partner(connection, who) for who in (inviter, partner_id)]
        if inviter == partner_id or any(other is not None for other in taken):
            return None
        # The joiner's own unused invite goes: one person, one partner.
        await connection.execute(
            sa.delete(partner_links).where(_LINKS.subscriber_id == partner_id, ~_LINKS.linked)
        )
        # Matching the hash again makes the use single even when two joins race.
        used = await connection.execute(
            sa.update(partner_links)
            .where(_LINKS.id == row["id"], _LINKS.code_hash == code_hash)
            .values(partner_id=partner_id, linked=True, code_hash=None, expires_at=None)
        )
        if used.rowcount != 1:
            return None
        return await _chat_of(connection, self._key, inviter)

    async def partner_chat(self, subscriber_id: int) -> Recipient | None:
        """Where to reach the person linked with this one (and in which language), or None."""
        partner = await linked_partner(self._connection, subscriber_id)
        return None if partner is None else await _chat_of(self._connection, self._key, partner)

    async def partner_id(self, subscriber_id: int) -> int | None:
        """The subscriber id this person is linked with, or None."""
        return await linked_partner(self._connection, subscriber_id)

    async def subscriber_by_id(self, subscriber_id: int) -> Subscriber | None:
        statement = sa.select(subscribers).where(subscribers.c.id == subscriber_id)
        row = (await self._connection.execute(statement)).mappings().first()
        return None if row is None else subscriber_of(row, self._key.open(row["chat_sealed"]))

    async def lock_link(self, subscriber_id: int) -> Link | None:
        """This person's link, locked until the transaction ends; None when not linked."""
        return await self._find_link(subscriber_id, locked=self._postgresql)

    async def link(self, subscriber_id: int) -> Link | None:
        """This person's link, only to show it (no lock: a reading may ask); None when not
        linked."""
        return await self._find_link(subscriber_id, locked=False)

    async def _find_link(self, subscriber_id: int, *, locked: bool) -> Link | None:
        statement = sa.select(partner_links).where(_linked_with(subscriber_id))
        if locked:
            statement = statement.with_for_update()
        row = (await self._connection.execute(statement)).mappings().first()
        return None if row is None else _link_of(row, subscriber_id)

    async def end_link(self, link_id: int) -> None:
        """Delete the link and both people's open check-in answers; the evening prompts and
        check-ins planned for either of them go too."""
        ids = (
            sa.select(partner_links.c.subscriber_id)
            .where(_LINKS.id == link_id)
            .union(sa.select(partner_links.c.partner_id).where(_LINKS.id == link_id))
        )
        people = [int(person) for person in (await self._connection.execute(ids)).scalars()]
        await self._connection.execute(
            sa.delete(checkin_answers).where(checkin_answers.c.subscriber_id.in_(people))
        )
        await self._connection.execute(
            sa.update(courses)
            .where(courses.c.subscriber_id.in_(people))
            .values(talk_due=None, checkin_due=None)
        )
        await self._connection.execute(sa.delete(partner_links).where(_LINKS.id == link_id))

    async def drop_invite(self, subscriber_id: int) -> None:
        """This person's unused invite, if any, goes."""
        await self._connection.execute(
            sa.delete(partner_links).where(_LINKS.subscriber_id == subscriber_id, ~_LINKS.linked)
        )

    async def propose_rhythm(self, link: Link, proposal: Rhythm) -> None:
        """A new proposal from ``link.me``, replacing any waiting one."""
        await self._update_link(
            link.id,
            proposal_days=days_mask(proposal.days),
            proposal_time=hhmm(proposal.local_time),
            proposal_by=link.me,
        )

    async def accept_rhythm(self, link: Link, proposal: Rhythm) -> bool:
        """The partner's waiting proposal becomes the rhythm, only if it is still exactly
        ``proposal``: False for an outdated screen or one's own proposal."""
        result = await self._connection.execute(
            sa.update(partner_links)
            .where(
                _LINKS.id == link.id,
                _LINKS.proposal_by == link.partner,
                _LINKS.proposal_days == days_mask(proposal.days),
                _LINKS.proposal_time == hhmm(proposal.local_time),
            )
            .values(
                rhythm_days=_LINKS.proposal_days,
                rhythm_time=_LINKS.proposal_time,
                proposal_days=None,
                proposal_time=None,
                proposal_by=None,
            )
        )
        return result.rowcount == 1

    async def decline_rhythm(self, link: Link, proposal: Rhythm) -> bool:
        """Drop the partner's waiting proposal, only if it is still exactly ``proposal``."""
        result = await self._connection.execute(
            sa.update(partner_links)
            .where(
                _LINKS.id == link.id,
                _LINKS.proposal_by == link.partner,
                _LINKS.proposal_days == days_mask(proposal.days),
                _LINKS.proposal_time == hhmm(proposal.local_time),
            )
            .values(proposal_days=None, proposal_time=None, proposal_by=None)
        )
        return result.rowcount == 1

    async def leave_rhythm(self, link: Link) -> None:
        """No rhythm and no proposal: each goes back to their own schedule."""
        await self._update_link(
            link.id,
            rhythm_days=None,
            rhythm_time=None,
            proposal_days=None,
            proposal_time=None,
            proposal_by=None,
            checkin_week=None,
        )
        await self._connection.execute(
            sa.update(courses)
            .where(courses.c.subscriber_id.in_([link.me, link.partner]))
            .values(talk_due=None, checkin_due=None)
        )

    async def set_checkin(self, link: Link, *, on: bool) -> None:
        """This person's own opt-in to the weekly check-in."""
        column = "checkin_inviter" if link.me_inviter else "checkin_partner"
        await self._update_link(link.id, **{column: on})

    async def hold_own_schedule(self, subscriber_id: int) -> None:
        """Keep the person's own days and time aside while a rhythm sets them (kept once:
        a second rhythm does not overwrite the schedule that was truly theirs)."""
        await self._connection.execute(
            sa.update(courses)
            .where(courses.c.subscriber_id == subscriber_id, courses.c.own_days.is_(None))
            .values(own_days=courses.c.days, own_time=courses.c.local_time)
        )

    async def own_schedule(self, subscriber_id: int) -> Rhythm | None:
        """The schedule kept aside while a rhythm runs, or None."""
        statement = sa.select(courses.c.own_days, courses.c.own_time).where(
            courses.c.subscriber_id == subscriber_id
        )
        row = (await self._connection.execute(statement)).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        return Rhythm(days_of(int(row[0])), wall_time(str(row[1])))

    async def keep_own_schedule(self, subscriber_id: int, own: Rhythm | None) -> None:
        """Set (or, with None, clear) the schedule kept aside."""
        values: dict[str, Any] = {"own_days": None, "own_time": None}
        if own is not None:
            values = {"own_days": days_mask(own.days), "own_time": hhmm(own.local_time)}
        await self._connection.execute(
            sa.update(courses).where(courses.c.subscriber_id == subscriber_id).values(values)
        )

    async def evening(self, subscriber_id: int) -> time | None:
        """The person's own evening for the prompt; None: no evening prompts."""
        statement = sa.select(courses.c.talk_time).where(courses.c.subscriber_id == subscriber_id)
        found = (await self._connection.execute(statement)).first()
        if found is None:
            return time(20, 0)
        return None if found[0] is None else wall_time(str(found[0]))

    async def set_evening(self, subscriber_id: int, evening: time | None) -> None:
        """The person's evening (their course row must exist); a planned prompt goes."""
        await self._connection.execute(
            sa.update(courses)
            .where(courses.c.subscriber_id == subscriber_id)
            .values(talk_time=None if evening is None else hhmm(evening), talk_due=None)
        )

    async def _update_link(self, link_id: int, **values: Any) -> None:
        await self._connection.execute(
            sa.update(partner_links).where(_LINKS.id == link_id).values(values)
        )


def _linked_with(subscriber_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        _LINKS.linked,
        sa.or_(_LINKS.subscriber_id == subscriber_id, _LINKS.partner_id == subscriber_id),
    )


def _rhythm(days: int | None, at: str | None) -> Rhythm | None:
    return None if days is None or at is None else Rhythm(days_of(days), wall_time(at))


def _link_of(row: sa.RowMapping, me: int) -> Link:
    inviter = int(row["subscriber_id"])
    partner = int(row["partner_id"]) if inviter == me else inviter
    mine, theirs = (
        (row["checkin_inviter"], row["checkin_partner"])
        if inviter == me
        else (row["checkin_partner"], row["checkin_inviter"])
    )
    return Link(
        id=int(row["id"]),
        me=me,
        me_inviter=inviter == me,
        partner=partner,
        rhythm=_rhythm(row["rhythm_days"], row["rhythm_time"]),
        proposal=_rhythm(row["proposal_days"], row["proposal_time"]),
        proposed_by_me=row["proposal_by"] == me,
        my_checkin=bool(mine),
        both_checkin=bool(mine) and bool(theirs),
    )


async def linked_partner(connection: AsyncConnection, subscriber_id: int) -> int | None:
    """The subscriber id of the person linked with this one, from either side, or None."""
    statement = sa.select(_LINKS.subscriber_id, _LINKS.partner_id).where(
        _linked_with(subscriber_id)
    )
    row = (await connection.execute(statement)).first()
    if row is None:
        return None
    inviter, partner = row
    return int(partner if inviter == subscriber_id else inviter)


async def _chat_of(
    connection: AsyncConnection, key: DataKey, subscriber_id: int
) -> Recipient | None:
    """Where to send a stored person a word (their chat id, opened from its sealed form)
    and the language to say it in."""
    statement = sa.select(subscribers.c.chat_sealed, subscribers.c.language).where(
        subscribers.c.id == subscriber_id
    )
    row = (await connection.execute(statement)).first()
    return None if row is None else Recipient(key.open(row.chat_sealed), row.language)
