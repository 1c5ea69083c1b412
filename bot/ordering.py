"""The order updates are processed in: each chat's one at a time, as they arrived; different
chats side by side.

PTB processes one update at a time unless told otherwise, so one person's slow moment (a
30 s wait for SQLite's single writer, a slow Telegram call) would hold every other person's
reply. Processing everything at once instead would let a person's second tap overtake their
first. ``PerChatOrder`` keeps a line per conversation: an update waits only for the earlier
updates of its own chat, and at most ``running_at_once`` updates run at any moment.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates PTB hands over before it waits: enough that a person sending many messages at once
# leaves room for everyone else's, since waiting in a chat's line takes no running slot.
ADMITTED = 512
RUNNING_AT_ONCE = 16


def conversation_of(update: object) -> int | None:
    """The line an update waits in: its chat, or for updates without one (inline queries,
    taps on inline messages) the person, whose private chat has the same id. None for an
    update that belongs to no one."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


@dataclass
class _Line:
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class PerChatOrder(BaseUpdateProcessor):
    """One chat's updates in arrival order, different chats concurrently, a bounded number
    running at once."""

    def __init__(self, running_at_once: int = RUNNING_AT_ONCE, admitted: int = ADMITTED) -> None:
        # PTB's own semaphore (``admitted``) is taken in arrival order before this is called,
        # so updates reach ``do_process_update`` in the order they came, and asyncio's locks
        # and semaphores serve waiters first come, first served.
        super().__init__(admitted)
        self._running = asyncio.Semaphore(running_at_once)
        self._lines: dict[int, _Line] = {}

    @property
    def open_lines(self) -> int:
        """Chats with an update being processed or waiting: each line goes once it is empty."""
        return len(self._lines)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = conversation_of(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        line = self._lines.setdefault(key, _Line())
        line.waiting += 1
        try:
            async with line.turn, self._running:
                await coroutine
        finally:
            line.waiting -= 1
            if line.waiting == 0:
                del self._lines[key]

    async def initialize(self) -> None:
        """Nothing to set up: lines are made as updates arrive."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for every update in progress before shutting down."""
