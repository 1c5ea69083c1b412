"""``/settings``: lesson time, time zone, discreet previews, quiet hours, pause and resume.

Each change names the value it sets rather than flipping one, so a second tap on the same
button asks for what is already so and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time

from scheduler.actions.refusals import Refusal
from scheduler.actions.rhythm import keep_to_rhythm
from scheduler.model import Course, QuietMode, Subscriber
from scheduler.planning import change_zone, save_course
from scheduler.store import Store


@dataclass(frozen=True, slots=True)
class SettingsView:
    """What the settings page shows: the person (defaults for someone not stored) and
    their course."""

    subscriber: Subscriber
    course: Course
    stored: bool = True
    """False for someone not stored: the page shows the defaults, and nothing can change."""

    @property
    def lessons_on(self) -> bool:
        return self.course.active and not self.course.paused


async def settings_view(store: Store, chat_id: int) -> SettingsView:
    """The page as it stands; reading it stores nobody."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            defaults = Subscriber(id=0, chat_id=chat_id)
            return SettingsView(defaults, Course(defaults.id), stored=False)
        return SettingsView(subscriber, await tx.course(subscriber.id))


async def set_discreet(store: Store, chat_id: int, *, on: bool) -> SettingsView | Refusal:
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        if subscriber.discreet != on:
            subscriber = replace(subscriber, discreet=on)
            await tx.save_subscriber(subscriber)
        return SettingsView(subscriber, await tx.course(subscriber.id))


async def set_quiet_mode(store: Store, chat_id: int, mode: QuietMode) -> SettingsView | Refusal:
    """Quiet hours either send reminders silently or hold them until the hours end."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        if subscriber.quiet_mode is not mode:
            subscriber = replace(subscriber, quiet_mode=mode)
            await tx.save_subscriber(subscriber)
        return SettingsView(subscriber, await tx.course(subscriber.id))


async def pause_lessons(
    store: Store, now: datetime, chat_id: int, *, paused: bool
) -> SettingsView | Refusal:
    """Pause or resume the daily lessons; only while they are on."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        if not course.active:
            return Refusal.LESSONS_OFF
        if course.paused != paused:
            course = await save_course(tx, subscriber, replace(course, paused=paused), now)
        return SettingsView(subscriber, course)


async def set_lesson_time(
    store: Store, now: datetime, chat_id: int, at: time
) -> SettingsView | Refusal:
    """The daily lesson's wall-clock time, with the next delivery planned for it."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        course = await save_course(tx, subscriber, replace(course, local_time=at), now)
        # On a couple rhythm the time is the rhythm's: this one is kept as the person's own.
        return SettingsView(subscriber, await keep_to_rhythm(tx, subscriber, course, now))


async def set_zone(store: Store, now: datetime, chat_id: int, zone: str) -> SettingsView | Refusal:
    """The person's zone, for the lessons and the reminders alike."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        subscriber = await change_zone(tx, subscriber, zone, now)
        return SettingsView(subscriber, await tx.course(subscriber.id))
