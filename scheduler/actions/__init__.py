"""Everything a person can do, one function each: the rules of the bot, free of Telegram.

Each action takes the store, the clock's ``now`` and plain values (a chat id, a time, a
zone), enforces its rules and returns a frozen record, or a ``Refusal`` saying why nothing
happened; ``bot`` only reads the tap or message, calls one action and renders its answer.

Each action is one unit of work: ``store.transaction()`` when it may write (what it reads
and writes commits together or not at all), ``store.reading()`` when it only looks (one
consistent view, and no write lock: it never waits behind the delivery tick). Either way
an action opens exactly one, and no network call happens inside it.

Two rules hold for every action here:

- Only actions that mean "start" (opting in to a schedule, making or joining an invite,
  reading a lesson from ``/lesson``) store a person who is not stored yet. Every other action
  refuses with ``Refusal.NOT_STORED``, so a button from a message older than ``/delete``
  brings nobody back.
- An action a button repeats (the next lesson, a snooze, a toggle) is told what the button
  refers to and does nothing new the second time.
"""

from __future__ import annotations

from scheduler.actions.refusals import Refusal

__all__ = ["Refusal"]
