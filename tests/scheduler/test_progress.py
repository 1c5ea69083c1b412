"""Which lesson each position of a course means, and where the course stands."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lessons import Catalog, Track, load_catalog
from lessons.model import Collection
from lessons.planner import course_lessons
from scheduler.model import WEEKDAYS, Course, Stage
from scheduler.progress import (
    delivery_days,
    is_finished,
    lesson_at,
    place_of,
    review_lesson,
    review_lessons,
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_positions_count_from_one_and_end_past_the_last_lesson(catalog: Catalog) -> None:
    course = Course(1, track=Track.PARTNER)
    lessons = course_lessons(catalog, Track.PARTNER)
    assert lesson_at(catalog, course, 1) == lessons[0]
    assert lesson_at(catalog, course, len(lessons)) == lessons[-1]
    assert lesson_at(catalog, course, 0) is None
    assert lesson_at(catalog, course, len(lessons) + 1) is None


def test_a_course_past_its_end_is_finished_but_the_review_is_not(catalog: Catalog) -> None:
    end = len(course_lessons(catalog, Track.SELF)) + 1
    assert not is_finished(catalog, Course(1, position=end - 1))
    assert is_finished(catalog, Course(1, position=end))
    assert is_finished(catalog, Course(1, position=3, stage=Stage.FINISHED))
    assert not is_finished(catalog, Course(1, position=end + 4, stage=Stage.REVIEW))


def test_the_review_alternates_the_lessons_for_later_and_the_course_and_never_runs_dry(
    catalog: Catalog,
) -> None:
    course = Course(1, stage=Stage.REVIEW)
    kept, own = catalog.collection(Collection.MAINTENANCE), course_lessons(catalog, Track.SELF)
    mixed = review_lessons(catalog, course)
    # The course's first lesson welcomes a newcomer: the review never draws it.
    assert mixed[:4] == (kept[0], own[1], kept[1], own[2])
    assert own[0] not in mixed and len(mixed) == len(kept) + len(own) - 1
    end = len(own) + 1
    steps = [review_lesson(catalog, replace(course, position=end + k)) for k in range(200)]
    assert steps[: len(mixed)] == list(mixed) and steps[len(mixed)] == mixed[0]


def test_places_count_the_course_and_mark_the_review(catalog: Catalog) -> None:
    total = len(course_lessons(catalog, Track.SELF))
    assert place_of(catalog, Course(1), 7).number == 7
    assert place_of(catalog, Course(1), 7).total == total
    assert not place_of(catalog, Course(1), total).review
    assert place_of(catalog, Course(1), total + 1).review


def test_the_review_sends_once_a_week_on_the_first_of_the_persons_days() -> None:
    assert delivery_days(Course(1, days=WEEKDAYS)) == WEEKDAYS
    review = Course(1, days=frozenset({2, 5}), stage=Stage.REVIEW)
    assert delivery_days(review) == frozenset({2})
