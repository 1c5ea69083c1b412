"""Claims held for the end of quiet hours.

A message due inside quiet hours that the person chose to wait out keeps its row in the
delivery log, marked "held", with ``due_at`` moved to the end of those hours. The row keeps
its local day under the log's unique (subscriber, kind, local date) key, so a lesson due at
23:00 and held until 08:00 is still that evening's lesson: the next morning's slot is not
used up by it, and nothing else of its kind can go on its own day. When ``due_at`` comes,
a tick takes the row back as an ordinary claim (``take_held``) and sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduler.model import DeliveryStatus, Kind
from scheduler.store.connection import Connected
from scheduler.store.queue import _PERSON, Claim, _opened, _person_and_state, due_source, live
from scheduler.tables import deliveries, subscribers


@dataclass(frozen=True, slots=True)
class Held:
    """A claim kept for its day and sent later, at ``until``."""

    claim: Claim
    until: datetime


_HOLD = (
    sa.update(deliveries)
    .where(
        deliveries.c.id == sa.bindparam("delivery"),
        deliveries.c.claimed_at == sa.bindparam("lease"),
    )
    .values(status=DeliveryStatus.HELD.value, due_at=sa.bindparam("until"))
)


async def hold_claims(connection: AsyncConnection, held: Sequence[Held]) -> None:
    """Mark claims held until their instants; one another process took over is left."""
    if held:
        await connection.execute(
            _HOLD,
            [
                {"delivery": h.claim.delivery_id, "lease": h.claim.claimed_at, "until": h.until}
                for h in held
            ],
        )


class HeldOperations(Connected):
    async def take_held(self, kind: Kind, now: datetime, limit: int) -> list[Claim]:
        """Claim up to ``limit`` held items of ``kind`` whose wait is over, each with a new
        lease (``now``) and due at the end of its wait, so the grace counts from then.
        Locked like ``claim_due``, so of several processes only one takes each; a person
        who stopped or blocked meanwhile is left, and skipped past the grace if they come
        back much later."""
        table, _ = due_source(kind)
        log = deliveries.c
        statement = (
            sa.select(log.id, log.local_date, log.due_at, *table.c, *_PERSON)
            .join(subscribers, subscribers.c.id == log.subscriber_id)
            .join(table, table.c.subscriber_id == log.subscriber_id)
            .where(
                log.status == DeliveryStatus.HELD.value,
                log.due_at <= now,
                # One this tick already tried (and gave back) waits for the next tick.
                log.claimed_at < now,
                log.kind == kind.value,
                ~subscribers.c.blocked,
                *live(table, kind),
            )
            .order_by(log.due_at)
            .limit(limit)
        )
        if self._postgresql:
            statement = statement.with_for_update(skip_locked=True, of=deliveries)
        rows = (await self._connection.execute(statement)).all()
        if not rows:
            return []
        taken = await self._connection.execute(
            sa.update(deliveries)
            .where(log.id.in_([row[0] for row in rows]), log.status == DeliveryStatus.HELD.value)
            .values(status=DeliveryStatus.CLAIMED.value, claimed_at=now)
            .returning(log.id)
        )
        ours = set(taken.scalars())
        claims = []
        for delivery_id, day, due_at, *rest in rows:
            if delivery_id in ours:
                subscriber, state, chat = _person_and_state(kind, table, rest)
                claim = Claim(delivery_id, kind, subscriber, state, due_at, day, now, held=True)
                claims.append(_opened(self._key, claim, chat, delivery_id=delivery_id))
        return claims

    async def earliest_held(self) -> datetime | None:
        """When the soonest held item may go: a clock that jumps stops there too."""
        statement = sa.select(sa.func.min(deliveries.c.due_at)).where(
            deliveries.c.status == DeliveryStatus.HELD.value
        )
        # min() keeps the column's type, so this comes back as an aware UTC instant.
        due: datetime | None = (await self._connection.execute(statement)).scalar_one_or_none()
        return due

    async def wake_held(self, subscriber_id: int, now: datetime) -> None:
        """Make a person's held items due now: their quiet hours changed, so the next tick
        asks the rule again (it may send them, or hold them until the new end)."""
        await self._connection.execute(
            sa.update(deliveries)
            .where(
                deliveries.c.subscriber_id == subscriber_id,
                deliveries.c.status == DeliveryStatus.HELD.value,
            )
            .values(due_at=now)
        )
