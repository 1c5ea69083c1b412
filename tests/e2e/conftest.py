"""End-to-end fixtures: the real Application, handlers and store, talking to the in-process
Bot API stand-in instead of Telegram. Each test reads like a conversation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.app import BotApplication, build_application, publish_commands
from bot.context import Services, engine_of
from bot.settings import Settings
from bot.standin import ChatDriver, StandInBotAPI
from lessons import Catalog, load_library
from scheduler.clock import ManualClock
from scheduler.delivery import TickReport
from scheduler.store import Store

# A Monday morning in spring, before Europe's clocks change: tests move it as they need.
START = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)


@dataclass
class Harness:
    app: BotApplication
    api: StandInBotAPI
    clock: ManualClock
    services: Services
    slept: list[float] = field(default_factory=list)
    """Every wait the delivery sender asked for: tests never really sleep."""

    @property
    def catalog(self) -> Catalog:
        """The default language's content: what people whose Telegram is in English read."""
        return self.services.library.default_catalog

    def person(
        self, chat_id: int = 1001, first_name: str = "Alex", language_code: str = "en"
    ) -> ChatDriver:
        return ChatDriver(
            self.app, self.api, chat_id=chat_id, first_name=first_name, language_code=language_code
        )

    def group(self, chat_id: int = -2001) -> ChatDriver:
        return ChatDriver(self.app, self.api, chat_id=chat_id, chat_type="group")

    async def tick(self) -> TickReport:
        return await engine_of(self.app).tick()

    async def restart(self) -> Harness:
        """A new Application on the same store and Bot API, as after a process restart."""
        await self.app.shutdown()
        return await start(self.services, self.api, self.clock)


async def start(services: Services, api: StandInBotAPI, clock: ManualClock) -> Harness:
    slept: list[float] = []

    async def no_sleep(seconds: float) -> None:
        slept.append(seconds)

    def waited() -> float:
        # The sender's sense of passing time is only the waits it asked for, so what it
        # asks for does not depend on how busy the machine running the test is.
        return sum(slept)

    app = build_application(
        Settings(), services, request=api, rate_limited=False, sleep=no_sleep, monotonic=waited
    )
    harness = Harness(app, api, clock, services, slept)
    await app.initialize()
    await publish_commands(app, services.library)
    return harness


@pytest.fixture
async def harness(store: Store) -> AsyncIterator[Harness]:
    async with _running(store, inline=True) as running:
        yield running


@pytest.fixture
async def harness_without_inline(store: Store) -> AsyncIterator[Harness]:
    """The bot before BotFather's /setinline: share buttons fall back to forwarding."""
    async with _running(store, inline=False) as running:
        yield running


@asynccontextmanager
async def _running(store: Store, *, inline: bool) -> AsyncIterator[Harness]:
    clock = ManualClock(START)
    api = StandInBotAPI(clock=clock.now, supports_inline_queries=inline)
    services = Services(store=store, library=load_library(), clock=clock)
    running = await start(services, api, clock)
    try:
        yield running
    finally:
        await running.app.shutdown()


@pytest.fixture
def person(harness: Harness) -> ChatDriver:
    return harness.person()


async def choose_lessons(
    person: ChatDriver, at: str = "20:00", zone: str = "Europe/Berlin"
) -> None:
    """Opt in to the self track every day, through /daily's buttons."""
    await person.send("/daily")
    for label in ("For me", "Every day", at, zone):
        await person.tap(label)


async def choose_reminders(person: ChatDriver, at: str, *routines: str, zone: str = "UTC") -> None:
    """Reminders every day for the routines named, through /reminders' buttons."""
    await person.send("/reminders")
    for name in routines:
        await person.tap(name)
    await person.tap("Next")
    await person.tap("Every day")
    await person.send(at)
    await person.tap(zone)
