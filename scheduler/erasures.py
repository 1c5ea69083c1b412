"""Erases still owed: a ``/delete`` the database could not carry out (full disk, a lock) is
tried again until it commits, and only then is the person told it is done.

Kept in this process's memory only: storing "this person asked to be erased" would be one
more thing about them on the very disk that could not be written. After a restart nothing
is owed by the bot, because the person was told plainly that it had not happened, and the
button to try again is still in their chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
"""Waits double from the first to this, so a disk that stays full costs a try a quarter-hour."""


@dataclass(slots=True)
class _Owed:
    attempts: int
    next_try: datetime
    message_id: int | None
    """The "not erased yet" message, whose buttons go once the erase is done."""


@dataclass(frozen=True, slots=True)
class Due:
    chat_id: int
    message_id: int | None


class PendingErases:
    """The chat ids whose erase failed and is owed, each with when to try next."""

    def __init__(self) -> None:
        self._owed: dict[int, _Owed] = {}

    def __len__(self) -> int:
        return len(self._owed)

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self._owed

    def failed(self, chat_id: int, now: datetime, message_id: int | None = None) -> None:
        """An erase for ``chat_id`` did not commit: try again after a wait that doubles with
        each failure in a row, from FIRST_WAIT up to LONGEST_WAIT."""
        owed = self._owed.get(chat_id)
        attempts = 1 if owed is None else owed.attempts + 1
        if owed is not None and message_id is None:
            message_id = owed.message_id
        wait = min(FIRST_WAIT * 2 ** (attempts - 1), LONGEST_WAIT)
        self._owed[chat_id] = _Owed(attempts, now + wait, message_id)

    def due(self, now: datetime) -> list[Due]:
        """The erases to try now, oldest wait first."""
        owed = sorted(self._owed.items(), key=lambda item: item[1].next_try)
        return [Due(chat, entry.message_id) for chat, entry in owed if entry.next_try <= now]

    def settle(self, chat_id: int) -> bool:
        """The erase is done, or the person no longer wants it: nothing is owed. True if it
        was owed until now, so of a retry and a tap that both finish it, one tells them."""
        return self._owed.pop(chat_id, None) is not None

    def next_try(self, chat_id: int) -> datetime | None:
        owed = self._owed.get(chat_id)
        return None if owed is None else owed.next_try
