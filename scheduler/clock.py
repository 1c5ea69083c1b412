"""Where "now" comes from. Logic never calls ``datetime.now()`` itself: it is handed a clock,
which is what lets tests cross a DST change and ``softlanding chat`` travel in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """Real time plus an offset that can only grow: the chat mode's ``:time +1d``."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, by: timedelta) -> None:
        if by < timedelta():
            raise ValueError("time only moves forward")
        self._offset += by


class ManualClock:
    """A clock that stands still until told to move; tests set it to any instant."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a clock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta) -> None:
        if by < timedelta():
            raise ValueError("time only moves forward")
        self._now += by

    def set(self, instant: datetime) -> None:
        self._now = instant.astimezone(UTC)
