"""The course planner: every combination of answers, with and without "not for me", gives
a course that reads the whole guide, keeps every care lesson, repeats nothing, and is the
same every time it is asked."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessons import load_catalog
from lessons.model import Catalog, Collection, Lesson, Purpose, Track
from lessons.planner import (
    Answers,
    ComesWith,
    Reason,
    Relationship,
    Verdict,
    Whose,
    bridge_lessons,
    course_lessons,
    planned_course,
    review_lessons,
)

CATALOG = load_catalog()
EVERY_ANSWERS = [
    Answers(whose, relationship, comes_with)
    for whose, relationship, comes_with in itertools.product(
        [None, *Whose], [None, *Relationship], [None, *ComesWith]
    )
]
ALL_LESSONS = [lesson for track in Track for lesson in CATALOG.track(track)]


def _ids(lessons: tuple[Lesson, ...]) -> list[str]:
    return [lesson.id for lesson in lessons]


def _check_whole(catalog: Catalog, track: Track, course: tuple[Lesson, ...]) -> None:
    sections = {section.id for section in catalog.sections}
    assert {source for lesson in course for source in lesson.source} == sections
    assert len(set(_ids(course))) == len(course), "a lesson repeats"
    own = set(_ids(catalog.track(track)))
    assert own <= set(_ids(course)), "a lesson of the track is missing"
    care = {lesson.id for lesson in ALL_LESSONS if Purpose.CARE in lesson.purpose}
    assert care & own <= set(_ids(course))
    closing = [lesson for lesson in catalog.track(track) if Purpose.CLOSING in lesson.purpose]
    if closing:
        assert course[-1] == closing[0]
    assert course[0] == catalog.track(track)[0]


@pytest.mark.parametrize("track", list(Track))
@pytest.mark.parametrize("answers", EVERY_ANSWERS, ids=str)
def test_every_combination_reads_the_whole_guide_once(track: Track, answers: Answers) -> None:
    course = course_lessons(CATALOG, track, answers)
    _check_whole(CATALOG, track, course)
    assert course == course_lessons(CATALOG, track, answers)  # deterministic


@pytest.mark.parametrize("track", list(Track))
def test_the_standard_order_is_the_track_then_what_covers_the_rest(track: Track) -> None:
    course = course_lessons(CATALOG, track)
    own = CATALOG.track(track)
    bridge = bridge_lessons(CATALOG, track)
    closing = tuple(lesson for lesson in own if Purpose.CLOSING in lesson.purpose)
    body = tuple(lesson for lesson in own if lesson not in closing)
    assert course == (*body, *bridge, *closing)
    assert all(planned.reason is None for planned in planned_course(CATALOG, track))


def test_pain_brings_the_pain_lesson_then_where_to_get_help() -> None:
    course = _ids(course_lessons(CATALOG, Track.SELF, Answers(comes_with=ComesWith.PAIN)))
    assert course[:3] == [
        "self-01-you-are-not-alone",
        "self-23-comfort-first",
        "self-28-who-can-help",
    ]
    partner = _ids(course_lessons(CATALOG, Track.PARTNER, Answers(comes_with=ComesWith.PAIN)))
    assert partner[1] == "partner-if-it-hurts"


def test_memories_bring_grounding_and_support_before_any_technique() -> None:
    course = course_lessons(CATALOG, Track.SELF, Answers(comes_with=ComesWith.MEMORIES))
    first_technique = next(
        index for index, lesson in enumerate(course) if Purpose.TECHNIQUE in lesson.purpose
    )
    before = course[:first_technique]
    for needed in (Purpose.MEMORIES, Purpose.GROUNDING, Purpose.SUPPORT):
        wanted = {lesson.id for lesson in course if needed in lesson.purpose}
        assert wanted <= set(_ids(before)), needed
    assert course[1].id == "self-09-when-memories-stir"


def test_a_single_person_reads_the_solo_lesson_early_and_couple_practice_late() -> None:
    course = course_lessons(CATALOG, Track.SELF, Answers(relationship=Relationship.SINGLE))
    assert course[1].id == "self-10-on-your-own-too"
    couple = [i for i, lesson in enumerate(course) if Purpose.COUPLE in lesson.purpose]
    others = [
        i
        for i, lesson in enumerate(course)
        if not {Purpose.COUPLE, Purpose.CLOSING} & set(lesson.purpose)
        and lesson.track is Track.SELF
    ]
    assert min(couple) > max(others)


def test_the_partners_tears_bring_the_partner_lessons_first() -> None:
    course = course_lessons(CATALOG, Track.SELF, Answers(whose=Whose.PARTNER))
    bridge = bridge_lessons(CATALOG, Track.SELF)
    assert course[1 : 1 + len(bridge)] == bridge
    assert all(lesson.track is Track.PARTNER for lesson in bridge)


def test_when_both_cry_the_other_sides_lessons_follow_what_the_answers_bring() -> None:
    answers = Answers(whose=Whose.BOTH, comes_with=ComesWith.PAIN)
    planned = planned_course(CATALOG, Track.SELF, answers)
    reasons = [item.reason for item in planned]
    assert reasons[1:5] == [Reason.PAIN, Reason.PAIN, Reason.BOTH, Reason.BOTH]


def test_three_people_get_three_different_first_weeks() -> None:
    weeks = {
        comes_with: _ids(course_lessons(CATALOG, Track.SELF, Answers(comes_with=comes_with))[:7])
        for comes_with in (ComesWith.PAIN, ComesWith.MEMORIES, ComesWith.EMOTION)
    }
    assert len({tuple(week) for week in weeks.values()}) == 3


def test_not_for_me_moves_similar_lessons_later_but_never_a_care_lesson() -> None:
    before = course_lessons(CATALOG, Track.SELF)
    disliked = CATALOG.lesson("self-12-pause-and-ground")  # tags: moment, calm
    after = course_lessons(CATALOG, Track.SELF, feedback={disliked.id: Verdict.NOT_FOR_ME})
    assert before != after
    _check_whole(CATALOG, Track.SELF, after)
    similar = CATALOG.lesson("self-13-breath-as-an-anchor")  # tags: breath, calm
    assert after.index(similar) > before.index(similar)
    for lesson in before:
        if Purpose.CARE in lesson.purpose:
            assert after.index(lesson) <= before.index(lesson)
    reasons = {
        p.lesson.id: p.reason
        for p in planned_course(CATALOG, Track.SELF, feedback={disliked.id: Verdict.NOT_FOR_ME})
    }
    assert reasons[similar.id] is Reason.NOT_FOR_ME


def test_not_for_me_on_a_care_lesson_keeps_every_care_lesson_in_place() -> None:
    answers = Answers(comes_with=ComesWith.PAIN)
    before = course_lessons(CATALOG, Track.SELF, answers)
    feedback = {"self-23-comfort-first": Verdict.NOT_FOR_ME}
    after = course_lessons(CATALOG, Track.SELF, answers, feedback)
    for lesson in before:
        if Purpose.CARE in lesson.purpose:
            assert after.index(lesson) == before.index(lesson)


_verdicts = st.dictionaries(
    st.sampled_from([lesson.id for lesson in ALL_LESSONS]), st.sampled_from(list(Verdict))
)


@given(
    track=st.sampled_from(list(Track)),
    answers=st.sampled_from(EVERY_ANSWERS),
    feedback=_verdicts,
)
def test_any_answers_and_taps_keep_the_whole_course(
    track: Track, answers: Answers, feedback: dict[str, Verdict]
) -> None:
    course = course_lessons(CATALOG, track, answers, feedback)
    _check_whole(CATALOG, track, course)
    assert set(course) == set(course_lessons(CATALOG, track))
    assert course == course_lessons(CATALOG, track, answers, dict(reversed(feedback.items())))


def test_helpful_lessons_lead_the_review_and_like_ones_follow() -> None:
    plain = review_lessons(CATALOG)
    assert plain == CATALOG.collection(Collection.MAINTENANCE)
    feedback = {
        "self-21-arrive-calm": Verdict.HELPFUL,  # tags include routine, calm, prevention
        "maintenance-when-it-comes-back": Verdict.NOT_FOR_ME,
    }
    review = _ids(review_lessons(CATALOG, feedback))
    assert review[0] == "self-21-arrive-calm"
    assert review[-1] == "maintenance-when-it-comes-back"
    assert len(review) == len(plain) + 1
