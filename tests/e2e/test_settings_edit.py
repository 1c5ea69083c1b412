"""/settings edits in place: each part changes in one short step on the same message, the
short screens have Back and Cancel, and the page then says what is true."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.standin import ChatDriver
from lessons.model import Track
from scheduler.model import EVERY_DAY, Course
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders

# The harness clock starts on Monday 23 March 2026, 09:00 UTC (10:00 in Berlin).


async def _page(person: ChatDriver) -> int:
    await choose_lessons(person, at="20:00", zone="Europe/Berlin")
    [page] = await person.send("/settings")
    return page.message_id


async def _course(harness: Harness, person: ChatDriver) -> Course:
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return await harness.services.store.course(subscriber.id)


async def test_days_change_in_place_and_the_page_says_the_next_lesson(
    harness: Harness, person: ChatDriver
) -> None:
    page_id = await _page(person)
    [days] = await person.tap("Days: Every day")
    assert days.message_id == page_id and "✓ Mon" in days.labels
    for day in ("Mon", "Tue", "Wed", "Fri", "Sat", "Sun"):
        [days] = await person.tap(day)
    assert days.labels[:7] == ["Mon", "Tue", "Wed", "✓ Thu", "Fri", "Sat", "Sun"]
    assert (await _course(harness, person)).days == EVERY_DAY  # nothing stored before Save
    [page] = await person.tap("Save these days")
    assert page.message_id == page_id
    assert "Saved: lessons on Thu." in page.text
    assert "lesson 1 of 32, Thursday 26 March, 20:00 (Europe/Berlin)" in page.text
    assert "Days: Thu" in page.labels
    assert (await _course(harness, person)).next_due == datetime(2026, 3, 26, 19, 0, tzinfo=UTC)


async def test_no_days_is_refused_with_a_word(person: ChatDriver) -> None:
    await _page(person)
    await person.tap("Days: Every day")
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        await person.tap(day)
    await person.tap("Save these days")
    answer = person.last_callback_answer
    assert answer is not None and answer.show_alert and "at least one day" in (answer.text or "")


async def test_the_course_changes_in_place(harness: Harness, person: ChatDriver) -> None:
    page_id = await _page(person)
    [ask] = await person.tap("Course: For me")
    assert ask.message_id == page_id and "✓ For me" in ask.labels
    [page] = await person.tap("For supporting my partner")
    assert page.message_id == page_id
    assert "Saved: your course is now For supporting my partner." in page.text
    assert "Course: For supporting my partner" in page.labels
    assert "lesson 1 of 31, Monday 23 March, 20:00 (Europe/Berlin)" in page.text
    course = await _course(harness, person)
    assert (course.track, course.position) == (Track.PARTNER, 1)


async def test_the_time_changes_in_place_by_a_tap(harness: Harness, person: ChatDriver) -> None:
    page_id = await _page(person)
    [ask] = await person.tap("Lesson time: 20:00")
    assert ask.message_id == page_id and "Back" in " ".join(ask.labels)
    [page] = await person.tap("07:30")
    assert page.message_id == page_id
    assert "Saved: lessons at 07:30." in page.text
    # Tuesday 07:30 falls in the default quiet hours, which send it silently.
    assert "lesson 1 of 32, Tuesday 24 March, 07:30 (Europe/Berlin) (silently" in page.text


async def test_the_zone_changes_in_place_and_keeps_the_current_one(
    harness: Harness, person: ChatDriver
) -> None:
    page_id = await _page(person)
    [ask] = await person.tap("Time zone: Europe/Berlin")
    assert ask.message_id == page_id and ask.labels[0] == "Keep Europe/Berlin"
    [page] = await person.tap("Keep Europe/Berlin")
    assert page.message_id == page_id and "Time zone: Europe/Berlin" in page.labels
    assert "lesson 1 of 32, Monday 23 March, 20:00 (Europe/Berlin)" in page.text
    await person.tap("Time zone: Europe/Berlin")
    [page] = await person.tap("Asia/Tokyo")
    assert page.message_id == page_id
    assert "Saved: your time zone is Asia/Tokyo." in page.text
    # 20:00 in Tokyo on Monday is 11:00 UTC, still ahead of 09:00 UTC.
    assert "lesson 1 of 32, Monday 23 March, 20:00 (Asia/Tokyo)" in page.text
    assert (await _course(harness, person)).next_due == datetime(2026, 3, 23, 11, 0, tzinfo=UTC)


async def test_a_zone_typed_from_settings_gets_the_page_anew(
    harness: Harness, person: ChatDriver
) -> None:
    await _page(person)
    await person.tap("Time zone: Europe/Berlin")
    [page] = await person.send("Kyiv")
    assert "Saved: your time zone is Europe/Kyiv." in page.text
    assert "Time zone: Europe/Kyiv" in page.labels


async def test_reminders_discreet_and_pause_change_with_one_tap(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_reminders(person, "18:00", harness.catalog.routines[0].name, zone="UTC")
    page_id = await _page(person)
    # The lessons' zone is the reminders' too: 18:00 is now Berlin's.
    assert "Next reminder: Monday 23 March, 18:00 (Europe/Berlin)" in person.last.text
    [page] = await person.tap("Reminders: on (tap to pause)")
    assert page.message_id == page_id and "Saved: reminders are paused." in page.text
    assert "Next reminder" not in page.text and "Reminders: paused (tap to resume)" in page.labels
    [page] = await person.tap("Reminders: paused (tap to resume)")
    assert "Next reminder: Monday 23 March, 18:00 (Europe/Berlin)" in page.text
    [page] = await person.tap("Discreet previews: on")
    assert "Saved: previews show the lesson title." in page.text
    [page] = await person.tap("Pause lessons")
    assert "Saved: lessons are paused." in page.text and "Next:" not in page.text
    [page] = await person.tap("Resume lessons")
    assert "lesson 1 of 32, Monday 23 March, 20:00 (Europe/Berlin)" in page.text


async def test_back_and_cancel_on_each_settings_screen(
    harness: Harness, person: ChatDriver
) -> None:
    page_id = await _page(person)
    before = await _course(harness, person)
    for opens in ("Course: For me", "Days: Every day", "Lesson time: 20:00", "Time zone"):
        await person.tap(opens)
        if opens.startswith("Days"):
            await person.tap("Mon")  # a choice not saved: Back forgets it
        [back] = await person.tap("Back")
        assert back.message_id == page_id and "Lesson time: 20:00" in back.labels
        await person.tap(opens)
        [cancelled] = await person.tap("Cancel")
        assert cancelled.message_id == page_id and "Nothing was changed." in cancelled.text
        assert "Days: Every day" in cancelled.labels
    assert await _course(harness, person) == before
    # A time typed after Cancel is no answer to anything: the lesson time stays.
    await person.send("06:00")
    assert (await _course(harness, person)).local_time == before.local_time
