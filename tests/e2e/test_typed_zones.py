"""Zones and times typed as people type them: a city, an ambiguous name picked by button, a
fixed offset, and refusals that show what works."""

from __future__ import annotations

from datetime import time

from bot.standin import ChatDriver
from tests.e2e.conftest import Harness


async def _up_to_the_zone(person: ChatDriver) -> None:
    await person.send("/daily")
    for label in ("For me", "Every day", "20:00"):
        await person.tap(label)


async def _stored_zone(harness: Harness, person: ChatDriver) -> str:
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return subscriber.timezone


async def test_a_city_name_is_its_zone(harness: Harness, person: ChatDriver) -> None:
    await _up_to_the_zone(person)
    [confirmation, _questions] = await person.send("Kiev")
    assert "Europe/Kyiv" in confirmation.text
    assert await _stored_zone(harness, person) == "Europe/Kyiv"


async def test_a_city_is_saved_without_the_daylight_saving_note(person: ChatDriver) -> None:
    await _up_to_the_zone(person)
    replies = await person.send("São Paulo")
    assert not any("daylight saving" in reply.text for reply in replies)


async def test_a_refused_zone_shows_examples_and_the_next_try_works(
    harness: Harness, person: ChatDriver
) -> None:
    await _up_to_the_zone(person)
    [refusal] = await person.send("Narnia")
    assert "Berlin, New York, Kyiv or Mumbai" in refusal.text
    assert "Portland, Maine" in refusal.text
    await person.send("Tokyo")
    assert await _stored_zone(harness, person) == "Asia/Tokyo"


async def test_a_refused_time_shows_examples_and_a_spoken_time_works(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/daily")
    for label in ("For me", "Every day"):
        await person.tap(label)
    [refusal] = await person.send("after lunch")
    assert "half past seven" in refusal.text and "quarter to nine" in refusal.text
    await person.send("half past seven in the evening")
    await person.send("berlin")
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await harness.services.store.course(subscriber.id)
    assert course.local_time == time(19, 30)


async def test_an_ambiguous_name_is_settled_by_a_button(
    harness: Harness, person: ChatDriver
) -> None:
    await _up_to_the_zone(person)
    [question] = await person.send("Portland")
    assert "Which one is yours?" in question.text
    assert question.labels[:2] == ["Portland, Oregon", "Portland, Maine"]
    assert await harness.services.store.find_subscriber(person.chat_id) is None
    [confirmation, _questions] = await person.tap("Portland, Maine")
    assert "America/New_York" in confirmation.text
    assert await _stored_zone(harness, person) == "America/New_York"


async def test_a_fixed_offset_is_saved_with_a_note_on_daylight_saving(
    harness: Harness, person: ChatDriver
) -> None:
    await _up_to_the_zone(person)
    [note, confirmation, _questions] = await person.send("UTC-05:00")
    assert "will not follow daylight saving" in note.text
    assert "UTC-05:00" in confirmation.text
    assert await _stored_zone(harness, person) == "UTC-05:00"
