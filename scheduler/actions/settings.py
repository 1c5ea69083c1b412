"""``/settings``: each thing a person set, changed in one step: course, days, lesson time,
time zone, reminders on or paused, discreet previews, pause and resume. Quiet hours are in
``scheduler.actions.quiet``.

Each change names the value it sets rather than flipping one, so a second tap on the same
button asks for what is already so and changes nothing. Every change answers with the page
read back from the store after it, so what the screen then says is what is stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, time

from lessons.model import Track
from scheduler.actions.refusals import Refusal
from scheduler.actions.rhythm import keep_to_rhythm
from scheduler.model import Course, Reminders, Subscriber
from scheduler.planning import change_zone, save_course, save_reminders
from scheduler.quiet import Upcoming, upcoming
from scheduler.store import Reads, Store, Transaction


@dataclass(frozen=True, slots=True)
class SettingsView:
    """What the settings page shows: the person (defaults for someone not stored), their
    course and their reminders, as stored."""

    subscriber: Subscriber
    course: Course
    reminders: Reminders
    stored: bool = True
    """False for someone not stored: the page shows the defaults, and nothing can change."""

    @property
    def lessons_on(self) -> bool:
        return self.course.active and not self.course.paused

    @property
    def next_lesson(self) -> Upcoming | None:
        return upcoming(self.course.next_due, self.subscriber)

    @property
    def next_reminder(self) -> Upcoming | None:
        return upcoming(self.reminders.next_due, self.subscriber)


Change = Callable[[Transaction, Subscriber], Awaitable[Refusal | None]]


async def read_view(tx: Reads, chat_id: int) -> SettingsView:
    subscriber = await tx.find_subscriber(chat_id)
    if subscriber is None:
        defaults = Subscriber(id=0, chat_id=chat_id)
        return SettingsView(defaults, Course(defaults.id), Reminders(defaults.id), stored=False)
    course, reminders = await tx.course(subscriber.id), await tx.reminders(subscriber.id)
    return SettingsView(subscriber, course, reminders)


async def changing(store: Store, chat_id: int, change: Change) -> SettingsView | Refusal:
    """Run one change for a stored person, then read the page back from the store."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        refusal = await change(tx, subscriber)
        return refusal if refusal is not None else await read_view(tx, chat_id)


async def settings_view(store: Store, chat_id: int) -> SettingsView:
    """The page as it stands; reading it stores nobody."""
    async with store.reading() as tx:
        return await read_view(tx, chat_id)


async def set_discreet(store: Store, chat_id: int, *, on: bool) -> SettingsView | Refusal:
    async def change(tx: Transaction, subscriber: Subscriber) -> None:
        if subscriber.discreet != on:
            await tx.save_subscriber(replace(subscriber, discreet=on))

    return await changing(store, chat_id, change)


def _course_change(
    now: datetime, edit: Callable[[Course], Course], *, schedule: bool = False
) -> Change:
    """A change to a course that is set up (on or paused); re-planned through planning.
    A ``schedule`` change (days or time) on a couple rhythm is kept as the person's own,
    for when the rhythm ends: the rhythm goes on setting both."""

    async def change(tx: Transaction, subscriber: Subscriber) -> Refusal | None:
        course = await tx.course(subscriber.id)
        if not course.active:
            return Refusal.LESSONS_OFF
        edited = edit(course)
        if edited != course:
            saved = await save_course(tx, subscriber, edited, now)
            if schedule:
                await keep_to_rhythm(tx, subscriber, saved, now)
        return None

    return change


async def pause_lessons(
    store: Store, now: datetime, chat_id: int, *, paused: bool
) -> SettingsView | Refusal:
    """Pause or resume the daily lessons; only while they are set up."""
    return await changing(store, chat_id, _course_change(now, lambda c: replace(c, paused=paused)))


async def set_days(
    store: Store, now: datetime, chat_id: int, days: frozenset[int]
) -> SettingsView | Refusal:
    """The lesson days; at least one. Never a second lesson on a day that had one."""
    if not days:
        return Refusal.NO_DAYS
    edit = _course_change(now, lambda c: replace(c, days=days), schedule=True)
    return await changing(store, chat_id, edit)


async def set_track(
    store: Store, now: datetime, chat_id: int, track: Track
) -> SettingsView | Refusal:
    """Switch course: the other one starts at its first lesson; the same one changes nothing."""

    def edit(course: Course) -> Course:
        return course if course.track is track else replace(course, track=track, position=1)

    return await changing(store, chat_id, _course_change(now, edit))


async def set_lesson_time(
    store: Store, now: datetime, chat_id: int, at: time
) -> SettingsView | Refusal:
    """The daily lesson's wall-clock time, with the next delivery planned for it."""

    async def change(tx: Transaction, subscriber: Subscriber) -> None:
        course = await tx.course(subscriber.id)
        saved = await save_course(tx, subscriber, replace(course, local_time=at), now)
        # On a couple rhythm the time is the rhythm's: this one is kept as the person's own.
        await keep_to_rhythm(tx, subscriber, saved, now)

    return await changing(store, chat_id, change)


async def set_zone(store: Store, now: datetime, chat_id: int, zone: str) -> SettingsView | Refusal:
    """The person's zone, for the lessons and the reminders alike."""

    async def change(tx: Transaction, subscriber: Subscriber) -> None:
        await change_zone(tx, subscriber, zone, now)

    return await changing(store, chat_id, change)


async def set_reminders_paused(
    store: Store, now: datetime, chat_id: int, *, paused: bool
) -> SettingsView | Refusal:
    """Pause or resume the reminders; only once they are set up (``/reminders``)."""

    async def change(tx: Transaction, subscriber: Subscriber) -> Refusal | None:
        reminders = await tx.reminders(subscriber.id)
        if not reminders.active:
            return Refusal.REMINDERS_OFF
        if reminders.paused != paused:
            await save_reminders(tx, subscriber, replace(reminders, paused=paused), now)
        return None

    return await changing(store, chat_id, change)
