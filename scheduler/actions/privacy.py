"""What is stored about a person: a copy of it, erasing it, and silencing every schedule."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.actions.refusals import Refusal
from scheduler.store import EraseFailedError, Store


@dataclass(frozen=True, slots=True)
class Erased:
    partner_chat: int | None
    """A linked partner, to be told only that sharing has ended."""


async def export_data(store: Store, chat_id: int) -> dict[str, object]:
    """Everything stored about the person, by table; ``{}`` for someone not stored."""
    async with store.reading() as tx:
        return await tx.export(chat_id)


async def erase(store: Store, chat_id: int) -> Erased | Refusal:
    """Delete every row about the person, on disk too. The link ends first: that also
    stops the partner's evening prompt, which erasing alone would not.

    ``Refusal.NOT_FINISHED`` when the database could not write (locked, or its disk full):
    nothing may then be said to be erased, and erasing again finishes the job.
    """
    try:
        async with store.erasing() as tx:
            subscriber = await tx.find_subscriber(chat_id)
            other = await tx.unlink(subscriber.id) if subscriber is not None else None
            await tx.erase(chat_id)
    except EraseFailedError:
        return Refusal.NOT_FINISHED
    return Erased(other)


async def stop_everything(store: Store, chat_id: int) -> None:
    """``/stop``: both schedules off; progress and choices are kept for a return."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is not None:
            await tx.stop_all(subscriber.id)
