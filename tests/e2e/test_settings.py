"""/settings: every value shown, and each one changeable."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.standin import ChatDriver
from scheduler.model import QuietMode
from tests.e2e.conftest import Harness


async def _subscribe(person: ChatDriver) -> None:
    await person.send("/daily")
    for label in ("For me", "Every day", "20:00", "Europe/Berlin"):
        await person.tap(label)


async def test_settings_show_current_values(person: ChatDriver) -> None:
    await _subscribe(person)
    [page] = await person.send("/settings")
    assert page.labels == [
        "Course: For me",
        "Days: Every day",
        "Lesson time: 20:00",
        "Time zone: Europe/Berlin",
        "Discreet previews: on",
        "Quiet hours: 22:00-08:00, silent",
        "Language: English",
        "Pause lessons",
        "Course questions",
    ]
    # What is true, read from the stored schedule: Monday 20:00 in Berlin is still ahead.
    assert "lesson 1 of 32, Monday 23 March, 20:00 (Europe/Berlin)" in page.text
    assert "/reminders" in page.text


async def test_settings_before_subscribing_show_defaults(person: ChatDriver) -> None:
    [page] = await person.send("/settings")
    assert "Time zone: UTC" in page.labels
    assert "Pause lessons" not in page.labels
    assert "/daily" in page.text


async def test_toggles_change_and_redraw(harness: Harness, person: ChatDriver) -> None:
    await _subscribe(person)
    await person.send("/settings")
    [page] = await person.tap("Discreet previews: on")
    assert "Discreet previews: off" in page.labels
    await person.tap("Quiet hours")
    [quiet] = await person.tap("Hold until they end")
    assert "✓ Hold until they end" in quiet.labels
    [page] = await person.tap("Back")
    assert "Quiet hours: 22:00-08:00, held until after" in page.labels
    [page] = await person.tap("Pause lessons")
    assert "Resume lessons" in page.labels
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    assert not subscriber.discreet and subscriber.quiet_mode is QuietMode.WAIT
    course = await store.course(subscriber.id)
    assert course.paused and course.next_due is None
    await person.tap("Resume lessons")
    course = await store.course(subscriber.id)
    assert not course.paused and course.next_due is not None


async def test_changing_the_time_replans_the_next_lesson(
    harness: Harness, person: ChatDriver
) -> None:
    await _subscribe(person)
    await person.send("/settings")
    await person.tap("Lesson time: 20:00")
    # "Half past nine" is a time now; "after lunch" is not, and gets the examples.
    [bad] = await person.send("after lunch")
    assert "7:30" in bad.text and "half past seven" in bad.text
    [saved] = await person.send("21:15")
    assert "21:15" in saved.text and "Monday 23 March, 21:15" in saved.text
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await harness.services.store.course(subscriber.id)
    assert course.local_time == time(21, 15)
    assert course.next_due == datetime(2026, 3, 23, 20, 15, tzinfo=UTC)


async def test_changing_the_zone_replans_the_next_lesson(
    harness: Harness, person: ChatDriver
) -> None:
    await _subscribe(person)
    await person.send("/settings")
    await person.tap("Time zone: Europe/Berlin")
    [saved] = await person.tap("America/New_York")
    assert "America/New_York" in saved.text
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.timezone == "America/New_York"
    course = await harness.services.store.course(subscriber.id)
    # 20:00 in New York on 23 March (daylight time, UTC-4) is midnight UTC.
    assert course.next_due == datetime(2026, 3, 24, 0, 0, tzinfo=UTC)
