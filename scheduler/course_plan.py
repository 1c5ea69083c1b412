"""The one way to read a person's course: which lesson is at their position, and why.

A course's ``position`` counts the lessons of the person's own ordered list already sent,
plus one: the lesson at ``position`` is the next to send. That list is
``lessons.planner.course_lessons`` for their track, answers and taps, after the lessons
``Profile.kept`` says were already sent when the order last changed; so a changed answer
or a tap reorders only what is still to come. Everything that reads "the lesson at
position N" (the schedule, ``/lesson``, the buttons, ``/daily``) goes through here.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from lessons.model import Catalog, Lesson, Track
from lessons.planner import NO_ANSWERS, Answers, Planned, Relationship, Verdict, planned_course
from scheduler.model import Course
from scheduler.profile import Profile
from scheduler.store import Transaction


def planned(catalog: Catalog, course: Course, profile: Profile | None) -> tuple[Planned, ...]:
    """The person's whole course in order, each lesson with the reason for its place."""
    profile = profile or Profile(course.subscriber_id)
    answers = NO_ANSWERS if profile.standard else profile.answers
    feedback = {} if profile.standard else profile.feedback
    plan = _plan(catalog, course.track, answers, tuple(sorted(feedback.items())))
    kept = _kept(catalog, course, profile)
    kept_ids = {lesson.id for lesson in kept}
    ordered = [Planned(lesson) for lesson in kept]
    ordered += [item for item in plan if item.lesson.id not in kept_ids]
    return _last_sent_in_place(ordered, course)


@lru_cache(maxsize=4096)
def _plan(
    catalog: Catalog, track: Track, answers: Answers, feedback: tuple[tuple[str, Verdict], ...]
) -> tuple[Planned, ...]:
    """``planned_course``, kept for the answers and taps most asked about: the planner is
    pure, and a drain asks it twice per lesson (which lesson, and "lesson N of M"), mostly
    for the same few answers. Bounded, so a million different sets of taps cannot pile up;
    catalogs are hashed by identity, so a new catalog plans afresh."""
    return planned_course(catalog, track, answers, dict(feedback))


def _last_sent_in_place(ordered: list[Planned], course: Course) -> tuple[Planned, ...]:
    """The lesson sent last sits just before the position, whatever reordered the rest.

    A tap can keep what was sent while a scheduled lesson is on its way, before the course
    records it; moving that lesson into its place means it is never sent twice."""
    index = course.position - 2
    ids = [item.lesson.id for item in ordered]
    last = course.last_lesson_id
    if last is None or not 0 <= index < len(ids) or ids[index] == last or last not in ids:
        return tuple(ordered)
    found = ids.index(last)
    if found > index:
        ordered.insert(index, ordered.pop(found))
    return tuple(ordered)


def course_lessons_of(
    catalog: Catalog, course: Course, profile: Profile | None
) -> tuple[Lesson, ...]:
    """The person's course in order: what "Day N of M" counts."""
    return tuple(item.lesson for item in planned(catalog, course, profile))


def planned_at(catalog: Catalog, course: Course, profile: Profile | None) -> Planned | None:
    """The lesson at the course's position and why it is there; None past the end."""
    plan = planned(catalog, course, profile)
    index = course.position - 1
    return plan[index] if 0 <= index < len(plan) else None


def lesson_at(catalog: Catalog, course: Course, profile: Profile | None) -> Lesson | None:
    """The next lesson to send, or None when the course is finished."""
    found = planned_at(catalog, course, profile)
    return None if found is None else found.lesson


def solo(profile: Profile | None) -> bool:
    """Whether lessons show their version for someone on their own as the thing to try."""
    return profile is not None and profile.answers.relationship is Relationship.SINGLE


async def next_lesson(tx: Transaction, catalog: Catalog, course: Course) -> Lesson | None:
    """``lesson_at`` with the person's profile read in ``tx``."""
    return lesson_at(catalog, course, await tx.profile(course.subscriber_id))


async def keep_what_was_sent(
    tx: Transaction, catalog: Catalog, course: Course, profile: Profile
) -> Profile:
    """Before the order changes (an answer, a tap, the standard order): fix the lessons
    already sent as the start of the course, so only the rest is reordered."""
    sent = course_lessons_of(catalog, course, profile)[: max(course.position - 1, 0)]
    kept = replace(profile, kept=tuple(lesson.id for lesson in sent), kept_track=course.track)
    await tx.save_profile(kept)
    return kept


async def course_restarted(tx: Transaction, subscriber_id: int) -> None:
    """A course started again from its first lesson (a review, or the other track):
    nothing of it was sent yet, so nothing is kept."""
    profile = await tx.profile(subscriber_id)
    if profile.kept:
        await tx.save_profile(replace(profile, kept=(), kept_track=None))


def _kept(catalog: Catalog, course: Course, profile: Profile) -> tuple[Lesson, ...]:
    # Only for the run it was kept in: same track, and no longer than what was sent since.
    if profile.kept_track is not course.track or len(profile.kept) > course.position - 1:
        return ()
    found = (catalog.entry(lesson_id) for lesson_id in profile.kept)
    return tuple(entry for entry in found if isinstance(entry, Lesson))
