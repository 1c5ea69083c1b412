"""Quiet hours, end to end: set in /settings, applied to lessons and reminders alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.standin import ChatDriver
from lessons.model import Track
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders

# The harness clock starts on Monday 23 March 2026, 09:00 UTC (10:00 in Berlin, CET).
TUESDAY_0730 = datetime(2026, 3, 24, 6, 30, tzinfo=UTC)
TUESDAY_0800 = datetime(2026, 3, 24, 7, 0, tzinfo=UTC)


async def _tick_at(harness: Harness, instant: datetime) -> int:
    harness.clock.set(instant)
    return (await harness.tick()).sent


def _after(harness: Harness, person: ChatDriver, since: int) -> list[str]:
    return [m.text for m in harness.api.messages(person.chat_id) if m.message_id > since]


async def _quiet_mode(person: ChatDriver, label: str) -> str:
    await person.send("/settings")
    await person.tap("Quiet hours")
    [screen] = await person.tap(label)
    return screen.text


async def test_a_morning_lesson_inside_quiet_hours_is_held_until_they_end(
    harness: Harness, person: ChatDriver
) -> None:
    """The reported case: a 07:30 lesson inside 22:00-08:00 "wait until after"."""
    await choose_lessons(person, at="07:30", zone="Europe/Berlin")
    text = await _quiet_mode(person, "Hold until they end")
    assert "wait, and arrive at 08:00" in text
    assert "lesson 1 of 32, Tuesday 24 March, 08:00 (Europe/Berlin)" in text
    assert "planned for 07:30" in text
    before = person.last.message_id
    assert await _tick_at(harness, TUESDAY_0730) == 0
    assert await _tick_at(harness, TUESDAY_0800 - timedelta(minutes=1)) == 0
    assert _after(harness, person, before) == []
    assert await _tick_at(harness, TUESDAY_0800) == 1
    lesson = person.last
    day_one = harness.catalog.lesson_for_day(Track.SELF, 1)
    assert day_one is not None and day_one.title in lesson.text
    assert not lesson.disable_notification
    # Wednesday's lesson is Wednesday's own: held the same way, never lost to Tuesday's.
    before = lesson.message_id
    assert await _tick_at(harness, TUESDAY_0730 + timedelta(days=1)) == 0
    assert await _tick_at(harness, TUESDAY_0800 + timedelta(days=1)) == 1
    day_two = harness.catalog.lesson_for_day(Track.SELF, 2)
    assert day_two is not None and day_two.title in person.last.text
    assert len(_after(harness, person, before)) == 1


async def test_a_held_reminder_arrives_when_quiet_hours_end(
    harness: Harness, person: ChatDriver
) -> None:
    walk = harness.catalog.routines[0].name
    await choose_reminders(person, "07:30", walk, zone="UTC")
    text = await _quiet_mode(person, "Hold until they end")
    assert "Next reminder: Tuesday 24 March, 08:00 (UTC)" in text
    before = person.last.message_id
    assert await _tick_at(harness, datetime(2026, 3, 24, 7, 30, tzinfo=UTC)) == 0
    assert await _tick_at(harness, datetime(2026, 3, 24, 8, 0, tzinfo=UTC)) == 1
    [nudge] = _after(harness, person, before)
    assert harness.catalog.routines[0].reminder.split(".")[0] in nudge


async def test_silent_quiet_hours_send_the_lesson_at_its_time_without_sound(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="07:30", zone="Europe/Berlin")
    [page] = await person.send("/settings")
    assert "lesson 1 of 32, Tuesday 24 March, 07:30 (Europe/Berlin) (silently" in page.text
    assert await _tick_at(harness, TUESDAY_0730) == 1
    assert person.last.disable_notification


async def test_with_quiet_hours_off_the_lesson_arrives_with_sound(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="07:30", zone="Europe/Berlin")
    text = await _quiet_mode(person, "No quiet hours")
    assert "Quiet hours are off" in text
    assert "lesson 1 of 32, Tuesday 24 March, 07:30 (Europe/Berlin)" in text
    assert "silently" not in text and "held" not in text
    assert await _tick_at(harness, TUESDAY_0730) == 1
    assert not person.last.disable_notification
    [page] = await person.send("/settings")
    assert "Quiet hours: off" in page.labels


async def test_switching_quiet_hours_off_lets_a_held_lesson_go_at_once(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="07:30", zone="Europe/Berlin")
    await _quiet_mode(person, "Hold until they end")
    assert await _tick_at(harness, TUESDAY_0730) == 0
    harness.clock.set(TUESDAY_0730 + timedelta(minutes=5))
    await person.send("/settings")
    await person.tap("Quiet hours")
    await person.tap("No quiet hours")
    assert await _tick_at(harness, TUESDAY_0730 + timedelta(minutes=6)) == 1
    assert await _tick_at(harness, TUESDAY_0800) == 0


async def test_the_span_changes_by_button_or_typed_and_never_to_nothing(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="07:30", zone="Europe/Berlin")
    await person.send("/settings")
    [screen] = await person.tap("Quiet hours")
    [ask] = await person.tap("From 22:00")
    assert ask.message_id == screen.message_id and "begin" in ask.text
    [screen] = await person.tap("23:00")
    assert "From 23:00 to 08:00" in screen.text and "Saved." in screen.text
    await person.tap("Until 08:00")
    [screen] = await person.send("7")
    assert "From 23:00 to 07:00" in screen.text
    # The lesson at 07:30 is now outside quiet hours: the page says so.
    assert "lesson 1 of 32, Tuesday 24 March, 07:30 (Europe/Berlin)" in screen.text
    assert "silently" not in screen.text
    await person.tap("Until 07:00")
    said, screen = await person.send("23:00")
    assert "different" in said.text and "From 23:00 to 07:00" in screen.text
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.quiet_end.hour == 7


async def test_back_and_cancel_on_a_quiet_hours_time(person: ChatDriver) -> None:
    await choose_lessons(person)
    await person.send("/settings")
    await person.tap("Quiet hours")
    await person.tap("From 22:00")
    [back] = await person.tap("Back")
    assert back.text.splitlines()[0] == "Quiet hours"
    assert "Hold until they end" in back.labels
    await person.tap("Until 08:00")
    [cancelled] = await person.tap("Cancel")
    assert "Nothing was changed." in cancelled.text and "Lesson time: 20:00" in cancelled.labels
    # Nothing is waiting for a typed time any more: a time typed now is not taken.
    await person.send("06:00")
    [page] = await person.send("/settings")
    assert "Quiet hours: 22:00-08:00, silent" in page.labels


async def test_the_reminders_summary_says_when_a_held_reminder_arrives(
    harness: Harness, person: ChatDriver
) -> None:
    walk = harness.catalog.routines[0].name
    await choose_reminders(person, "07:30", walk, zone="UTC")
    await _quiet_mode(person, "Hold until they end")
    [summary] = await person.send("/reminders")
    assert "Next nudge: Tuesday 24 March, 08:00." in summary.text
