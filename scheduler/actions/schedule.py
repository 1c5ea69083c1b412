"""The daily lesson's schedule: opting in, changing it, and stopping it.

Every change goes through ``scheduler.planning``, which keeps "never two lessons in one
local day"; the lessons and the reminders share the person's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time

from lessons.model import Catalog, Track
from lessons.planner import Planned
from scheduler.actions.presence import bring_back
from scheduler.actions.refusals import Refusal
from scheduler.actions.tailoring import first_time_asked
from scheduler.course_plan import course_restarted, planned_at
from scheduler.model import Course, Subscriber
from scheduler.planning import change_zone, save_course
from scheduler.store import Store


@dataclass(frozen=True, slots=True)
class DailyLessons:
    """The person and their course, as stored after the action."""

    subscriber: Subscriber
    course: Course
    ask_questions: bool = False
    """The first opt-in: the course questions are offered now, once."""
    next: Planned | None = None
    """The next lesson and why it comes next, when the summary asked for it."""


@dataclass(frozen=True, slots=True)
class Choices:
    """What a person picks in ``/daily``; ``track`` None keeps the current one."""

    track: Track | None
    days: frozenset[int]
    local_time: time
    zone: str


async def daily_lessons(
    store: Store, chat_id: int, catalog: Catalog | None = None
) -> DailyLessons | None:
    """The person's daily lessons while they are on, else None; with ``catalog``, also the
    next lesson and the reason it comes next."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return None
        course = await tx.course(subscriber.id)
        if not course.active:
            return None
        upcoming = None
        if catalog is not None:
            upcoming = planned_at(catalog, course, await tx.profile(subscriber.id))
        return DailyLessons(subscriber, course, next=upcoming)


async def stored_zone(store: Store, chat_id: int) -> str | None:
    """The zone a flow offers to keep; None for someone not stored."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        return None if subscriber is None else subscriber.timezone


async def choose_daily_lessons(
    store: Store, now: datetime, chat_id: int, choices: Choices
) -> DailyLessons:
    """Opt in, or change the schedule: this is a start, so it stores a new person, and
    brings back one still marked as having blocked the bot. Switching track starts the new
    one at its first lesson; otherwise progress stays."""
    async with store.transaction() as tx:
        subscriber = await bring_back(tx, now, await tx.ensure_subscriber(chat_id))
        subscriber = await change_zone(tx, subscriber, choices.zone, now)
        course = await tx.course(subscriber.id)
        track = choices.track or course.track
        if track != course.track:
            await course_restarted(tx, subscriber.id)
        course = replace(
            course,
            track=track,
            position=course.position if track == course.track else 1,
            days=choices.days,
            local_time=choices.local_time,
            active=True,
            paused=False,
        )
        course = await save_course(tx, subscriber, course, now)
        ask = await first_time_asked(tx, subscriber.id)
        return DailyLessons(subscriber, course, ask_questions=ask)


async def stop_daily_lessons(store: Store, chat_id: int) -> Refusal | None:
    """Switch the daily lessons off, keeping progress; None when done."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        await tx.save_course(replace(course, active=False, next_due=None))
        return None
