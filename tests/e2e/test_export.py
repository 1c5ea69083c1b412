"""``/export``: a text the person can read, with days and times spelled out, and the same
data attached as JSON."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from bot.standin import BotMessage, ChatDriver
from lessons.model import Track
from lessons.planner import course_lessons
from scheduler.model import QuietMode
from tests.e2e.conftest import Harness

RAW = re.compile(r"subscriber_id|local_time|next_due|position|quiet_mode|\btrue\b|\bfalse\b|_")


async def export(person: ChatDriver) -> tuple[BotMessage, dict[str, object]]:
    readable, document = await person.send("/export")
    assert document.document_name == "soft-landing-my-data.json"
    return readable, json.loads(document.document_bytes or b"")


async def lessons_on_chosen_days(person: ChatDriver) -> None:
    await person.send("/daily")
    for label in ("For me", "Choose the days", "Mon", "Wed", "Fri", "Done", "07:30"):
        await person.tap(label)
    await person.tap("Europe/Berlin")


async def reminders_on_weekdays(harness: Harness, person: ChatDriver) -> list[str]:
    names = [routine.name for routine in harness.catalog.routines]
    await person.send("/reminders")
    for label in (names[0], names[4], "Next", "Weekdays"):
        await person.tap(label)
    await person.send("18:30")
    await person.tap("Keep")
    return [names[0], names[4]]


async def test_the_export_reads_in_plain_words(harness: Harness, person: ChatDriver) -> None:
    await lessons_on_chosen_days(person)
    chosen = await reminders_on_weekdays(harness, person)
    await person.send("/lesson")
    await person.send("/lesson")

    readable, data = await export(person)

    text = readable.text
    total = len(course_lessons(harness.catalog, Track.SELF))
    assert "What Soft Landing keeps about you" in text
    assert f"Course: the course for yourself. 2 of {total} lessons had; day 3 comes next." in text
    assert "Daily lessons: on, Monday, Wednesday and Friday at 07:30." in text
    # Monday 23 March, 09:00 UTC is 10:00 in Berlin: today's 07:30 has gone.
    assert "The next one arrives Wednesday 25 March, 07:30." in text
    assert "Time zone: Europe/Berlin" in text
    assert f"Reminders: on, Monday to Friday at 18:30, for {chosen[0]} and {chosen[1]}." in text
    assert "Discreet previews: on" in text
    quiet = "Quiet hours: 22:00 to 08:00; lessons, reminders and prompts due then arrive"
    assert f"{quiet} without a sound." in text
    assert "Partner link: none." in text and "two internal numbers" in text
    assert "Messages logged: 0" in text
    assert "/delete" in text
    # No column names, flags or bit masks: the file holds those.
    assert not RAW.search(text), RAW.search(text)
    assert str(data["courses"][0]["days"]) not in text  # type: ignore[index]
    assert data == json.loads(json.dumps(await harness.services.store.export(person.chat_id)))


async def test_paused_lessons_a_finished_course_and_an_invite_read_as_such(
    harness: Harness, person: ChatDriver
) -> None:
    await lessons_on_chosen_days(person)
    await person.send("/settings")
    await person.tap("Pause")
    await person.send("/partner")
    await person.tap("Create an invite link")
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await store.course(subscriber.id)
    total = len(course_lessons(harness.catalog, Track.SELF))
    await store.save_course(replace(course, position=total + 1))

    text = (await export(person))[0].text
    assert f"All {total} lessons had." in text
    assert "Daily lessons: paused; when resumed, Monday, Wednesday and Friday at 07:30." in text
    assert "The next one arrives" not in text
    assert "Partner link: an invite you made, not used yet." in text
    assert "Reminders: off." in text


async def test_someone_who_only_reads_on_demand_has_lessons_off(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/lesson")
    text = (await export(person))[0].text
    total = len(course_lessons(harness.catalog, Track.SELF))
    assert f"1 of {total} lessons had; day 2 comes next." in text
    assert "Daily lessons: off." in text and "Reminders: off." in text


@pytest.mark.parametrize("mode", list(QuietMode))
async def test_every_quiet_mode_has_words(
    harness: Harness, person: ChatDriver, mode: QuietMode
) -> None:
    await person.send("/lesson")
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    await store.save_subscriber(replace(subscriber, quiet_mode=mode, discreet=False))
    text = (await export(person))[0].text
    span = "off; 22:00 to 08:00" if mode is QuietMode.OFF else "22:00 to 08:00"
    assert f"Quiet hours: {span}" in text
    assert "Discreet previews: off" in text
