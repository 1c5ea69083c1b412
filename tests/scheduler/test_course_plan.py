"""The course read through ``course_plan`` while answers, taps and the standard order
change at any point: every lesson of the course arrives exactly once, whatever happens."""

from __future__ import annotations

import itertools
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessons.model import Track
from lessons.planner import (
    Answers,
    ComesWith,
    Planned,
    Relationship,
    Verdict,
    Whose,
    course_lessons,
    planned_course,
)
from scheduler import course_plan
from scheduler.course_plan import course_lessons_of, lesson_at
from scheduler.model import Course
from scheduler.profile import Profile
from tests.scheduler.actions_helpers import catalog

EVERY_ANSWERS = [
    Answers(*combination)
    for combination in itertools.product([None, *Whose], [None, *Relationship], [None, *ComesWith])
]
LESSON_IDS = [lesson.id for track in Track for lesson in catalog().track(track)]
READ = "read"

_step = st.one_of(
    st.just(READ),
    st.sampled_from(EVERY_ANSWERS),
    st.tuples(st.sampled_from(LESSON_IDS), st.sampled_from(list(Verdict))),
    st.booleans(),  # the standard order on or off
)


def _changed(profile: Profile, course: Course, step: object) -> Profile:
    """What an action does: keep what was sent, then change one input."""
    sent = course_lessons_of(catalog(), course, profile)[: course.position - 1]
    profile = replace(profile, kept=tuple(lesson.id for lesson in sent), kept_track=course.track)
    if isinstance(step, Answers):
        return replace(profile, answers=step)
    if isinstance(step, bool):
        return replace(profile, standard=step)
    assert isinstance(step, tuple)
    lesson_id, verdict = step
    return replace(profile, feedback=MappingProxyType({**profile.feedback, lesson_id: verdict}))


@given(track=st.sampled_from(list(Track)), steps=st.lists(_step, max_size=60))
def test_any_changes_while_reading_send_every_lesson_once(
    track: Track, steps: list[object]
) -> None:
    course, profile = Course(1, track=track), Profile(1)
    sent: list[str] = []
    for step in [*steps, *[READ] * 60]:
        if step != READ:
            profile = _changed(profile, course, step)
            continue
        lesson = lesson_at(catalog(), course, profile)
        if lesson is None:
            break
        sent.append(lesson.id)
        course = replace(course, position=course.position + 1, last_lesson_id=lesson.id)
    whole = [lesson.id for lesson in course_lessons(catalog(), track)]
    assert len(sent) == len(set(sent))
    assert sorted(sent) == sorted(whole)


def test_the_plan_is_worked_out_once_per_answers_and_taps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[object, ...]] = []

    def counting(*args: Any) -> tuple[Planned, ...]:
        calls.append(args[1:])
        return planned_course(*args)

    course_plan._plan.cache_clear()
    monkeypatch.setattr(course_plan, "planned_course", counting)
    course = Course(subscriber_id=1, track=Track.SELF, position=3)
    single = Profile(1, answers=Answers(relationship=Relationship.SINGLE))
    disliked = replace(single, feedback=MappingProxyType({LESSON_IDS[2]: Verdict.NOT_FOR_ME}))
    try:
        first = [lesson_at(catalog(), course, profile) for profile in (single, single, disliked)]
        again = [lesson_at(catalog(), course, profile) for profile in (single, disliked)]
        assert len(calls) == 2, "one plan for each set of answers and taps, however often asked"
        assert again == first[1:]
        # What is kept is what the planner says for exactly those answers and taps.
        for profile in (single, disliked):
            plain = course_lessons(catalog(), Track.SELF, profile.answers, profile.feedback)
            assert course_lessons_of(catalog(), course, profile) == plain
        assert again[0] != again[1], "a tap that reorders the course is not served a stale plan"
    finally:
        course_plan._plan.cache_clear()
