"""The course on demand: the next lesson now, a fresh start after the last one, and what
was read last.

The course position is shared with the daily delivery: a lesson read here is not sent again
by the schedule, and which lesson is next is always ``scheduler.course_plan``'s answer. A
"Next lesson" button names the lesson it sits under, so only its first tap moves the course
on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from lessons.model import Catalog, Lesson, Track
from scheduler.actions.refusals import Refusal
from scheduler.course_plan import course_restarted, next_lesson, solo
from scheduler.model import Course
from scheduler.planning import save_course
from scheduler.store import Store, Transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LessonRead:
    """A lesson to show now; the course has moved past it."""

    lesson: Lesson
    solo: bool = False
    """Shown with its version for someone on their own as the thing to try."""


@dataclass(frozen=True, slots=True)
class TrackFinished:
    """Nothing left in ``track``: the person is offered the other track or a review."""

    track: Track


Reading = LessonRead | TrackFinished


async def read_next_lesson(store: Store, catalog: Catalog, chat_id: int) -> Reading:
    """``/lesson``: the next lesson of the person's course. Starting here stores the person."""
    async with store.transaction() as tx:
        subscriber = await tx.ensure_subscriber(chat_id)
        course = await tx.course(subscriber.id)
        lesson = await next_lesson(tx, catalog, course)
        if lesson is None:
            return TrackFinished(course.track)
        # An upsert, not ``move_course_on``: the course row may not exist yet.
        await tx.save_course(
            replace(course, position=course.position + 1, last_lesson_id=lesson.id)
        )
        log.debug("subscriber %s read lesson %s on demand", subscriber.id, lesson.id)
        return LessonRead(lesson, solo(await tx.profile(subscriber.id)))


async def read_lesson_after(
    store: Store, catalog: Catalog, chat_id: int, shown_lesson_id: str
) -> Reading | Refusal:
    """The "Next lesson" button under ``shown_lesson_id``: the lesson after it, once.

    A second tap, or a tap under a lesson the course has moved past since, is
    ``Refusal.ALREADY_DONE``."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        if course.last_lesson_id != shown_lesson_id:
            return Refusal.ALREADY_DONE
        return await _move_on(tx, catalog, course)


async def restart_track(
    store: Store, catalog: Catalog, now: datetime, chat_id: int, finished: Track, track: Track
) -> Reading | Refusal:
    """After the last lesson of ``finished``: ``track`` (the other one, or the same for a
    review) from day 1, and its first lesson now. Daily lessons resume if they are on: a
    finished course rests its deliveries, a fresh start brings them back.

    Only while the course is still at the end of ``finished``: a repeated tap is refused."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        if course.track != finished or await next_lesson(tx, catalog, course) is not None:
            return Refusal.ALREADY_DONE
        await course_restarted(tx, subscriber.id)
        course = replace(course, track=track, position=1, paused=False)
        course = await save_course(tx, subscriber, course, now)
        return await _move_on(tx, catalog, course)


async def _move_on(tx: Transaction, catalog: Catalog, course: Course) -> Reading | Refusal:
    lesson = await next_lesson(tx, catalog, course)
    if lesson is None:
        return TrackFinished(course.track)
    if not await tx.move_course_on(course.subscriber_id, course.position, lesson.id):
        return Refusal.ALREADY_DONE  # another tap, or the schedule, moved it first
    log.debug("subscriber %s read lesson %s on demand", course.subscriber_id, lesson.id)
    return LessonRead(lesson, solo(await tx.profile(course.subscriber_id)))


async def last_lesson(store: Store, catalog: Catalog, chat_id: int) -> Lesson | None:
    """The lesson the person received last, for ``/share``; nobody is stored by asking."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return None
        entry = catalog.entry((await tx.course(subscriber.id)).last_lesson_id or "")
        return entry if isinstance(entry, Lesson) else None


async def suggested_lesson(store: Store, catalog: Catalog, chat_id: int) -> Lesson | None:
    """For inline mode with nothing typed: the lesson read last, else the one coming next,
    else day 1 of the course for oneself. Nobody is stored by asking."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        lesson: Lesson | None = None
        if subscriber is not None:
            course = await tx.course(subscriber.id)
            last = catalog.entry(course.last_lesson_id or "")
            upcoming = await next_lesson(tx, catalog, course)
            lesson = last if isinstance(last, Lesson) else upcoming
        return lesson or catalog.lesson_for_day(Track.SELF, 1)
