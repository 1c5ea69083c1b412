"""Reminders: choosing, pausing, stopping, and the buttons under a reminder."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from scheduler.actions import Refusal, privacy, schedule
from scheduler.actions import reminders as actions
from scheduler.model import EVERY_DAY
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, catalog, nobody_stored, opted_in


async def chosen(store: Store, *routines: str) -> actions.ReminderSchedule:
    return await actions.choose_reminders(
        store, catalog(), NOW, ALEX, routines, EVERY_DAY, time(18, 0), "UTC", "en"
    )


def routine_ids() -> list[str]:
    return [routine.id for routine in catalog().routines]


async def test_choosing_stores_the_person_in_catalog_order(store: Store) -> None:
    first, second = routine_ids()[:2]

    result = await chosen(store, second, first)

    assert result.reminders.routines == (first, second)
    assert result.reminders.active and result.reminders.next_due is not None
    assert await actions.reminder_schedule(store, ALEX) == result


async def test_choosing_moves_the_lessons_to_the_same_zone(store: Store) -> None:
    lessons = await opted_in(store, zone="UTC")
    await actions.choose_reminders(
        store, catalog(), NOW, ALEX, routine_ids()[:1], EVERY_DAY, time(18, 0), "Asia/Tokyo", "en"
    )
    course = await store.course(lessons.subscriber.id)
    assert course.next_due != lessons.course.next_due


async def test_pausing_twice_pauses_once_and_resuming_plans_again(store: Store) -> None:
    await chosen(store, routine_ids()[0])

    paused = await actions.pause_reminders(store, NOW, ALEX, paused=True)
    again = await actions.pause_reminders(store, NOW, ALEX, paused=True)
    resumed = await actions.pause_reminders(store, NOW, ALEX, paused=False)

    assert isinstance(paused, actions.ReminderSchedule) and paused.reminders.next_due is None
    assert again == paused
    assert isinstance(resumed, actions.ReminderSchedule) and resumed.reminders.next_due is not None


async def test_stopping_and_pausing_need_reminders_and_a_person(store: Store) -> None:
    assert await actions.pause_reminders(store, NOW, ALEX, paused=True) is Refusal.NOT_STORED
    assert await actions.stop_reminders(store, NOW, ALEX) is Refusal.NOT_STORED
    assert await actions.reminder_done(store, ALEX) is Refusal.NOT_STORED
    assert await nobody_stored(store)
    await opted_in(store)
    assert await actions.pause_reminders(store, NOW, ALEX, paused=True) is Refusal.REMINDERS_OFF

    await chosen(store, routine_ids()[0])
    assert await actions.stop_reminders(store, NOW, ALEX) is None
    assert await actions.reminder_schedule(store, ALEX) is None
    assert await actions.stop_reminders(store, NOW, ALEX) is Refusal.REMINDERS_OFF
    assert await actions.reminder_done(store, ALEX) is None


async def test_later_snoozes_an_hour_once(store: Store) -> None:
    routine = routine_ids()[0]
    await chosen(store, routine)

    first = await actions.snooze(store, catalog(), NOW, ALEX, routine)
    second = await actions.snooze(store, catalog(), NOW, ALEX, routine)

    assert first == actions.Snoozed(routine, NOW + timedelta(hours=1))
    assert second is Refusal.ALREADY_SNOOZED
    subscriber = await store.find_subscriber(ALEX)
    assert subscriber is not None
    stored = await store.reminders(subscriber.id)
    assert (stored.snooze_due, stored.snoozed_routine) == (NOW + actions.SNOOZE, routine)


async def test_later_for_nobody_or_an_unknown_routine_stores_nothing(store: Store) -> None:
    assert await actions.snooze(store, catalog(), NOW, ALEX, routine_ids()[0]) is (
        Refusal.NOT_STORED
    )
    assert await nobody_stored(store)
    await chosen(store, routine_ids()[0])
    assert await actions.snooze(store, catalog(), NOW, ALEX, "no-such-routine") is (
        Refusal.UNKNOWN_ITEM
    )


async def test_after_a_stop_the_choices_are_kept_and_resume_as_they_were(store: Store) -> None:
    first, second = routine_ids()[:2]
    before = await chosen(store, first, second)
    await store.save_reminders(replace(before.reminders, rotation=1))

    stopped = await privacy.stop_everything(store, ALEX)

    assert stopped == privacy.Stopped(reminders_kept=True)
    assert await actions.reminder_schedule(store, ALEX) is None
    kept = await actions.reminders_overview(store, ALEX)
    assert kept is not None and kept.reminders.stopped and kept.reminders.next_due is None
    later = NOW + timedelta(days=2)
    resumed = await actions.resume_reminders(store, catalog(), later, ALEX)
    assert isinstance(resumed, actions.Resumed) and not resumed.lessons_stopped
    back = resumed.schedule.reminders
    assert (back.routines, back.days, back.local_time, back.rotation) == (
        (first, second),
        EVERY_DAY,
        time(18, 0),
        1,
    )
    assert back.active and not back.paused and back.next_due is not None
    assert back.next_due > later
    assert await actions.resume_reminders(store, catalog(), later, ALEX) is Refusal.ALREADY_DONE


async def test_resuming_needs_a_person_and_reminders_kept(store: Store) -> None:
    assert await actions.resume_reminders(store, catalog(), NOW, ALEX) is Refusal.NOT_STORED
    assert await nobody_stored(store)
    await opted_in(store)
    await privacy.stop_everything(store, ALEX)
    assert await actions.reminders_overview(store, ALEX) is None
    assert await actions.resume_reminders(store, catalog(), NOW, ALEX) is Refusal.REMINDERS_OFF


async def test_resuming_reminders_leaves_stopped_lessons_off_and_the_other_way(
    store: Store,
) -> None:
    lessons = await opted_in(store)
    await chosen(store, routine_ids()[0])
    await privacy.stop_everything(store, ALEX)

    resumed = await actions.resume_reminders(store, catalog(), NOW, ALEX)
    assert isinstance(resumed, actions.Resumed) and resumed.lessons_stopped
    assert not (await store.course(lessons.subscriber.id)).active

    await privacy.stop_everything(store, ALEX)
    again = await schedule.resume_daily_lessons(store, catalog(), NOW, ALEX)
    assert isinstance(again, schedule.ResumedLessons) and again.reminders_stopped
    assert not (await store.reminders(lessons.subscriber.id)).active


async def test_stopping_drops_a_pending_later(store: Store) -> None:
    routine = routine_ids()[0]
    await chosen(store, routine)
    await actions.snooze(store, catalog(), NOW, ALEX, routine)
    assert await actions.stop_reminders(store, NOW, ALEX) is None
    subscriber = await store.find_subscriber(ALEX)
    assert subscriber is not None
    stored = await store.reminders(subscriber.id)
    assert (stored.snooze_due, stored.snoozed_routine) == (None, None)
    assert stored.stopped and stored.routines == (routine,)
