"""What the action tests share: the real content, a fixed instant, and people to act for."""

from __future__ import annotations

from datetime import UTC, datetime, time
from functools import cache

from lessons import Catalog, load_catalog
from scheduler.actions import schedule
from scheduler.model import EVERY_DAY
from scheduler.store import Store

# A Monday morning in spring, before Europe's clocks change.
NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
ALEX, SAM = 1001, 2002


@cache
def catalog() -> Catalog:
    return load_catalog()


async def nobody_stored(store: Store, chat_id: int = ALEX) -> bool:
    return not any((await store.rows_about(chat_id)).values())


async def opted_in(
    store: Store, chat_id: int = ALEX, at: time = time(20, 0), zone: str = "UTC"
) -> schedule.DailyLessons:
    """Daily lessons on every day, as /daily leaves them."""
    choices = schedule.Choices(track=None, days=EVERY_DAY, local_time=at, zone=zone)
    return await schedule.choose_daily_lessons(store, NOW, chat_id, choices, "en")
