"""The course on demand: the next lesson now, reading ahead of the schedule, and what was
read last.

The course position is shared with the daily delivery: a lesson read here is not sent again
by the schedule, which always sends the next unread one. A "Next lesson" button names the
lesson it sits under, so only its first tap moves the course on.

Reading ahead is the person's choice, never an accident: while lessons arrive on a
schedule, "Next lesson" first asks whether to read the next one now. The answer can be "yes,
this once" (asked again next time) or "yes, and stop asking for this course". Asking each
time is the default because the harm it prevents, a month read by accident in one sitting
and a schedule with nothing left to send, comes from quick taps; someone who wants to read
at their own pace can say so once and not be asked again until a new course starts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from lessons.model import Catalog, Lesson, Track
from scheduler.actions.refusals import Refusal
from scheduler.course_plan import course_restarted, solo
from scheduler.model import Course, Stage
from scheduler.planning import save_course
from scheduler.progress import Place, is_finished, lesson_at, place_of, review_lesson
from scheduler.store import Store, Transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LessonRead:
    """A lesson to show now, with its place in the course; the course has moved past it."""

    lesson: Lesson
    place: Place
    track: Track
    """The course's track (a review lesson may come from the lessons for later)."""
    solo: bool = False
    """Shown with its version for someone on their own as the thing to try."""


@dataclass(frozen=True, slots=True)
class TrackFinished:
    """Nothing left in ``track``: the course is finished, with its ways on."""

    track: Track


@dataclass(frozen=True, slots=True)
class AskFirst:
    """Reading on would be ahead of the schedule: the person is asked first. Nothing moved."""

    shown: Lesson
    """The lesson the question sits under, which the answer's buttons name."""
    place: Place
    """Where the lesson that would be read stands."""
    next_due: datetime
    zone: str


Reading = LessonRead | TrackFinished


async def read_next_lesson(store: Store, catalog: Catalog, chat_id: int, language: str) -> Reading:
    """``/lesson``: the next lesson of the person's course (typing it is a choice already),
    or the review's next one. Starting here stores the person, speaking ``language``."""
    async with store.transaction() as tx:
        subscriber = await tx.ensure_subscriber(chat_id, language)
        course = await tx.course(subscriber.id)
        if course.stage is Stage.REVIEW:
            lesson = review_lesson(catalog, course)
        else:
            profile = await tx.profile(subscriber.id)
            found = lesson_at(catalog, course, course.position, profile)
            if found is None or course.stage is Stage.FINISHED:
                return await _finish(tx, course)
            lesson = found
        # An upsert, not ``move_course_on``: the course row may not exist yet.
        await tx.save_course(
            replace(course, position=course.position + 1, last_lesson_id=lesson.id)
        )
        log.debug("subscriber %s read lesson %s on demand", subscriber.id, lesson.id)
        place = place_of(catalog, course, course.position)
        return LessonRead(lesson, place, course.track, solo(await tx.profile(subscriber.id)))


async def read_lesson_after(
    store: Store,
    catalog: Catalog,
    chat_id: int,
    shown_lesson_id: str,
    *,
    chosen: bool = False,
    remember: bool = False,
) -> Reading | AskFirst | Refusal:
    """The "Next lesson" button under ``shown_lesson_id``: the lesson after it, once.

    While lessons arrive on a schedule this is reading ahead, so unless ``chosen`` (the
    person answered "read it now") or remembered for this course, the answer is
    ``AskFirst``. ``remember`` keeps that answer for the rest of the course.

    A second tap, or a tap under a lesson the course has moved past since, is
    ``Refusal.ALREADY_DONE``."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        if course.last_lesson_id != shown_lesson_id or course.stage is Stage.REVIEW:
            return Refusal.ALREADY_DONE
        if is_finished(catalog, course):
            return await _finish(tx, course)
        scheduled = course.active and not course.paused and course.next_due is not None
        if scheduled and not (chosen or course.read_ahead) and course.next_due is not None:
            shown = catalog.lesson(shown_lesson_id)
            place = place_of(catalog, course, course.position)
            return AskFirst(shown, place, course.next_due, subscriber.timezone)
        if remember and not course.read_ahead:
            course = replace(course, read_ahead=True)
            await tx.save_course(course)
        return await _move_on(tx, catalog, course)


async def restart_track(
    store: Store, catalog: Catalog, now: datetime, chat_id: int, finished: Track, track: Track
) -> Reading | Refusal:
    """After the last lesson of ``finished`` (or from its weekly review): ``track`` from
    day 1, and its first lesson now. Daily lessons resume if they are on: a finished course
    rests its deliveries, a fresh start brings them back.

    Only while the course is still finished or on review: a repeated tap is refused."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        over = is_finished(catalog, course) or course.stage is Stage.REVIEW
        if course.track != finished or not over:
            return Refusal.ALREADY_DONE
        await course_restarted(tx, subscriber.id)
        course = replace(
            course, track=track, position=1, paused=False, stage=Stage.COURSE, read_ahead=False
        )
        course = await save_course(tx, subscriber, course, now)
        return await _move_on(tx, catalog, course)


async def _move_on(tx: Transaction, catalog: Catalog, course: Course) -> Reading | Refusal:
    profile = await tx.profile(course.subscriber_id)
    lesson = lesson_at(catalog, course, course.position, profile)
    if lesson is None:
        return await _finish(tx, course)
    if not await tx.move_course_on(course.subscriber_id, course.position, lesson.id):
        return Refusal.ALREADY_DONE  # another tap, or the schedule, moved it first
    log.debug("subscriber %s read lesson %s on demand", course.subscriber_id, lesson.id)
    place = place_of(catalog, course, course.position)
    return LessonRead(lesson, place, course.track, solo(profile))


async def _finish(tx: Transaction, course: Course) -> TrackFinished:
    """The person has met the end of the course here: it is finished, so the schedule's
    completion note does not come again later."""
    if course.stage is not Stage.FINISHED:
        await tx.save_course(replace(course, stage=Stage.FINISHED, next_due=None))
    return TrackFinished(course.track)


async def last_lesson(store: Store, catalog: Catalog, chat_id: int) -> Lesson | None:
    """The lesson the person received last, for ``/share``; nobody is stored by asking."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return None
        entry = catalog.entry((await tx.course(subscriber.id)).last_lesson_id or "")
        return entry if isinstance(entry, Lesson) else None


async def suggested_lesson(store: Store, catalog: Catalog, chat_id: int) -> Lesson | None:
    """For inline mode with nothing typed: the lesson read last, else the one coming next,
    else day 1 of the course for oneself. Nobody is stored by asking."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        lesson: Lesson | None = None
        if subscriber is not None:
            course = await tx.course(subscriber.id)
            last = catalog.entry(course.last_lesson_id or "")
            upcoming = lesson_at(
                catalog, course, course.position, await tx.profile(course.subscriber_id)
            )
            lesson = last if isinstance(last, Lesson) else upcoming
        return lesson or lesson_at(catalog, _FIRST, 1)


_FIRST = Course(subscriber_id=0, track=Track.SELF)
"""A fresh course for oneself: what a newcomer's first lesson is read from."""
