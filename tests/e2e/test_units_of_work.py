"""Each update does its store work in at most one connection and one transaction.

Counted at the engine, so a store call made outside an action (or an action calling
another one) shows up too: every transaction, reading or writing, begins exactly once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import Pool

from bot.standin import ChatDriver
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders
from tests.e2e.test_partner import invite_link


class Units:
    """Transactions begun and connections checked out, since the last ``take``."""

    def __init__(self) -> None:
        self.begun = 0
        self.checked_out = 0

    def begin(self, *_: Any) -> None:
        self.begun += 1

    def checkout(self, *_: Any) -> None:
        self.checked_out += 1

    def take(self) -> tuple[int, int]:
        taken = (self.begun, self.checked_out)
        self.begun = self.checked_out = 0
        return taken


@contextmanager
def counting() -> Iterator[Units]:
    units = Units()
    sa.event.listen(sa.Engine, "begin", units.begin)
    sa.event.listen(Pool, "checkout", units.checkout)
    try:
        yield units
    finally:
        sa.event.remove(sa.Engine, "begin", units.begin)
        sa.event.remove(Pool, "checkout", units.checkout)


async def test_every_command_and_tap_opens_at_most_one_transaction(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    await choose_reminders(person, "18:00", "A short walk")
    steps: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        (text, lambda text=text: person.send(text))  # type: ignore[misc]
        for text in (
            "/start",
            "/help",
            "/daily",
            "/lesson",
            "/lesson",
            "/share",
            "/settings",
            "/reminders",
            "/partner",
            "/privacy",
            "/export",
            "/techniques",
            "/phrases",
            "/support",
            "/stop",
            "/daily",
        )
    ]
    seen: dict[str, tuple[int, int]] = {}
    with counting() as units:
        for name, step in steps:
            units.take()
            await step()
            seen[f"{name} #{len(seen)}"] = units.take()
    too_many = {name: counts for name, counts in seen.items() if max(counts) > 1}
    assert too_many == {}
    # Not vacuous: the commands that need the store did use it, once.
    assert seen["/lesson #3"] == (1, 1)
    assert seen["/daily #2"] == (1, 1)
    assert seen["/help #1"] == (0, 0)


async def test_joining_through_an_invite_link_is_one_transaction(harness: Harness) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    payload = await invite_link(alex)
    await sam.send("/help")  # Sam's language is read with Sam's first update
    with counting() as units:
        await sam.send(f"/start {payload}")
        assert units.take() == (1, 1)


async def test_a_persons_language_is_read_once_not_with_every_update(
    harness: Harness, person: ChatDriver
) -> None:
    """The language to answer in is looked up with a person's first update in this process
    (one reading transaction, even for /help), then remembered: /lesson after that does
    its own one transaction, and nothing more."""
    with counting() as units:
        await person.send("/help")
        assert units.take() == (1, 1)
        for _ in range(3):
            await person.send("/lesson")
            assert units.take() == (1, 1)
        await person.send("/help")
        assert units.take() == (0, 0)


async def test_joining_brings_back_someone_marked_as_having_blocked_the_bot(
    harness: Harness,
) -> None:
    """The check /start makes for everyone else happens inside the join's transaction."""
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    await choose_lessons(sam)
    await sam.block()
    payload = await invite_link(alex)
    await sam.send(f"/start {payload}")
    stored = await harness.services.store.find_subscriber(sam.chat_id)
    assert stored is not None and not stored.blocked
