"""Monitoring: read-only counts, never about one person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from scheduler.model import Kind
from scheduler.store.connection import Connected
from scheduler.store.queue import due_source, live
from scheduler.tables import courses, deliveries, subscribers


@dataclass(frozen=True, slots=True)
class Stats:
    subscribers_by_track: dict[str, int]
    """Active courses by track; people with only reminders are not in here."""
    deliveries_today: dict[str, int]
    """Since 00:00 UTC, by ``DeliveryStatus``: sent, skipped, blocked, or claimed (not
    settled)."""
    backlog: int
    blocked: int


class StatsOperations(Connected):
    async def due_backlog(self, now: datetime) -> int:
        """How many items of every kind are due at ``now`` and not yet claimed."""
        total = 0
        for kind in Kind:
            table, due_column = due_source(kind)
            statement = (
                sa.select(sa.func.count())
                .select_from(table.join(subscribers, subscribers.c.id == table.c.subscriber_id))
                .where(due_column <= now, ~subscribers.c.blocked, *live(table, kind))
            )
            total += (await self._connection.execute(statement)).scalar_one()
        return total

    async def stats(self, now: datetime) -> Stats:
        """Totals for the operator's ``/stats``: subscribers by track, deliveries since the
        start of the UTC day by outcome, the due backlog and how many blocked the bot."""
        day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        by_track = (
            sa.select(courses.c.track, sa.func.count())
            .where(courses.c.active)
            .group_by(courses.c.track)
        )
        by_status = (
            sa.select(deliveries.c.status, sa.func.count())
            .where(deliveries.c.claimed_at >= day_start)
            .group_by(deliveries.c.status)
        )
        blocked = sa.select(sa.func.count()).where(subscribers.c.blocked)
        connection = self._connection
        tracks = {str(t): int(n) for t, n in (await connection.execute(by_track)).all()}
        statuses = {str(s): int(n) for s, n in (await connection.execute(by_status)).all()}
        blocked_count = (await connection.execute(blocked)).scalar_one()
        return Stats(tracks, statuses, await self.due_backlog(now), blocked_count)
