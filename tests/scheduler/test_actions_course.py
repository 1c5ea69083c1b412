"""The course on demand: only /lesson stores a person, and a button moves on once."""

from __future__ import annotations

from dataclasses import replace

from lessons import Track
from lessons.planner import course_lessons
from scheduler.actions import Refusal
from scheduler.actions import course as actions
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, catalog, nobody_stored, opted_in


def day(track: Track, number: int) -> str:
    return course_lessons(catalog(), track)[number - 1].id


async def test_reading_the_next_lesson_stores_the_person_and_moves_on(store: Store) -> None:
    first = await actions.read_next_lesson(store, catalog(), ALEX, "en")
    second = await actions.read_next_lesson(store, catalog(), ALEX, "en")

    assert isinstance(first, actions.LessonRead) and first.lesson.id == day(Track.SELF, 1)
    assert isinstance(second, actions.LessonRead) and second.lesson.id == day(Track.SELF, 2)
    subscriber = await store.find_subscriber(ALEX)
    assert subscriber is not None
    course = await store.course(subscriber.id)
    assert (course.position, course.last_lesson_id) == (3, day(Track.SELF, 2))


async def test_the_button_gives_the_lesson_after_the_one_it_is_under_once(store: Store) -> None:
    await actions.read_next_lesson(store, catalog(), ALEX, "en")
    shown = day(Track.SELF, 1)

    taps = [await actions.read_lesson_after(store, catalog(), ALEX, shown) for _ in range(3)]

    assert isinstance(taps[0], actions.LessonRead) and taps[0].lesson.id == day(Track.SELF, 2)
    assert taps[1:] == [Refusal.ALREADY_DONE, Refusal.ALREADY_DONE]


async def test_the_button_for_someone_not_stored_stores_nothing(store: Store) -> None:
    result = await actions.read_lesson_after(store, catalog(), ALEX, day(Track.SELF, 1))
    assert result is Refusal.NOT_STORED
    assert await nobody_stored(store)


async def test_the_button_loses_to_the_schedule_moving_the_course_first(store: Store) -> None:
    await actions.read_next_lesson(store, catalog(), ALEX, "en")
    subscriber = await store.find_subscriber(ALEX)
    assert subscriber is not None
    # The schedule delivered day 2 meanwhile: the button under day 1 is an old one now.
    course = await store.course(subscriber.id)
    await store.save_course(replace(course, position=3, last_lesson_id=day(Track.SELF, 2)))

    assert (
        await actions.read_lesson_after(store, catalog(), ALEX, day(Track.SELF, 1))
        is Refusal.ALREADY_DONE
    )


async def test_the_end_of_a_track_offers_a_restart_which_works_once(store: Store) -> None:
    await opted_in(store)
    subscriber = await store.find_subscriber(ALEX)
    assert subscriber is not None
    last = len(course_lessons(catalog(), Track.SELF))
    course = await store.course(subscriber.id)
    await store.save_course(replace(course, position=last + 1, paused=True))

    assert await actions.read_next_lesson(store, catalog(), ALEX, "en") == actions.TrackFinished(
        Track.SELF
    )
    first = await actions.restart_track(store, catalog(), NOW, ALEX, Track.SELF, Track.PARTNER)
    again = await actions.restart_track(store, catalog(), NOW, ALEX, Track.SELF, Track.PARTNER)

    assert isinstance(first, actions.LessonRead) and first.lesson.id == day(Track.PARTNER, 1)
    assert again is Refusal.ALREADY_DONE
    course = await store.course(subscriber.id)
    # The fresh start resumes the daily lessons the finished course had rested.
    assert (course.track, course.position, course.paused) == (Track.PARTNER, 2, False)
    assert course.next_due is not None


async def test_a_review_restarts_the_same_track(store: Store) -> None:
    subscriber = await store.ensure_subscriber(ALEX)
    last = len(course_lessons(catalog(), Track.PARTNER))
    course = await store.course(subscriber.id)
    await store.save_course(replace(course, track=Track.PARTNER, position=last + 1))

    review = await actions.restart_track(store, catalog(), NOW, ALEX, Track.PARTNER, Track.PARTNER)

    assert isinstance(review, actions.LessonRead) and review.lesson.id == day(Track.PARTNER, 1)


async def test_a_restart_before_the_end_or_for_nobody_is_refused(store: Store) -> None:
    assert (
        await actions.restart_track(store, catalog(), NOW, ALEX, Track.SELF, Track.PARTNER)
        is Refusal.NOT_STORED
    )
    await actions.read_next_lesson(store, catalog(), ALEX, "en")
    assert (
        await actions.restart_track(store, catalog(), NOW, ALEX, Track.SELF, Track.PARTNER)
        is Refusal.ALREADY_DONE
    )


async def test_the_last_and_suggested_lessons_store_nobody(store: Store) -> None:
    assert await actions.last_lesson(store, catalog(), ALEX) is None
    suggested = await actions.suggested_lesson(store, catalog(), ALEX)
    assert suggested is not None and suggested.id == day(Track.SELF, 1)
    assert await nobody_stored(store)

    await actions.read_next_lesson(store, catalog(), ALEX, "en")
    last = await actions.last_lesson(store, catalog(), ALEX)
    assert last is not None and last.id == day(Track.SELF, 1)
    suggested = await actions.suggested_lesson(store, catalog(), ALEX)
    assert suggested is not None and suggested.id == day(Track.SELF, 1)
