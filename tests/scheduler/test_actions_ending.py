"""After a finished course: the weekly review and rest, each once, and none of them ever
plans the completion note again."""

from __future__ import annotations

from dataclasses import replace

from lessons import Track
from lessons.planner import course_lessons
from scheduler.actions import Refusal, ending, schedule
from scheduler.actions import course as actions
from scheduler.actions.schedule import Standing
from scheduler.model import Stage
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, catalog, opted_in


async def _finished(store: Store, *, scheduled: bool = True) -> None:
    """The self course read to its end; with daily lessons on when ``scheduled``."""
    if scheduled:
        await opted_in(store)
    subscriber = await store.ensure_subscriber(ALEX)
    end = len(course_lessons(catalog(), Track.SELF)) + 1
    await store.save_course(replace(await store.course(subscriber.id), position=end))
    assert isinstance(
        await actions.read_next_lesson(store, catalog(), ALEX, "en"), actions.TrackFinished
    )


async def _stage(store: Store) -> Stage:
    subscriber = await store.ensure_subscriber(ALEX)
    return (await store.course(subscriber.id)).stage


async def test_meeting_the_end_on_demand_finishes_the_course_and_clears_the_note(
    store: Store,
) -> None:
    await _finished(store)
    overview = await schedule.course_overview(store, catalog(), ALEX)
    assert overview is not None and overview.standing is Standing.FINISHED
    assert overview.course.next_due is None and overview.place is None


async def test_the_review_starts_once_and_plans_a_weekly_lesson(store: Store) -> None:
    await _finished(store)
    started = await ending.start_review(store, catalog(), NOW, ALEX, Track.SELF)
    assert isinstance(started, schedule.Overview) and started.standing is Standing.REVIEW
    assert started.days == frozenset({0}) and started.course.next_due is not None
    assert started.course.next_due.weekday() == 0
    assert await ending.start_review(store, catalog(), NOW, ALEX, Track.SELF) is (
        Refusal.ALREADY_DONE
    )
    assert await ending.start_review(store, catalog(), NOW, ALEX, Track.PARTNER) is (
        Refusal.ALREADY_DONE
    )


async def test_the_review_needs_a_day_and_a_time_chosen_once(store: Store) -> None:
    await _finished(store, scheduled=False)
    assert await ending.start_review(store, catalog(), NOW, ALEX, Track.SELF) is (
        Refusal.LESSONS_OFF
    )
    assert await _stage(store) is Stage.FINISHED


async def test_rest_ends_the_review_and_nothing_is_due(store: Store) -> None:
    await _finished(store)
    await ending.start_review(store, catalog(), NOW, ALEX, Track.SELF)
    rested = await ending.rest(store, catalog(), ALEX, Track.SELF)
    assert isinstance(rested, ending.Rested) and rested.was_review
    assert rested.overview.standing is Standing.FINISHED
    assert rested.overview.course.next_due is None
    assert await ending.rest(store, catalog(), 9999, Track.SELF) is Refusal.NOT_STORED


async def test_resuming_a_finished_course_after_a_stop_plans_nothing(store: Store) -> None:
    await _finished(store)
    assert await schedule.stop_daily_lessons(store, ALEX) is None
    result = await schedule.resume_daily_lessons(store, catalog(), NOW, ALEX)
    assert isinstance(result, schedule.ResumedLessons)
    resumed = result.overview
    assert resumed.standing is Standing.FINISHED and resumed.course.next_due is None
