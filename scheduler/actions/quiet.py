"""Quiet hours in ``/settings``: how messages behave inside them (silent, held until they
end, or no quiet hours at all) and when they start and end.

The rule itself is ``scheduler.quiet``. A change also wakes anything held for the old quiet
hours: the next tick asks the rule again, so switching them off lets a held lesson go at
once, and a new end time holds it until then instead.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

from scheduler.actions.refusals import Refusal
from scheduler.actions.settings import SettingsView, changing
from scheduler.model import QuietMode, Subscriber
from scheduler.store import Store, Transaction


async def _save(tx: Transaction, now: datetime, old: Subscriber, new: Subscriber) -> None:
    if new != old:
        await tx.save_subscriber(new)
        await tx.wake_held(new.id, now)


async def set_quiet_mode(
    store: Store, now: datetime, chat_id: int, mode: QuietMode
) -> SettingsView | Refusal:
    async def change(tx: Transaction, subscriber: Subscriber) -> None:
        await _save(tx, now, subscriber, replace(subscriber, quiet_mode=mode))

    return await changing(store, chat_id, change)


async def set_quiet_span(
    store: Store, now: datetime, chat_id: int, *, start: time | None = None, end: time | None = None
) -> SettingsView | Refusal:
    """Move the start, the end, or both; a span that starts where it ends is refused."""

    async def change(tx: Transaction, subscriber: Subscriber) -> Refusal | None:
        moved = replace(
            subscriber,
            quiet_start=subscriber.quiet_start if start is None else start,
            quiet_end=subscriber.quiet_end if end is None else end,
        )
        if moved.quiet_start == moved.quiet_end:
            return Refusal.QUIET_SPAN_EMPTY
        await _save(tx, now, subscriber, moved)
        return None

    return await changing(store, chat_id, change)
