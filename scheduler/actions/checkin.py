"""The weekly "nobody goes first" check-in: each partner privately picks one thing that
felt good and one wish, from the content's buttons; nothing is shown until both answered.

Nothing typed is kept, only the two button ids; both answers are deleted at the reveal, or
unseen once 48 hours pass (``expire_checkins``). The partner is never told that one answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scheduler.actions.refusals import Refusal
from scheduler.model import Recipient
from scheduler.store import Store


@dataclass(frozen=True, slots=True)
class Waiting:
    """Kept privately until the partner answers too."""


@dataclass(frozen=True, slots=True)
class Revealed:
    mine: str
    theirs: str
    partner_chat: Recipient | None


async def answer(
    store: Store, now: datetime, chat_id: int, picked: str
) -> Waiting | Revealed | Refusal:
    """Record the person's answer; both answers once the partner's is in too.

    ``ALREADY_DONE`` when no check-in is open for them (answered, closed or expired)."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        # Locked, so two answers arriving together cannot both miss the other's.
        link = await tx.lock_link(subscriber.id)
        if link is None:
            return Refusal.NOT_LINKED
        result = await tx.answer_checkin(subscriber.id, link.partner, picked, now)
        if result is False:
            return Refusal.ALREADY_DONE
        if result is True:
            return Waiting()
        return Revealed(result.mine, result.theirs, await tx.partner_chat(subscriber.id))
