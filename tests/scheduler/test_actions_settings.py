"""/settings: each change names the value it sets, and needs someone stored."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from lessons.model import Track
from scheduler.actions import Refusal
from scheduler.actions import quiet as quiet_actions
from scheduler.actions import settings as actions
from scheduler.actions.settings import SettingsView
from scheduler.model import QuietMode
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, nobody_stored, opted_in


async def test_the_page_for_someone_not_stored_shows_defaults_and_stores_nothing(
    store: Store,
) -> None:
    view = await actions.settings_view(store, ALEX)
    assert not view.stored and view.subscriber.timezone == "UTC" and not view.course.active
    assert await nobody_stored(store)


async def test_no_change_stores_someone_not_stored(store: Store) -> None:
    changes = [
        actions.set_discreet(store, ALEX, on=False),
        quiet_actions.set_quiet_mode(store, NOW, ALEX, QuietMode.WAIT),
        quiet_actions.set_quiet_span(store, NOW, ALEX, start=time(23, 0)),
        actions.set_days(store, NOW, ALEX, frozenset({0})),
        actions.set_track(store, NOW, ALEX, Track.PARTNER),
        actions.set_reminders_paused(store, NOW, ALEX, paused=True),
        actions.pause_lessons(store, NOW, ALEX, paused=True),
        actions.set_lesson_time(store, NOW, ALEX, time(7, 30)),
        actions.set_zone(store, NOW, ALEX, "Asia/Tokyo"),
    ]
    for change in changes:
        assert await change is Refusal.NOT_STORED
    assert await nobody_stored(store)


@pytest.mark.parametrize("times", [1, 2])
async def test_toggles_set_their_value_however_often_tapped(store: Store, times: int) -> None:
    await opted_in(store)
    for _ in range(times):
        discreet = await actions.set_discreet(store, ALEX, on=False)
        quiet = await quiet_actions.set_quiet_mode(store, NOW, ALEX, QuietMode.WAIT)
        paused = await actions.pause_lessons(store, NOW, ALEX, paused=True)
    assert isinstance(discreet, SettingsView) and not discreet.subscriber.discreet
    assert isinstance(quiet, SettingsView) and quiet.subscriber.quiet_mode is QuietMode.WAIT
    assert isinstance(paused, SettingsView) and not paused.lessons_on
    assert paused.course.next_due is None
    stored = await store.find_subscriber(ALEX)
    assert stored is not None and not stored.discreet and stored.quiet_mode is QuietMode.WAIT


async def test_pausing_needs_lessons_on(store: Store) -> None:
    await store.ensure_subscriber(ALEX)
    assert await actions.pause_lessons(store, NOW, ALEX, paused=True) is Refusal.LESSONS_OFF


async def test_time_and_zone_replan_the_next_lesson(store: Store) -> None:
    await opted_in(store, zone="Europe/Berlin")

    timed = await actions.set_lesson_time(store, NOW, ALEX, time(21, 15))
    zoned = await actions.set_zone(store, NOW, ALEX, "America/New_York")

    assert isinstance(timed, SettingsView)
    assert timed.course.next_due == datetime(2026, 3, 23, 20, 15, tzinfo=UTC)
    assert isinstance(zoned, SettingsView) and zoned.subscriber.timezone == "America/New_York"
    # 21:15 in New York (daylight time, UTC-4) is 01:15 UTC the next day.
    assert zoned.course.next_due == datetime(2026, 3, 24, 1, 15, tzinfo=UTC)


async def test_days_and_course_change_in_one_step_and_replan(store: Store) -> None:
    await opted_in(store, zone="UTC")
    # Monday 09:00: only Thursdays now, so the next lesson is Thursday 20:00.
    days = await actions.set_days(store, NOW, ALEX, frozenset({3}))
    assert isinstance(days, SettingsView) and days.course.days == frozenset({3})
    assert days.next_lesson is not None
    assert days.next_lesson.arrives == datetime(2026, 3, 26, 20, 0, tzinfo=UTC)
    assert await actions.set_days(store, NOW, ALEX, frozenset()) is Refusal.NO_DAYS
    assert await store.move_course_on(days.subscriber.id, 1, "any-lesson")
    switched = await actions.set_track(store, NOW, ALEX, Track.PARTNER)
    assert isinstance(switched, SettingsView)
    assert (switched.course.track, switched.course.position) == (Track.PARTNER, 1)
    again = await actions.set_track(store, NOW, ALEX, Track.PARTNER)
    assert isinstance(again, SettingsView) and again.course == switched.course


async def test_days_and_course_need_the_lessons_set_up(store: Store) -> None:
    await store.ensure_subscriber(ALEX)
    assert await actions.set_days(store, NOW, ALEX, frozenset({1})) is Refusal.LESSONS_OFF
    assert await actions.set_track(store, NOW, ALEX, Track.SELF) is Refusal.LESSONS_OFF
    paused = await actions.set_reminders_paused(store, NOW, ALEX, paused=True)
    assert paused is Refusal.REMINDERS_OFF


async def test_the_next_lesson_says_when_quiet_hours_hold_it(store: Store) -> None:
    await opted_in(store, at=time(7, 30), zone="Europe/Berlin")
    view = await quiet_actions.set_quiet_mode(store, NOW, ALEX, QuietMode.WAIT)
    assert isinstance(view, SettingsView) and view.next_lesson is not None
    # Tuesday 07:30 in Berlin is inside 22:00-08:00: it arrives at 08:00 (07:00 UTC).
    assert view.next_lesson.planned == datetime(2026, 3, 24, 6, 30, tzinfo=UTC)
    assert view.next_lesson.arrives == datetime(2026, 3, 24, 7, 0, tzinfo=UTC)
    assert view.next_lesson.held and not view.next_lesson.silent
    silent = await quiet_actions.set_quiet_mode(store, NOW, ALEX, QuietMode.SILENT)
    assert isinstance(silent, SettingsView) and silent.next_lesson is not None
    assert silent.next_lesson.silent and not silent.next_lesson.held
    moved = await quiet_actions.set_quiet_span(store, NOW, ALEX, end=time(7, 0))
    assert isinstance(moved, SettingsView) and moved.next_lesson is not None
    assert not moved.next_lesson.silent and moved.subscriber.quiet_end == time(7, 0)
    empty = await quiet_actions.set_quiet_span(store, NOW, ALEX, start=time(7, 0))
    assert empty is Refusal.QUIET_SPAN_EMPTY
