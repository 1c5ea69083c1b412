"""Blocking and unblocking the bot: Telegram's my_chat_member update pauses and resumes a
person's schedules, and /start is the safety net when that update was lost."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.standin import ChatDriver
from scheduler.model import Subscriber
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders

# The harness clock starts on Monday 23 March 2026, 09:00 UTC (10:00 in Berlin).
BERLIN_19H = datetime(2026, 3, 23, 18, 0, tzinfo=UTC)
BERLIN_20H = datetime(2026, 3, 23, 19, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_update_fails(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The error handler swallows a handler's exception: a membership update that crashed
    anything on its way would otherwise go unnoticed."""
    yield
    failed = [r.getMessage() for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert failed == []


async def _opt_in(harness: Harness, person: ChatDriver) -> Subscriber:
    """A daily lesson at 20:00 and a reminder at 19:00, in Berlin, both due today."""
    await choose_lessons(person)
    routine = harness.catalog.routines[0].name
    await choose_reminders(person, "19:00", routine, zone="Europe/Berlin")
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return subscriber


async def _due(harness: Harness, subscriber: Subscriber) -> tuple[datetime | None, ...]:
    store = harness.services.store
    course, reminders = await store.course(subscriber.id), await store.reminders(subscriber.id)
    return course.next_due, reminders.next_due


async def _blocked(harness: Harness, person: ChatDriver) -> bool:
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return subscriber.blocked


async def _sent_at(harness: Harness, *instants: datetime) -> list[int]:
    """How many messages each tick sent, the clock set to each instant in turn."""
    sent = []
    for instant in instants:
        harness.clock.set(instant)
        sent.append((await harness.tick()).sent)
    return sent


async def test_blocking_pauses_at_once_and_nothing_is_tried(
    harness: Harness, person: ChatDriver
) -> None:
    subscriber = await _opt_in(harness, person)
    assert await _due(harness, subscriber) == (BERLIN_20H, BERLIN_19H)
    assert await person.block() == []
    assert await _blocked(harness, person)
    assert await _due(harness, subscriber) == (None, None)
    for instant in (BERLIN_19H, BERLIN_20H):
        harness.clock.set(instant)
        assert (await harness.tick()).handled == 0
    assert all(call.ok for call in harness.api.calls_to("sendMessage")), "a send met the block"


async def test_unblocking_brings_the_schedules_back(harness: Harness, person: ChatDriver) -> None:
    subscriber = await _opt_in(harness, person)
    await person.block()
    assert await person.unblock() == []
    assert not await _blocked(harness, person)
    assert await _due(harness, subscriber) == (BERLIN_20H, BERLIN_19H)
    before = person.last.message_id
    assert await _sent_at(harness, BERLIN_19H, BERLIN_20H) == [1, 1]
    assert len([m for m in person.messages if m.message_id > before]) == 2


async def test_a_command_does_not_unblock_but_start_does(
    harness: Harness, person: ChatDriver
) -> None:
    subscriber = await _opt_in(harness, person)
    await person.block()
    # The unblock reaches Telegram, but its update is lost on the way to the bot.
    harness.api.unblock(person.chat_id)
    [help_text] = await person.send("/help")
    assert "/start" in help_text.text
    assert await _blocked(harness, person)
    assert await _due(harness, subscriber) == (None, None)
    await person.send("/start")
    assert not await _blocked(harness, person)
    assert await _due(harness, subscriber) == (BERLIN_20H, BERLIN_19H)
    assert await _sent_at(harness, BERLIN_19H, BERLIN_20H) == [1, 1]


async def test_choosing_a_schedule_again_brings_back_someone_still_marked_blocked(
    harness: Harness, person: ChatDriver
) -> None:
    subscriber = await _opt_in(harness, person)
    await person.block()
    harness.api.unblock(person.chat_id)  # the unblock update is lost
    await person.send("/daily")
    for label in ("Change", "For me", "Every day", "21:30"):
        await person.tap(label)
    [confirmed] = await person.tap("Europe/Berlin")
    assert "21:30" in confirmed.text
    assert not await _blocked(harness, person)
    assert await _due(harness, subscriber) == (BERLIN_20H + timedelta(minutes=90), BERLIN_19H)


async def test_an_ordinary_command_reads_nothing_from_the_store(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _opt_in(harness, person)
    store = harness.services.store
    looked_up: list[int] = []
    find = store.find_subscriber

    async def counted(chat_id: int) -> Subscriber | None:
        looked_up.append(chat_id)
        return await find(chat_id)

    monkeypatch.setattr(store, "find_subscriber", counted)
    await person.send("/help")
    assert looked_up == []


async def test_an_unknown_person_blocking_and_unblocking_stores_nothing(
    harness: Harness,
) -> None:
    stranger = harness.person(4242, "Robin")
    await stranger.block()
    await stranger.unblock()
    assert await harness.services.store.find_subscriber(stranger.chat_id) is None
    rows = await harness.services.store.rows_about(stranger.chat_id)
    assert rows and all(count == 0 for count in rows.values()), rows


async def test_a_group_removing_the_bot_pauses_nobody(harness: Harness, person: ChatDriver) -> None:
    subscriber = await _opt_in(harness, person)
    # The person who removes the bot from a group is the subscriber: only the group is gone.
    group = ChatDriver(
        harness.app, harness.api, chat_id=-2001, chat_type="group", user_id=person.chat_id
    )
    assert await group.block() == []
    assert not await _blocked(harness, person)
    assert await _due(harness, subscriber) == (BERLIN_20H, BERLIN_19H)
    assert await group.unblock() == []
    assert await harness.services.store.find_subscriber(group.chat_id) is None
    # Added back, the group is still turned away once, politely, as before.
    [reply] = await group.send("/start")
    assert reply.text == harness.catalog.text("group.private_only")
