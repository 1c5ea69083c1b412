"""/daily: opting in by buttons, by typing, by location; the confirmation; changing it."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.standin import ChatDriver
from lessons.model import Track
from scheduler.model import EVERY_DAY, WEEKDAYS
from tests.e2e.conftest import Harness


async def _subscribe(person: ChatDriver, *taps: str) -> None:
    await person.send("/daily")
    for label in taps:
        await person.tap(label)


async def test_opting_in_with_buttons_stores_the_choices_and_says_when(
    harness: Harness, person: ChatDriver
) -> None:
    await _subscribe(person, "For me", "Every day", "20:00")
    [confirmation, questions] = await person.tap("Europe/Berlin")
    # The clock reads Monday 23 March 2026, 09:00 UTC, which is 10:00 in Berlin.
    assert "Monday 23 March, 20:00" in confirmation.text
    assert "Europe/Berlin" in confirmation.text
    assert questions.text.startswith("Three quick questions")  # asked once, at the opt-in
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.timezone == "Europe/Berlin"
    course = await store.course(subscriber.id)
    assert course.active and course.track is Track.SELF
    assert course.days == EVERY_DAY and course.local_time == time(20, 0)
    assert course.next_due == datetime(2026, 3, 23, 19, 0, tzinfo=UTC)


async def test_nothing_is_stored_until_the_flow_is_finished(
    harness: Harness, person: ChatDriver
) -> None:
    await _subscribe(person, "For me", "Weekdays", "07:30")
    assert await harness.services.store.find_subscriber(person.chat_id) is None


async def test_a_typed_time_and_zone_are_understood(harness: Harness, person: ChatDriver) -> None:
    await _subscribe(person, "For supporting my partner", "Weekdays")
    [error] = await person.send("25:99")
    assert "7:30" in error.text  # says what is expected
    await person.send("7:30")
    [unknown] = await person.send("Mars/Olympus")
    assert "Europe/Berlin" in unknown.text
    [note, confirmation, _questions] = await person.send("utc+2")
    assert "will not follow daylight saving" in note.text
    assert "UTC+02:00" in confirmation.text
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await harness.services.store.course(subscriber.id)
    assert course.track is Track.PARTNER and course.days == WEEKDAYS
    assert course.local_time == time(7, 30)


async def test_a_shared_location_finds_the_zone(harness: Harness, person: ChatDriver) -> None:
    await _subscribe(person, "For me", "Every day")
    await person.send("21:30")
    [confirmation, _questions] = await person.send_location(35.68, 139.69)
    assert "Asia/Tokyo" in confirmation.text
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.timezone == "Asia/Tokyo"


async def test_chosen_days_need_at_least_one(harness: Harness, person: ChatDriver) -> None:
    await _subscribe(person, "For me", "Choose the days")
    await person.tap("Done")
    assert person.last_callback_answer is not None
    assert "at least one day" in (person.last_callback_answer.text or "")
    await person.tap("Sat")
    [days] = await person.tap("Sun")
    assert "✓ Sat" in days.labels and "✓ Sun" in days.labels
    await person.tap("Sun")  # untick
    await person.tap("Done")
    await person.tap("12:30")
    [confirmation, _questions] = await person.tap("UTC")
    assert "Days: Sat" in confirmation.text and "Time: 12:30" in confirmation.text
    # Monday the 23rd: the first Saturday is the 28th.
    assert "Saturday 28 March, 12:30" in confirmation.text


async def test_daily_when_subscribed_shows_a_summary_and_can_stop(
    harness: Harness, person: ChatDriver
) -> None:
    await _subscribe(person, "For me", "Every day", "18:00", "UTC")
    [summary] = await person.send("/daily")
    assert "Every day" in summary.text and "18:00" in summary.text
    assert "Next: lesson 1 of 32, Monday 23 March, 18:00 (UTC)." in summary.text
    await person.tap("Stop daily lessons")
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await harness.services.store.course(subscriber.id)
    assert not course.active and course.next_due is None


async def test_keep_zone_is_offered_on_a_change(harness: Harness, person: ChatDriver) -> None:
    await _subscribe(person, "For me", "Every day", "18:00", "Asia/Tokyo")
    await person.send("/daily")
    await _subscribe(person, "Change", "For me", "Weekdays", "07:30")
    # The current zone is offered once, as "keep", not again among the others.
    assert person.last.labels.count("Asia/Tokyo") == 0
    [confirmation] = await person.tap("Keep Asia/Tokyo")
    assert "Asia/Tokyo" in confirmation.text


async def test_a_step_button_after_a_restart_says_the_choice_expired(
    harness: Harness, person: ChatDriver
) -> None:
    await _subscribe(person, "For me")
    harness.app.drop_chat_data(person.chat_id)  # what a restart does to the draft
    await person.tap("Every day")
    answer = person.last_callback_answer
    assert answer is not None and "/daily" in (answer.text or "")
