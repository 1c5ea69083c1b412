"""Two people on one database, for the partner tests: linking, rhythms, lessons, ticks."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.standin import ChatDriver
from lessons.telegram_html import plain_text
from scheduler.model import Course
from tests.e2e.conftest import Harness

INVITE = re.compile(r"https://t\.me/SoftLandingBot\?start=(inv-[A-Za-z0-9_-]+)")
# The clock starts on Monday 23 March 2026, 09:00 UTC: Berlin is an hour ahead of UTC that
# week, London is on UTC.
MONDAY = datetime(2026, 3, 23, tzinfo=UTC)


def ui(harness: Harness, key: str, **values: object) -> str:
    return plain_text(harness.catalog.text(key, **values))


async def invite_link(person: ChatDriver) -> str:
    """The start parameter of a fresh invite: what the partner's tap would send."""
    await person.send("/partner")
    [shown] = await person.tap("Create an invite link")
    found = INVITE.search(shown.text)
    assert found is not None, shown.text
    return found.group(1)


async def linked_pair(harness: Harness) -> tuple[ChatDriver, ChatDriver]:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    payload = await invite_link(alex)
    await sam.send(f"/start {payload}")
    return alex, sam


async def partner_of(harness: Harness, person: ChatDriver) -> int | None:
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    partner = await harness.services.store.partner_chat(subscriber.id)
    return None if partner is None else partner.chat_id


async def opt_in(person: ChatDriver, cadence: str, at: str, zone: str) -> None:
    await person.send("/daily")
    for label in ("For me", cadence, at, zone):
        await person.tap(label)


async def course_of(harness: Harness, person: ChatDriver) -> Course:
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return await store.course(subscriber.id)


async def propose(person: ChatDriver, days: str, at: str, button: str = "Suggest a rhythm") -> None:
    """Suggest a rhythm (or, on one, a change) from /partner's screen."""
    await person.send("/partner")
    for label in (button, days, at):
        await person.tap(label)


async def agreed_pair(harness: Harness) -> tuple[ChatDriver, ChatDriver]:
    """Alex: every day at 07:30 in London; Sam: every day at 18:00 in Berlin; then both
    agree on weekdays at 12:30 (Alex suggests, Sam accepts)."""
    alex, sam = await linked_pair(harness)
    await opt_in(sam, "Every day", "18:00", "Europe/Berlin")
    await opt_in(alex, "Every day", "07:30", "Europe/London")
    await propose(alex, "Weekdays", "12:30")
    await sam.tap("Accept")
    return alex, sam


async def tick_at(harness: Harness, instant: datetime) -> None:
    harness.clock.set(instant)
    await harness.tick()


def count(harness: Harness, person: ChatDriver, key: str) -> int:
    text = ui(harness, key)
    return sum(m.text == text for m in harness.api.messages(person.chat_id))


def talks(harness: Harness, person: ChatDriver) -> int:
    return count(harness, person, "partner.talk")


def lessons(harness: Harness, person: ChatDriver) -> int:
    header = ui(harness, "delivery.lesson.header")
    return sum(m.text.startswith(header) for m in harness.api.messages(person.chat_id))
