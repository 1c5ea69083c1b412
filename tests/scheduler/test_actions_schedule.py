"""Opting in to daily lessons, changing them and stopping them; blocking and coming back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

from lessons import Track
from scheduler.actions import Refusal, presence, schedule
from scheduler.model import WEEKDAYS
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, nobody_stored, opted_in


async def test_opting_in_stores_the_person_and_plans_the_first_lesson(store: Store) -> None:
    chosen = await opted_in(store, at=time(20, 0), zone="Europe/Berlin")

    assert chosen.subscriber.timezone == "Europe/Berlin"
    assert chosen.course.active and not chosen.course.paused
    # 20:00 in Berlin on 23 March (winter time, UTC+1).
    assert chosen.course.next_due == datetime(2026, 3, 23, 19, 0, tzinfo=UTC)
    current = await schedule.daily_lessons(store, ALEX)
    assert current is not None
    assert (current.subscriber, current.course) == (chosen.subscriber, chosen.course)
    # The course questions are offered at the first opt-in only.
    assert chosen.ask_questions and not (await opted_in(store)).ask_questions


async def test_switching_track_starts_it_at_day_one_and_keeping_it_keeps_progress(
    store: Store,
) -> None:
    chosen = await opted_in(store)
    await store.save_course(replace(chosen.course, position=5))

    kept = await schedule.choose_daily_lessons(
        store, NOW, ALEX, schedule.Choices(Track.SELF, WEEKDAYS, time(7, 30), "UTC"), "en"
    )
    switched = await schedule.choose_daily_lessons(
        store, NOW, ALEX, schedule.Choices(Track.PARTNER, WEEKDAYS, time(7, 30), "UTC"), "en"
    )

    assert (kept.course.track, kept.course.position, kept.course.days) == (Track.SELF, 5, WEEKDAYS)
    assert (switched.course.track, switched.course.position) == (Track.PARTNER, 1)


async def test_opting_in_brings_back_someone_marked_as_blocked(store: Store) -> None:
    await opted_in(store)
    assert await presence.went_away(store, ALEX)

    chosen = await opted_in(store)

    assert not chosen.subscriber.blocked and chosen.course.next_due is not None
    stored = await store.find_subscriber(ALEX)
    assert stored is not None and not stored.blocked


async def test_stopping_keeps_progress_and_refuses_for_nobody(store: Store) -> None:
    assert await schedule.stop_daily_lessons(store, ALEX) is Refusal.NOT_STORED
    assert await nobody_stored(store)
    chosen = await opted_in(store)
    await store.save_course(replace(chosen.course, position=4))

    assert await schedule.stop_daily_lessons(store, ALEX) is None

    assert await schedule.daily_lessons(store, ALEX) is None
    course = await store.course(chosen.subscriber.id)
    assert (course.active, course.next_due, course.position) == (False, None, 4)


async def test_the_stored_zone_is_read_without_storing_anyone(store: Store) -> None:
    assert await schedule.stored_zone(store, ALEX) is None
    assert await nobody_stored(store)
    await opted_in(store, zone="Asia/Tokyo")
    assert await schedule.stored_zone(store, ALEX) == "Asia/Tokyo"


async def test_blocking_and_coming_back_touch_only_people_stored(store: Store) -> None:
    assert not await presence.went_away(store, ALEX)
    assert not await presence.come_back(store, NOW, ALEX)
    assert await nobody_stored(store)

    chosen = await opted_in(store)
    assert await presence.went_away(store, ALEX)
    assert not await presence.went_away(store, ALEX)  # told twice: changed once
    assert (await store.course(chosen.subscriber.id)).next_due is None

    assert await presence.come_back(store, NOW, ALEX)
    assert not await presence.come_back(store, NOW, ALEX)
    assert (await store.course(chosen.subscriber.id)).next_due == chosen.course.next_due
