"""/settings: each change names the value it sets, and needs someone stored."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from scheduler.actions import Refusal
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
        actions.set_quiet_mode(store, ALEX, QuietMode.WAIT),
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
        quiet = await actions.set_quiet_mode(store, ALEX, QuietMode.WAIT)
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
