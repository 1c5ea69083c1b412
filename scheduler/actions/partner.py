"""Linking with a partner: a personal invite, joining through it, and ending the link from
either side.

An invite is a random code shown once as a link; only its hash is stored, it works once and
expires. Linked people learn nothing of each other's progress, track or settings: only
what the link itself holds (the couple rhythm, see ``scheduler.actions.rhythm``).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from scheduler.actions.presence import bring_back
from scheduler.actions.refusals import Refusal
from scheduler.couple import Link, Rhythm
from scheduler.model import Recipient
from scheduler.planning import save_course
from scheduler.store import Reads, Store, Transaction

INVITE_LIFETIME = timedelta(hours=48)
_CODE_BYTES = 12  # 16 characters of A-Z a-z 0-9 _ -

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Linked:
    """What one person may see of their link: the shared rhythm and their own choices."""

    rhythm: Rhythm | None
    proposal: Rhythm | None
    proposed_by_me: bool
    checkin: bool
    """This person's own opt-in to the weekly check-in (never the partner's)."""
    evening: time | None
    """This person's own evening for the prompt; None: no evening prompts."""
    lessons_on: bool
    """Whether this person's own daily lessons are on."""


@dataclass(frozen=True, slots=True)
class Invited:
    code: str
    """Shown once, in the link; the store keeps only its hash."""


@dataclass(frozen=True, slots=True)
class Joined:
    inviter_chat: Recipient
    """Who made the invite, to be told that it was used."""


@dataclass(frozen=True, slots=True)
class AlreadyLinked:
    """An invite tapped by someone linked already (often their own used invite, still in
    their chat): they are told so, and shown their link."""

    linked: Linked


@dataclass(frozen=True, slots=True)
class Unlinked:
    other_chat: Recipient | None
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
        if subscriber is None:
            return None
        link = await tx.link(subscriber.id)
        return None if link is None else await linked_view(tx, link)


async def linked_view(tx: Reads, link: Link) -> Linked:
    course = await tx.course(link.me)
    return Linked(
        rhythm=link.rhythm,
        proposal=link.proposal,
        proposed_by_me=link.proposed_by_me,
        checkin=link.my_checkin,
        evening=await tx.evening(link.me),
        lessons_on=course.active and not course.paused,
    )


async def make_invite(
    store: Store, now: datetime, chat_id: int, *, opting_in: bool, language: str
) -> Invited | Linked | Refusal:
    """A fresh invite, replacing the person's unused one; their link instead while linked.

    ``opting_in`` says the tap comes from an offer the person just opened: that is a start,
    which may store a new person, speaking ``language``. A tap from an older message refuses
    for anyone not stored."""
    async with store.transaction() as tx:
        subscriber = await (
            tx.ensure_subscriber(chat_id, language) if opting_in else tx.find_subscriber(chat_id)
        )
        if subscriber is None:
            return Refusal.NOT_STORED
        code = new_invite_code()
        if not await tx.create_invite(subscriber.id, invite_hash(code), now + INVITE_LIFETIME):
            link = await tx.lock_link(subscriber.id)
            if link is not None:
                return await linked_view(tx, link)
            return Refusal.NOT_LINKED
        log.info("subscriber %s made a partner invite", subscriber.id)
        return Invited(code)


async def join(
    store: Store, now: datetime, chat_id: int, code: str, language: str
) -> Joined | AlreadyLinked | Refusal:
    """Use an invite: a start, so the person who joins is stored (speaking ``language``),
    and brought back if still marked as having blocked the bot (``/start`` with an invite
    checks no more)."""
    async with store.transaction() as tx:
        subscriber = await bring_back(tx, now, await tx.ensure_subscriber(chat_id, language))
        inviter_chat = await tx.join_invite(invite_hash(code), subscriber.id, now)
        if inviter_chat is None:
            link = await tx.lock_link(subscriber.id)
            if link is not None:
                return AlreadyLinked(await linked_view(tx, link))
            return Refusal.INVITE_UNUSABLE
        log.info("subscriber %s joined a partner invite", subscriber.id)
        return Joined(inviter_chat)


async def unlink(store: Store, now: datetime, chat_id: int) -> Unlinked | Refusal:
    """End the person's link, from either side, with any unused invite of theirs."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        return Unlinked(await end_link(tx, subscriber.id, now))


async def end_link(tx: Transaction, subscriber_id: int, now: datetime) -> Recipient | None:
    """End this person's link (for ``unlink`` and ``/delete``): each of the two goes back to
    their own last schedule, the check-in answers go, and so does any unused invite. The
    other person, to be told only that sharing ended; None when not linked."""
    link = await tx.lock_link(subscriber_id)
    if link is None:
        await tx.drop_invite(subscriber_id)
        return None
    other_chat = await tx.partner_chat(subscriber_id)
    for who in sorted((link.me, link.partner)):
        await back_to_own_schedule(tx, who, now)
    await tx.end_link(link.id)
    log.info("subscriber %s ended a partner link", subscriber_id)
    return other_chat


async def back_to_own_schedule(tx: Transaction, subscriber_id: int, now: datetime) -> None:
    """The days and time kept aside while a rhythm ran come back, and are planned again."""
    own = await tx.own_schedule(subscriber_id)
    subscriber = await tx.subscriber_by_id(subscriber_id)
    if own is None or subscriber is None:
        return
    await tx.keep_own_schedule(subscriber_id, None)
    course = replace(await tx.course(subscriber_id), days=own.days, local_time=own.local_time)
    await save_course(tx, subscriber, course, now)


async def onto_rhythm(tx: Transaction, subscriber_id: int, rhythm: Rhythm, now: datetime) -> None:
    """The rhythm sets this person's days and time, their own kept aside for its end. Their
    track, progress, zone and whether lessons are on stay theirs."""
    subscriber = await tx.subscriber_by_id(subscriber_id)
    if subscriber is None:
        return
    await tx.hold_own_schedule(subscriber_id)
    course = await tx.course(subscriber_id)
    moved = replace(course, days=rhythm.days, local_time=rhythm.local_time)
    await save_course(tx, subscriber, moved, now)
