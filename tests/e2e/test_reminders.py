"""/reminders: choosing routines, days and a time; pausing and stopping."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.standin import ChatDriver
from scheduler.model import WEEKDAYS
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders


async def test_choosing_reminders_stores_them_in_catalog_order(
    harness: Harness, person: ChatDriver
) -> None:
    [ask] = await person.send("/reminders")
    names = [routine.name for routine in harness.catalog.routines]
    assert ask.labels == [*names, "Next", "Cancel"]
    await person.tap("Next")
    assert "at least one" in (person.last_callback_answer.text or "")  # type: ignore[union-attr]
    await person.tap(names[3])
    [ticked] = await person.tap(names[0])
    assert f"✓ {names[0]}" in ticked.labels and f"✓ {names[3]}" in ticked.labels
    await person.tap("Next")
    await person.tap("Weekdays")
    await person.send("18:30")
    await person.tap("Europe/London")
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    reminders = await harness.services.store.reminders(subscriber.id)
    ids = [routine.id for routine in harness.catalog.routines]
    assert reminders.active and reminders.routines == (ids[0], ids[3])
    assert reminders.days == WEEKDAYS and reminders.local_time == time(18, 30)
    assert reminders.next_due is not None
    summary = person.last
    assert names[0] in summary.text and "18:30" in summary.text


async def test_reminders_pause_resume_and_stop(harness: Harness, person: ChatDriver) -> None:
    await person.send("/reminders")
    name = harness.catalog.routines[0].name
    for label in (name, "Next", "Every day", "12:30", "UTC"):
        await person.tap(label)
    [summary] = await person.send("/reminders")
    assert "Next nudge" in summary.text
    [paused] = await person.tap("Pause reminders")
    assert "paused" in paused.text and "Resume reminders" in paused.labels
    await person.tap("Resume reminders")
    [stopped] = await person.tap("Stop reminders")
    assert "off" in stopped.text
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    reminders = await harness.services.store.reminders(subscriber.id)
    assert not reminders.active and reminders.next_due is None


async def test_a_zone_chosen_for_reminders_moves_the_lessons_too(
    harness: Harness, person: ChatDriver
) -> None:
    """The person has one zone: lessons planned in Berlin follow it to London."""
    await choose_lessons(person, "20:00", "Europe/Berlin")
    routine = harness.catalog.routines[0].name
    await choose_reminders(person, "18:30", routine, zone="Europe/London")
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.timezone == "Europe/London"
    course = await store.course(subscriber.id)
    # 20:00 in London on Monday 23 March 2026 (still GMT), not 20:00 in Berlin (19:00 UTC).
    assert course.next_due == datetime(2026, 3, 23, 20, 0, tzinfo=UTC)
