"""Helpers for the fault suite: people with a lesson due, and the real sender and bot
pointed at a fake Bot API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.delivery import TelegramSender
from lessons import load_catalog, load_library
from scheduler.clock import ManualClock
from scheduler.delivery import Engine
from scheduler.store import Store
from tests.faults.fake_bot_api import TOKEN

NOW = datetime(2026, 3, 23, 20, 0, tzinfo=UTC)
FIRST_CHAT = 5000


async def due_lessons(store: Store, count: int, due: datetime = NOW) -> list[int]:
    """``count`` people whose first lesson is due at ``due``; their chat ids."""
    chats = list(range(FIRST_CHAT, FIRST_CHAT + count))
    for chat_id in chats:
        subscriber = await store.ensure_subscriber(chat_id)
        course = replace(
            await store.course(subscriber.id), active=True, local_time=time(20, 0), next_due=due
        )
        await store.save_course(course)
    return chats


async def positions(store: Store, chats: list[int]) -> dict[int, int]:
    """Each person's course position: 2 once the first lesson went out."""
    found = {}
    for chat_id in chats:
        subscriber = await store.find_subscriber(chat_id)
        assert subscriber is not None
        found[chat_id] = (await store.course(subscriber.id)).position
    return found


@asynccontextmanager
async def real_bot(url: str, *, read_timeout: float) -> AsyncIterator[Bot]:
    """PTB's Bot over real HTTP to ``url``, with a short read timeout for the tests."""
    request = HTTPXRequest(connect_timeout=2.0, read_timeout=read_timeout, write_timeout=2.0)
    bot = Bot(TOKEN, base_url=f"{url}/bot", request=request)
    async with bot:
        yield bot


class Slept:
    """The sender's waits, remembered instead of slept: the tests never really wait."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def engine_for(
    store: Store, bot: Bot, clock: ManualClock, slept: Slept, *, group: int = 30
) -> Engine:
    sender = TelegramSender(bot, load_library(), sleep=slept)
    return Engine(store, load_catalog(), clock, sender, group=group)


LATER = (timedelta(seconds=30), timedelta(minutes=10), timedelta(hours=2))
"""Ticks after the first: the next one, one past the claims' lease, and one past the grace."""
