"""The couple rhythm: one schedule that belongs to the link, agreed by both.

Either partner proposes days and a local time; the other sees exactly that proposal and
accepts, suggests another, or declines. Once accepted, each gets their own track's lesson on
those days at that time on their own wall clock. A change by either is a new proposal
(the agreed rhythm keeps running until it is accepted); leaving the rhythm, or the link,
returns each to their own last schedule.

Every action here takes the link with ``lock_link`` first, so two partners tapping at once
are served one after the other, and an answer only counts for the proposal it was shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, time

from scheduler.actions.partner import Linked, back_to_own_schedule, linked_view, onto_rhythm
from scheduler.actions.refusals import Refusal
from scheduler.couple import Link, Rhythm
from scheduler.model import Course, Recipient, Subscriber
from scheduler.planning import save_course
from scheduler.store import Store, Transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Told:
    """A change the partner hears about (only the rhythm, never anything else of one's own)."""

    linked: Linked
    partner_chat: Recipient | None
    next_lesson: datetime | None
    """This person's own next lesson, for their own screen."""
    zone: str
    partner_lessons_on: bool = True
    """Whether the partner's own daily lessons are on: what they are told of an agreed
    rhythm says so, and nothing of this person's own."""


async def _my_link(tx: Transaction, chat_id: int) -> Link | Refusal:
    subscriber = await tx.find_subscriber(chat_id)
    if subscriber is None:
        return Refusal.NOT_STORED
    link = await tx.lock_link(subscriber.id)
    return Refusal.NOT_LINKED if link is None else link


async def _told(tx: Transaction, link: Link) -> Told:
    fresh = await tx.lock_link(link.me)
    view = await linked_view(tx, fresh or link)
    me = await tx.subscriber_by_id(link.me)
    zone = me.timezone if me is not None else "UTC"
    next_lesson = (await tx.course(link.me)).next_due
    theirs = await tx.course(link.partner)
    partner_on = theirs.active and not theirs.paused
    return Told(view, await tx.partner_chat(link.me), next_lesson, zone, partner_on)


async def propose(store: Store, chat_id: int, proposal: Rhythm) -> Told | Refusal:
    """A proposal to the partner; ``ALREADY_DONE`` when it is the rhythm already."""
    async with store.transaction() as tx:
        link = await _my_link(tx, chat_id)
        if isinstance(link, Refusal):
            return link
        if link.rhythm == proposal:
            return Refusal.ALREADY_DONE
        await tx.propose_rhythm(link, proposal)
        log.info("subscriber %s proposed a couple rhythm", link.me)
        return await _told(tx, link)


async def accept(store: Store, now: datetime, chat_id: int, proposal: Rhythm) -> Told | Refusal:
    """Accept the partner's proposal, if it is still the one shown: both schedules move."""
    async with store.transaction() as tx:
        link = await _my_link(tx, chat_id)
        if isinstance(link, Refusal):
            return link
        if not await tx.accept_rhythm(link, proposal):
            return Refusal.ALREADY_DONE
        for who in sorted((link.me, link.partner)):
            await onto_rhythm(tx, who, proposal, now)
        log.info("subscriber %s accepted a couple rhythm", link.me)
        return await _told(tx, link)


async def decline(store: Store, chat_id: int, proposal: Rhythm) -> Told | Refusal:
    async with store.transaction() as tx:
        link = await _my_link(tx, chat_id)
        if isinstance(link, Refusal):
            return link
        if not await tx.decline_rhythm(link, proposal):
            return Refusal.ALREADY_DONE
        return await _told(tx, link)


async def leave(store: Store, now: datetime, chat_id: int) -> Told | Refusal:
    """Leave the rhythm (either partner): both go back to their own last schedules."""
    async with store.transaction() as tx:
        link = await _my_link(tx, chat_id)
        if isinstance(link, Refusal):
            return link
        if link.rhythm is None and link.proposal is None:
            return Refusal.ALREADY_DONE
        await tx.leave_rhythm(link)
        for who in sorted((link.me, link.partner)):
            await back_to_own_schedule(tx, who, now)
        return await _told(tx, link)


async def set_evening(store: Store, chat_id: int, evening: time | None) -> Linked | Refusal:
    """This person's own evening for the prompt (None: none); only they see it."""
    async with store.transaction() as tx:
        link = await _my_link(tx, chat_id)
        if isinstance(link, Refusal):
            return link
        # The evening lives on the course row: make sure there is one.
        await tx.save_course(await tx.course(link.me))
        await tx.set_evening(link.me, evening)
        return await linked_view(tx, link)


async def set_checkin(store: Store, chat_id: int, *, on: bool) -> Linked | Refusal:
    """This person's own opt-in to the weekly check-in; the partner is not told."""
    async with store.transaction() as tx:
        link = await _my_link(tx, chat_id)
        if isinstance(link, Refusal):
            return link
        await tx.set_checkin(link, on=on)
        return await linked_view(tx, replace(link, my_checkin=on))


async def keep_to_rhythm(
    tx: Transaction, subscriber: Subscriber, course: Course, now: datetime
) -> Course:
    """A schedule chosen in ``/daily`` while a rhythm runs: it is kept as the person's own,
    for when the rhythm ends, and the rhythm keeps setting the days and time (a change to
    the rhythm is a proposal to the partner, made in ``/partner``)."""
    link = await tx.lock_link(subscriber.id)
    if link is None or link.rhythm is None:
        return course
    await tx.keep_own_schedule(subscriber.id, Rhythm(course.days, course.local_time))
    held = replace(course, days=link.rhythm.days, local_time=link.rhythm.local_time)
    return await save_course(tx, subscriber, held, now)
