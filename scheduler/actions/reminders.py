"""Gentle reminders: choosing routines, days and a time; pausing, stopping, resuming as
they were after a stop, and the two buttons under a reminder ("done", and "later" once a
day)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from lessons.model import Catalog
from scheduler.actions.presence import bring_back
from scheduler.actions.refusals import Refusal
from scheduler.actions.schedule import Standing, overview_of
from scheduler.model import Reminders, Subscriber
from scheduler.planning import change_zone, save_reminders
from scheduler.store import Reads, Store

SNOOZE = timedelta(hours=1)
"""How long "later" puts a reminder off."""


@dataclass(frozen=True, slots=True)
class ReminderSchedule:
    subscriber: Subscriber
    reminders: Reminders


@dataclass(frozen=True, slots=True)
class Resumed:
    """Reminders back on as they were, and whether the daily lessons, stopped with them
    by ``/stop``, stay off: resuming one never brings back the other."""

    schedule: ReminderSchedule
    lessons_stopped: bool


@dataclass(frozen=True, slots=True)
class Snoozed:
    routine_id: str
    until: datetime


async def reminder_schedule(store: Store, chat_id: int) -> ReminderSchedule | None:
    """The person's reminders while they are on, else None."""
    async with store.reading() as tx:
        return await _schedule(tx, chat_id)


async def reminders_overview(store: Store, chat_id: int) -> ReminderSchedule | None:
    """What ``/reminders`` opens on: the reminders while on, or kept after a stop (see
    ``Reminders.stopped``); None when there is nothing to show. Stores nobody."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return None
        reminders = await tx.reminders(subscriber.id)
        shown = reminders.active or reminders.stopped
        return ReminderSchedule(subscriber, reminders) if shown else None


async def resume_reminders(
    store: Store, catalog: Catalog, now: datetime, chat_id: int
) -> Resumed | Refusal:
    """After a stop: the same routines, days, time and rotation, in the person's zone, with
    no set-up. ``Refusal.ALREADY_DONE`` when they are on already (a repeated tap);
    ``Refusal.REMINDERS_OFF`` when nothing is kept to resume. Like confirming a schedule, it
    brings back someone still marked as having blocked the bot."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        reminders = await tx.reminders(subscriber.id)
        if reminders.active:
            return Refusal.ALREADY_DONE
        if not reminders.stopped:
            return Refusal.REMINDERS_OFF
        subscriber = await bring_back(tx, now, subscriber)
        reminders = replace(reminders, active=True, paused=False)
        reminders = await save_reminders(tx, subscriber, reminders, now)
        course = overview_of(catalog, subscriber, await tx.course(subscriber.id))
        stopped = course.standing is Standing.STOPPED
        return Resumed(ReminderSchedule(subscriber, reminders), lessons_stopped=stopped)


async def _schedule(tx: Reads, chat_id: int) -> ReminderSchedule | None:
    subscriber = await tx.find_subscriber(chat_id)
    if subscriber is None:
        return None
    reminders = await tx.reminders(subscriber.id)
    return ReminderSchedule(subscriber, reminders) if reminders.active else None


async def choose_reminders(
    store: Store,
    catalog: Catalog,
    now: datetime,
    chat_id: int,
    routines: Collection[str],
    days: frozenset[int],
    at: time,
    zone: str,
    language: str,
) -> ReminderSchedule:
    """Opt in, or change them: a start, so it stores a new person (speaking ``language``)
    and brings back one
    marked as having blocked the bot. The rotation starts again, in the catalog's order,
    so it runs through the routines predictably."""
    async with store.transaction() as tx:
        subscriber = await bring_back(tx, now, await tx.ensure_subscriber(chat_id, language))
        subscriber = await change_zone(tx, subscriber, zone, now)
        chosen = tuple(routine.id for routine in catalog.routines if routine.id in routines)
        reminders = replace(
            await tx.reminders(subscriber.id),
            routines=chosen,
            days=days,
            local_time=at,
            active=True,
            paused=False,
            rotation=0,
        )
        await save_reminders(tx, subscriber, reminders, now)
        return ReminderSchedule(subscriber, await tx.reminders(subscriber.id))


async def pause_reminders(
    store: Store, now: datetime, chat_id: int, *, paused: bool
) -> ReminderSchedule | Refusal:
    """Pause or resume; a repeated tap asks for what is already so, and changes nothing."""
    async with store.transaction() as tx:
        current = await _schedule(tx, chat_id)
        if current is None:
            return await _why_off(tx, chat_id)
        subscriber, reminders = current.subscriber, current.reminders
        if reminders.paused != paused:
            reminders = replace(reminders, paused=paused)
            reminders = await save_reminders(tx, subscriber, reminders, now)
        return ReminderSchedule(subscriber, reminders)


async def stop_reminders(store: Store, now: datetime, chat_id: int) -> Refusal | None:
    """Switch reminders off, keeping the choices for a resume; None when done."""
    async with store.transaction() as tx:
        current = await _schedule(tx, chat_id)
        if current is None:
            return await _why_off(tx, chat_id)
        await tx.stop_reminders(current.subscriber.id)
        return None


async def reminder_done(store: Store, chat_id: int) -> Refusal | None:
    """ "Done" under a reminder: a kind word and nothing stored, no streaks, no score. Only
    for someone still stored."""
    async with store.reading() as tx:
        return Refusal.NOT_STORED if await tx.find_subscriber(chat_id) is None else None


async def snooze(
    store: Store, catalog: Catalog, now: datetime, chat_id: int, routine_id: str
) -> Snoozed | Refusal:
    """ "Later": ask again in an hour, once a day."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        if all(routine.id != routine_id for routine in catalog.routines):
            return Refusal.UNKNOWN_ITEM
        until = now + SNOOZE
        if not await tx.snooze(subscriber.id, routine_id, until):
            return Refusal.ALREADY_SNOOZED
        return Snoozed(routine_id, until)


async def _why_off(tx: Reads, chat_id: int) -> Refusal:
    """Why there are no reminders to change: nobody stored, or they are off."""
    if await tx.find_subscriber(chat_id) is None:
        return Refusal.NOT_STORED
    return Refusal.REMINDERS_OFF
