"""Totals for the people who run the bot; nothing about anyone."""

from __future__ import annotations

from datetime import datetime

from scheduler.store import Stats, Store


async def stats(store: Store, now: datetime) -> Stats:
    async with store.reading() as tx:
        return await tx.stats(now)
