"""What comes after a finished course: a gentle weekly review, or rest. (The other track
from day 1 is ``course.restart_track``.)

A finished course is a state of its own, never a pause: nothing arrives until the person
picks a way on, and no way on sends the completion note again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from lessons.model import Catalog, Track
from scheduler.actions.refusals import Refusal
from scheduler.actions.schedule import Overview, overview_of
from scheduler.model import Stage
from scheduler.planning import save_course
from scheduler.progress import course_lessons, is_finished
from scheduler.store import Store


@dataclass(frozen=True, slots=True)
class Rested:
    """The course stays finished and nothing arrives; ``was_review`` if a review ended."""

    overview: Overview
    was_review: bool


async def start_review(
    store: Store, catalog: Catalog, now: datetime, chat_id: int, finished: Track
) -> Overview | Refusal:
    """A lesson a week from the finished course and the lessons for later, on the first of
    the person's lesson days at their lesson time. It needs a day and a time chosen once
    (``Refusal.LESSONS_OFF`` otherwise); a repeated tap is ``Refusal.ALREADY_DONE``."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        if course.track != finished or not is_finished(catalog, course):
            return Refusal.ALREADY_DONE
        if not course.chosen:
            return Refusal.LESSONS_OFF
        # The review counts on from just past the last lesson.
        start = max(course.position, len(course_lessons(catalog, course)) + 1)
        course = replace(course, stage=Stage.REVIEW, position=start, active=True, paused=False)
        course = await save_course(tx, subscriber, course, now)
        return overview_of(catalog, subscriber, course)


async def rest(store: Store, catalog: Catalog, chat_id: int, finished: Track) -> Rested | Refusal:
    """Nothing more for now: the course stays finished, or the weekly review ends, and is
    marked rested, so its screens stop offering rest. Its days and time are kept, so a later
    way on needs no set-up. Resting again is ``Refusal.ALREADY_DONE``."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        was_review = course.stage is Stage.REVIEW
        over = was_review or is_finished(catalog, course)
        if course.track != finished or not over or course.stage is Stage.RESTED:
            return Refusal.ALREADY_DONE
        course = replace(course, stage=Stage.RESTED, next_due=None)
        await tx.save_course(course)
        return Rested(overview_of(catalog, subscriber, course), was_review)
