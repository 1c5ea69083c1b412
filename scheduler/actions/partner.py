"""Linking with a partner: a personal invite, joining through it, "same days", and ending
the link from either side.

An invite is a random code shown once as a link; only its hash is stored, it works once and
expires. Linked people learn nothing of each other's progress or settings.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from scheduler.actions.presence import bring_back
from scheduler.actions.refusals import Refusal
from scheduler.planning import save_course
from scheduler.store import Store

INVITE_LIFETIME = timedelta(hours=48)
_CODE_BYTES = 12  # 16 characters of A-Z a-z 0-9 _ -

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Linked:
    same_days: bool
    """Whether this person chose to get their lessons on their partner's days."""


@dataclass(frozen=True, slots=True)
class Invited:
    code: str
    """Shown once, in the link; the store keeps only its hash."""


@dataclass(frozen=True, slots=True)
class Joined:
    inviter_chat: int
    """Who made the invite, to be told that it was used."""


@dataclass(frozen=True, slots=True)
class Unlinked:
    other_chat: int | None
    """The person who was linked, to be told only that sharing has ended."""


def invite_hash(code: str) -> str:
    """What is stored of a code: enough to recognise it, never enough to rebuild the link."""
    return hashlib.sha256(code.encode()).hexdigest()


def new_invite_code() -> str:
    return secrets.token_urlsafe(_CODE_BYTES)


async def link_state(store: Store, chat_id: int) -> Linked | None:
    """The person's link, or None when they have none (or are not stored)."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None or await tx.partner_id(subscriber.id) is None:
            return None
        return Linked(await tx.same_days(subscriber.id))


async def make_invite(
    store: Store, now: datetime, chat_id: int, *, opting_in: bool
) -> Invited | Linked | Refusal:
    """A fresh invite, replacing the person's unused one; their link instead while linked.

    ``opting_in`` says the tap comes from an offer the person just opened: that is a start,
    which may store a new person. A tap from an older message refuses for anyone not stored."""
    async with store.transaction() as tx:
        subscriber = await (
            tx.ensure_subscriber(chat_id) if opting_in else tx.find_subscriber(chat_id)
        )
        if subscriber is None:
            return Refusal.NOT_STORED
        code = new_invite_code()
        if not await tx.create_invite(subscriber.id, invite_hash(code), now + INVITE_LIFETIME):
            return Linked(await tx.same_days(subscriber.id))
        log.info("subscriber %s made a partner invite", subscriber.id)
        return Invited(code)


async def join(store: Store, now: datetime, chat_id: int, code: str) -> Joined | Refusal:
    """Use an invite: a start, so the person who joins is stored, and brought back if
    still marked as having blocked the bot (``/start`` with an invite checks no more)."""
    async with store.transaction() as tx:
        subscriber = await bring_back(tx, now, await tx.ensure_subscriber(chat_id))
        inviter_chat = await tx.join_invite(invite_hash(code), subscriber.id, now)
        if inviter_chat is None:
            return Refusal.INVITE_UNUSABLE
        log.info("subscriber %s joined a partner invite", subscriber.id)
        return Joined(inviter_chat)


async def set_same_days(store: Store, now: datetime, chat_id: int, *, on: bool) -> Linked | Refusal:
    """ "Same days as my partner": the person's course takes the partner's days and
    wall-clock time; track, position and zone stay their own. A repeated tap changes
    nothing."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        partner = await tx.partner_id(subscriber.id)
        if partner is None:
            return Refusal.NOT_LINKED
        if await tx.same_days(subscriber.id) == on:
            return Linked(on)
        if on:
            theirs = await tx.course(partner)
            if not theirs.active or theirs.paused:
                return Refusal.PARTNER_HAS_NO_SCHEDULE
            mine = replace(
                await tx.course(subscriber.id), days=theirs.days, local_time=theirs.local_time
            )
            await save_course(tx, subscriber, mine, now)
            log.info("subscriber %s chose the same days as their partner", subscriber.id)
        await tx.set_same_days(subscriber.id, on=on)
        return Linked(on)


async def unlink(store: Store, chat_id: int) -> Unlinked | Refusal:
    """End the person's link, from either side, with any unused invite of theirs."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        return Unlinked(await tx.unlink(subscriber.id))
