"""Where a person is in their course, and which lesson each position means.

Every lesson a course sends, on the schedule or on demand, comes through ``lesson_at``: the
one place that turns a course and a position into a lesson, so a planner that orders each
person's course (rather than the plain order of the track) plugs in here alone.

``position`` is the day number of the next lesson, counted from 1. Past the last lesson the
course is finished; on the weekly review, the position keeps counting on, and each step
past the end is the next lesson to look back on.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessons.model import Catalog, Collection, Lesson
from scheduler.course_plan import course_lessons_of
from scheduler.model import Course, Stage
from scheduler.profile import Profile


def course_lessons(
    catalog: Catalog, course: Course, profile: Profile | None = None
) -> tuple[Lesson, ...]:
    """The person's course, in the order it is sent: ordered from their answers and taps
    by ``scheduler.course_plan`` (the usual order without a ``profile``). Its length and
    its lessons are the same whatever the profile; only their order differs."""
    return course_lessons_of(catalog, course, profile)


def lesson_at(
    catalog: Catalog, course: Course, position: int, profile: Profile | None = None
) -> Lesson | None:
    """The lesson at ``position`` (from 1) of the person's course; None past its end."""
    lessons = course_lessons(catalog, course, profile)
    return lessons[position - 1] if 1 <= position <= len(lessons) else None


def review_lessons(catalog: Catalog, course: Course) -> tuple[Lesson, ...]:
    """What the weekly review draws from: the lessons for later first, then the course's
    own, one of each in turn, so a returning week rarely repeats the week before. The
    course's first lesson is left out: it welcomes a newcomer, which a month in is not."""
    kept = catalog.collection(Collection.MAINTENANCE)
    own = course_lessons(catalog, course)[1:]
    mixed: list[Lesson] = []
    for index in range(max(len(kept), len(own))):
        mixed += [lessons[index] for lessons in (kept, own) if index < len(lessons)]
    return tuple(mixed)


def review_lesson(catalog: Catalog, course: Course) -> Lesson:
    """The review's next lesson: round and round the review list, never running dry."""
    lessons = review_lessons(catalog, course)
    step = max(course.position - len(course_lessons(catalog, course)) - 1, 0)
    return lessons[step % len(lessons)]


def is_finished(catalog: Catalog, course: Course) -> bool:
    """Past the last lesson and not on the review: the course is over, never "paused"."""
    if course.stage.finished:
        return True
    return course.stage is Stage.COURSE and lesson_at(catalog, course, course.position) is None


@dataclass(frozen=True, slots=True)
class Place:
    """A lesson's place in its course, for the line under a lesson's first line."""

    number: int
    total: int
    review: bool = False


def place_of(catalog: Catalog, course: Course, position: int) -> Place:
    """A review lesson is one by the course's stage, whatever its position: a course that
    grew (answers bring in lessons from the other track) must not call one "Lesson 1"."""
    total = len(course_lessons(catalog, course))
    return Place(position, total, review=course.stage is Stage.REVIEW or position > total)


def review_day(course: Course) -> int:
    """The weekly review's day: the first of the person's own lesson days (Monday first)."""
    return min(course.days) if course.days else 0


def delivery_days(course: Course) -> frozenset[int]:
    """The weekdays a course sends on: its own days, or one a week on the review."""
    if course.stage is Stage.REVIEW:
        return frozenset({review_day(course)})
    return course.days
