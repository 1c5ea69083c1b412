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
from scheduler.store.queue import Claim, QueueOperations
from scheduler.tables import deliveries


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


class HeldOperations(QueueOperations):
    async def take_held(self, kind: Kind, now: datetime, limit: int) -> list[Claim]:
        """Claim up to ``limit`` held items of ``kind`` whose wait is over, each with a new
        lease (``now``) and due at the end of its wait, so the grace counts from then.
        Locked like ``claim_due``, so of several processes only one takes each; a person
        who stopped or blocked meanwhile is left, and skipped past the grace if they come
        back much later."""
        log = deliveries.c
        return await self._take_logged(
            kind,
            now,
            limit,
            matching=(
                log.status == DeliveryStatus.HELD.value,
                log.due_at <= now,
                # One this tick already tried (and gave back) waits for the next tick.
                log.claimed_at < now,
            ),
            oldest_first=log.due_at,
            still=(log.status == DeliveryStatus.HELD.value,),
            values={"status": DeliveryStatus.CLAIMED.value, "claimed_at": now},
            held=True,
        )

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
