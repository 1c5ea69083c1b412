"""The course questions' actions and the one way a course is read (``course_plan``): a
change reorders only what is still to come, a fresh start keeps nothing, a double tap
counts once, and nobody is stored by any of them."""

from __future__ import annotations

from dataclasses import replace

from lessons.model import Track
from lessons.planner import Answers, ComesWith, Verdict, course_lessons
from scheduler.actions import Refusal
from scheduler.actions import course as course_actions
from scheduler.actions import tailoring as actions
from scheduler.actions.tailoring import Question
from scheduler.course_plan import course_lessons_of, lesson_at
from scheduler.model import Course
from scheduler.profile import Profile
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, catalog, nobody_stored, opted_in


async def _state(store: Store) -> tuple[Course, Profile]:
    subscriber = await store.find_subscriber(ALEX)
    assert subscriber is not None
    return await store.course(subscriber.id), await store.profile(subscriber.id)


async def _read(store: Store, count: int) -> list[str]:
    read = []
    for _ in range(count):
        reading = await course_actions.read_next_lesson(store, catalog(), ALEX, "en")
        assert isinstance(reading, course_actions.LessonRead)
        read.append(reading.lesson.id)
    return read


async def test_an_answer_reorders_only_the_lessons_still_to_come(store: Store) -> None:
    await opted_in(store)
    sent = await _read(store, 3)
    await actions.answer(store, catalog(), ALEX, Question.COMES_WITH, ComesWith.PAIN.value)
    course, profile = await _state(store)
    assert profile.kept == tuple(sent) and profile.kept_track is Track.SELF
    ordered = [lesson.id for lesson in course_lessons_of(catalog(), course, profile)]
    assert ordered[:3] == sent
    assert ordered[3] == "self-23-comfort-first"
    assert sorted(ordered) == sorted(lesson.id for lesson in course_lessons(catalog(), Track.SELF))


async def test_a_fresh_start_keeps_nothing_of_the_last_run(store: Store) -> None:
    await opted_in(store)
    await _read(store, 2)
    await actions.answer(store, catalog(), ALEX, Question.COMES_WITH, ComesWith.MEMORIES.value)
    course, _ = await _state(store)
    last = len(course_lessons_of(catalog(), course, (await _state(store))[1]))
    await store.save_course(replace(course, position=last + 1))
    review = await course_actions.restart_track(store, catalog(), NOW, ALEX, Track.SELF, Track.SELF)
    assert isinstance(review, course_actions.LessonRead)
    course, profile = await _state(store)
    assert profile.kept == ()
    planned = course_lessons(catalog(), Track.SELF, profile.answers)
    assert lesson_at(catalog(), course, profile) == planned[1]


def test_lessons_kept_on_another_track_are_not_used() -> None:
    course = Course(1, track=Track.PARTNER, position=3)
    profile = Profile(1, kept=("self-05-when-it-matters", "self-06-a-deep-exhale"))
    profile = replace(profile, kept_track=Track.SELF)
    assert lesson_at(catalog(), course, profile) == course_lessons(catalog(), Track.PARTNER)[2]


async def test_a_second_tap_counts_once_and_a_changed_one_replaces_it(store: Store) -> None:
    await opted_in(store)
    lesson = catalog().lesson("self-02-tears-are-information")
    first = await actions.give_feedback(store, catalog(), ALEX, lesson, Verdict.HELPFUL)
    again = await actions.give_feedback(store, catalog(), ALEX, lesson, Verdict.HELPFUL)
    changed = await actions.give_feedback(store, catalog(), ALEX, lesson, Verdict.NOT_FOR_ME)
    assert isinstance(first, actions.FeedbackTaken) and first.counted
    assert isinstance(again, actions.FeedbackTaken) and not again.counted
    assert isinstance(changed, actions.FeedbackTaken) and changed.counted
    _, profile = await _state(store)
    assert dict(profile.feedback) == {lesson.id: Verdict.NOT_FOR_ME}


async def test_forgetting_keeps_the_course_and_the_lessons_sent(store: Store) -> None:
    await opted_in(store)
    await actions.answer(store, catalog(), ALEX, Question.COMES_WITH, ComesWith.PAIN.value)
    sent = await _read(store, 2)
    forgotten = await actions.forget_answers(store, catalog(), ALEX)
    assert isinstance(forgotten, actions.Tailoring)
    assert forgotten.profile.answers == Answers() and forgotten.profile.kept == tuple(sent)
    assert forgotten.course.active and forgotten.course.position == 3
    assert forgotten.next is not None and forgotten.next.reason is None


async def test_nobody_is_stored_by_any_of_them(store: Store) -> None:
    lesson = catalog().lesson("self-02-tears-are-information")
    assert (
        await actions.answer(store, catalog(), ALEX, Question.WHOSE, "mine") is Refusal.NOT_STORED
    )
    assert (
        await actions.give_feedback(store, catalog(), ALEX, lesson, Verdict.HELPFUL)
        is Refusal.NOT_STORED
    )
    assert await actions.forget_answers(store, catalog(), ALEX) is Refusal.NOT_STORED
    assert (
        await actions.use_standard_order(store, catalog(), ALEX, standard=True)
        is Refusal.NOT_STORED
    )
    assert await actions.tailoring(store, catalog(), ALEX) is None
    assert await nobody_stored(store)


async def test_many_profiles_are_read_at_once_with_defaults_for_the_unasked(store: Store) -> None:
    await opted_in(store)
    await actions.answer(store, catalog(), ALEX, Question.COMES_WITH, ComesWith.PAIN.value)
    subscriber = await store.find_subscriber(ALEX)
    assert subscriber is not None
    found = await store.profiles([subscriber.id, 999])
    assert found[subscriber.id].answers.comes_with is ComesWith.PAIN
    assert found[999] == Profile(999)


def test_the_lesson_sent_last_keeps_its_place_when_a_tap_raced_it() -> None:
    # A tap kept two lessons while the third was on its way under the old order.
    answers = Answers(comes_with=ComesWith.PAIN)
    standard = course_lessons(catalog(), Track.SELF)
    kept = (standard[0].id, standard[1].id)
    profile = Profile(1, answers=answers, kept=kept, kept_track=Track.SELF)
    course = Course(1, position=4, last_lesson_id=standard[2].id)
    ordered = course_lessons_of(catalog(), course, profile)
    assert [lesson.id for lesson in ordered[:3]] == [*kept, standard[2].id]
    assert len(set(ordered)) == len(ordered) == len(standard)
