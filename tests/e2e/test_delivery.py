"""Daily lessons and reminders arriving on a moving clock, through the real Application."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.standin import ChatDriver
from lessons.model import Track
from lessons.planner import course_lessons
from scheduler.delivery import TickReport
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders

# The harness clock starts on Monday 23 March 2026, 09:00 UTC (10:00 in Berlin).
BERLIN_20H = datetime(2026, 3, 23, 19, 0, tzinfo=UTC)


async def _tick_at(harness: Harness, instant: datetime) -> TickReport:
    harness.clock.set(instant)
    return await harness.tick()


def _scheduled(harness: Harness, person: ChatDriver, since: int) -> list[str]:
    return [m.text for m in harness.api.messages(person.chat_id) if m.message_id > since]


async def test_the_lesson_arrives_at_the_chosen_minute_and_only_once(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    before = person.last.message_id
    assert (await _tick_at(harness, BERLIN_20H - timedelta(minutes=1))).sent == 0
    assert _scheduled(harness, person, before) == []
    assert (await _tick_at(harness, BERLIN_20H)).sent == 1
    [lesson] = _scheduled(harness, person, before)
    day_one = harness.catalog.lesson_for_day(Track.SELF, 1)
    assert day_one is not None and day_one.title in lesson
    # Discreet by default: the first line says nothing about the subject.
    assert lesson.splitlines()[0] == harness.catalog.text("delivery.lesson.header")
    assert (await _tick_at(harness, BERLIN_20H + timedelta(minutes=1))).sent == 0
    assert len(_scheduled(harness, person, before)) == 1


async def test_the_next_day_brings_the_next_lesson(harness: Harness, person: ChatDriver) -> None:
    await choose_lessons(person)
    await _tick_at(harness, BERLIN_20H)
    before = person.last.message_id
    await _tick_at(harness, BERLIN_20H + timedelta(days=1))
    [lesson] = _scheduled(harness, person, before)
    day_two = harness.catalog.lesson_for_day(Track.SELF, 2)
    assert day_two is not None and day_two.title in lesson


async def test_a_restart_mid_day_sends_no_duplicate(harness: Harness, person: ChatDriver) -> None:
    await choose_lessons(person)
    await _tick_at(harness, BERLIN_20H)
    restarted = await harness.restart()
    try:
        report = await _tick_at(restarted, BERLIN_20H + timedelta(minutes=30))
    finally:
        await restarted.app.shutdown()
    assert report.sent == 0


async def test_changing_the_time_after_todays_lesson_waits_for_tomorrow(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    await _tick_at(harness, BERLIN_20H)
    await person.send("/settings")
    await person.tap("Lesson time: 20:00")
    [saved] = await person.send("21:00")
    assert "Tuesday 24 March, 21:00" in saved.text
    assert (await _tick_at(harness, BERLIN_20H + timedelta(hours=1))).sent == 0


async def test_a_429_waits_and_retries(harness: Harness, person: ChatDriver) -> None:
    await choose_lessons(person)
    harness.api.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 3", retry_after=3
    )
    report = await _tick_at(harness, BERLIN_20H)
    assert report.sent == 1
    assert harness.slept == [3.0]


async def test_a_403_pauses_the_subscriber_and_stops_retrying(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    harness.api.block(person.chat_id)
    report = await _tick_at(harness, BERLIN_20H)
    assert report.blocked == 1
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.blocked
    assert (await store.course(subscriber.id)).next_due is None
    assert (await _tick_at(harness, BERLIN_20H + timedelta(days=1))).handled == 0


async def test_coming_back_after_blocking_resumes_the_schedule(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    # Blocked before the bot heard of it: the 403 is what pauses them.
    harness.api.block(person.chat_id)
    await _tick_at(harness, BERLIN_20H)
    store = harness.services.store
    await person.unblock()
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None and not subscriber.blocked
    # Today's lesson met the block and is not sent again; tomorrow's is planned.
    course = await store.course(subscriber.id)
    assert course.next_due == BERLIN_20H + timedelta(days=1)
    before = person.last.message_id
    assert (await _tick_at(harness, BERLIN_20H + timedelta(days=1))).sent == 1
    assert len(_scheduled(harness, person, before)) == 1


async def test_network_errors_leave_the_item_due_for_the_next_tick(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    harness.api.network_error_next("sendMessage", times=4)
    report = await _tick_at(harness, BERLIN_20H)
    assert report.retried == 1 and report.sent == 0
    assert (await _tick_at(harness, BERLIN_20H + timedelta(seconds=30))).sent == 1


async def test_downtime_within_the_grace_still_delivers(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    report = await _tick_at(harness, BERLIN_20H + timedelta(hours=2, minutes=59))
    assert report.sent == 1


async def test_downtime_beyond_the_grace_skips_without_advancing(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    before = person.last.message_id
    report = await _tick_at(harness, BERLIN_20H + timedelta(hours=3, minutes=1))
    assert report.skipped == 1 and _scheduled(harness, person, before) == []
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await harness.services.store.course(subscriber.id)
    assert course.position == 1
    assert course.next_due == BERLIN_20H + timedelta(days=1)


async def test_the_end_of_the_course_is_announced_with_choices(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    last_day = len(course_lessons(harness.catalog, Track.SELF))
    await store.save_course(replace(await store.course(subscriber.id), position=last_day + 1))
    await _tick_at(harness, BERLIN_20H)
    complete = person.last
    assert "complete" in complete.text.lower() or "finished" in complete.text.lower()
    assert len(complete.labels) == 3  # the other track, a weekly review, rest
    assert (await store.course(subscriber.id)).next_due is None
    [review] = await person.tap(complete.labels[1])  # a lesson a week to look back on
    assert "Every Monday at 20:00 (Europe/Berlin)" in review.text
    assert (await store.course(subscriber.id)).next_due is not None


async def test_a_skipped_spring_forward_time_arrives_at_the_next_valid_minute(
    harness: Harness, person: ChatDriver
) -> None:
    # Berlin skips 02:00-03:00 on Sunday 29 March 2026.
    await choose_lessons(person, at="7:30")
    await person.send("/settings")
    await person.tap("Lesson time: 07:30")
    await person.send("2:30")
    harness.clock.set(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    await harness.tick()
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await harness.services.store.course(subscriber.id)
    assert course.next_due == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST


async def test_reminders_rotate_and_can_be_done_or_snoozed_once(
    harness: Harness, person: ChatDriver
) -> None:
    walk, shower = (r.name for r in harness.catalog.routines[:2])
    await choose_reminders(person, "18:00", walk, shower)
    first_due = datetime(2026, 3, 23, 18, 0, tzinfo=UTC)
    await _tick_at(harness, first_due)
    nudge = person.last
    assert harness.catalog.routines[0].reminder.split(".")[0] in nudge.text
    assert nudge.labels == ["Done", "Later"]
    [snoozed] = await person.tap("Later")
    assert "Later" not in snoozed.labels
    await _tick_at(harness, first_due + timedelta(minutes=59))
    assert person.last.message_id == nudge.message_id
    await _tick_at(harness, first_due + timedelta(hours=1))
    again = person.last
    assert again.message_id != nudge.message_id and again.labels == ["Done"]
    await person.tap("Done")
    await _tick_at(harness, first_due + timedelta(days=1))
    assert harness.catalog.routines[1].reminder.split(".")[0] in person.last.text


async def test_reminders_in_quiet_hours_arrive_silently_or_wait(
    harness: Harness, person: ChatDriver
) -> None:
    walk = harness.catalog.routines[0].name
    await choose_reminders(person, "23:00", walk)
    await _tick_at(harness, datetime(2026, 3, 23, 23, 0, tzinfo=UTC))
    assert person.last.disable_notification
    await person.send("/settings")
    await person.tap("Quiet hours")
    await person.tap("Hold until they end")
    before = person.last.message_id
    await _tick_at(harness, datetime(2026, 3, 24, 23, 0, tzinfo=UTC))
    assert _scheduled(harness, person, before) == []
    await _tick_at(harness, datetime(2026, 3, 25, 8, 0, tzinfo=UTC))
    assert person.last.message_id > before and not person.last.disable_notification


async def test_without_discreet_mode_the_lesson_title_comes_first(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    await person.send("/settings")
    await person.tap("Discreet previews: on")
    await _tick_at(harness, BERLIN_20H)
    day_one = harness.catalog.lesson_for_day(Track.SELF, 1)
    assert day_one is not None
    assert person.last.text.splitlines()[0] == day_one.title
    assert person.last.labels[0] == "Next lesson"


async def test_a_lesson_and_a_reminder_in_one_minute_are_a_second_apart(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="20:00", zone="UTC")
    await choose_reminders(person, "20:00", harness.catalog.routines[0].name)
    before = person.last.message_id
    report = await _tick_at(harness, datetime(2026, 3, 23, 20, 0, tzinfo=UTC))
    assert report.sent == 2 and len(_scheduled(harness, person, before)) == 2
    # The tests' sender never really sleeps; it records the wait it was asked for.
    [wait] = harness.slept
    assert wait == 1.0
