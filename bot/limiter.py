"""Telegram's limit for the whole token, shared so that people come before the schedule.

Every request that writes to a chat passes one pacer: one every 1/``rate`` seconds, and never
more than ``rate`` in any one second (Telegram counts any second; a burst of 30 followed by
one more meets a 429). When both are waiting, a reply to a person goes first and a scheduled
send waits: during a drain of the peak minute, ``/help`` queues behind nobody. A scheduled
send says so by running inside ``scheduled()``; everything else is a reply.

With paid broadcast on, ``rate`` may be up to 1,000 a second, but only scheduled sends carry
``allow_paid_broadcast``; replies keep within Telegram's free 30 a second among themselves.

A 429 still holds every send for its ``retry_after`` and is tried again, as PTB's
``AIORateLimiter`` (which this replaces) did.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

FREE_RATE = 30.0
"""Messages a second Telegram takes from a token without charging for them."""
WINDOW = 1.0
"""Telegram counts messages over any one second."""
CATCH_UP = 0.05
"""How far behind its slots the pacer may fall and make up (a late wake-up), in seconds."""

JSONDict = dict[str, Any]
Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_SCHEDULED: ContextVar[bool] = ContextVar("scheduled_send", default=False)


@contextlib.contextmanager
def scheduled() -> Iterator[None]:
    """Mark the requests made inside as scheduled sends: they give way to replies."""
    token = _SCHEDULED.set(True)
    try:
        yield
    finally:
        _SCHEDULED.reset(token)


class _Window:
    """Telegram's count over any one second, kept on the safe side: a send counts from the
    moment it is released until a second after its answer came back, since Telegram counted
    it somewhere in between. However late a released request reaches Telegram (a busy event
    loop, a slow network), no second there holds more than ``size``; no margin is needed,
    as Telegram counts a send before it answers and sees the next one after its release.
    The price is the time from release to answer: at 10 ms, 1% of the rate."""

    def __init__(self, size: int) -> None:
        self._size = max(1, size)
        self._open = 0
        # When the sends no longer open were answered, oldest first; the last ``size`` do.
        self._answered: deque[float] = deque(maxlen=self._size)

    def free_at(self) -> float:
        """When one more may go: 0 now, inf once only an answer can make room."""
        excess = self._open + len(self._answered) - self._size
        if excess < 0:
            return 0.0
        if excess >= len(self._answered):
            return math.inf
        return self._answered[excess] + WINDOW

    def open(self) -> None:
        self._open += 1

    def close(self, moment: float) -> None:
        self._open -= 1
        self._answered.append(moment)


class Pacer:
    """Hands out send slots, one every 1/``rate`` s, replies before scheduled sends."""

    def __init__(
        self,
        rate: float,
        *,
        free_rate: float = FREE_RATE,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be above 0, got {rate}")
        self._interval = 1 / rate
        self._monotonic = monotonic
        self._sleep = sleep
        self._all = _Window(int(rate))
        # Replies never carry the paid flag: only Telegram's free rate is theirs.
        self._free = _Window(int(min(rate, free_rate)))
        self._replies: deque[asyncio.Future[None]] = deque()
        self._scheduled: deque[asyncio.Future[None]] = deque()
        self._next_slot = 0.0
        self._serving: asyncio.Task[None] | None = None
        self._answered = asyncio.Event()

    @contextlib.asynccontextmanager
    async def slot(self, *, reply: bool) -> AsyncIterator[None]:
        """Wait for this request's slot; the block makes the request."""
        await self._take(reply)
        windows = (self._all, self._free) if reply else (self._all,)
        try:
            yield
        finally:
            moment = self._monotonic()
            for window in windows:
                window.close(moment)
            self._answered.set()

    async def _take(self, reply: bool) -> None:
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._replies if reply else self._scheduled).append(turn)
        if self._serving is None or self._serving.done():
            self._serving = asyncio.create_task(self._serve())
        await turn

    @property
    def waiting(self) -> tuple[int, int]:
        """Replies and scheduled sends waiting for a slot."""
        return len(self._replies), len(self._scheduled)

    async def _serve(self) -> None:
        """Release waiting requests one slot at a time while any wait."""
        while self._replies or self._scheduled:
            now = self._monotonic()
            queue, free_at = self._queue(now)
            if free_at == math.inf:
                self._answered.clear()
                await self._answered.wait()
                continue
            if free_at > now:
                await self._sleep(free_at - now)
                continue
            turn = queue.popleft()
            if turn.done():  # its request was cancelled while waiting
                continue
            turn.set_result(None)
            self._all.open()
            if queue is self._replies:
                self._free.open()
            # A late wake-up is made up by a few slots at once, never more than CATCH_UP.
            self._next_slot = max(self._next_slot, now - CATCH_UP) + self._interval

    def _queue(self, now: float) -> tuple[deque[asyncio.Future[None]], float]:
        """The queue served next, and when its next slot is free."""
        free_at = max(self._next_slot, self._all.free_at())
        if self._replies and (self._free.free_at() <= now or not self._scheduled):
            return self._replies, max(free_at, self._free.free_at())
        return self._scheduled, free_at


class PriorityLimiter(BaseRateLimiter[int]):
    """PTB's rate-limiter hook: every request that writes to a chat waits for the pacer's
    slot; a 429 holds every send for its ``retry_after`` (Telegram's limit is the token's,
    not one chat's) and is tried again, up to ``max_retries`` times. Requests that write to
    no chat (answering a button, polling) pass freely. Group chats get no limit of their
    own: the bot says one line there and nothing else."""

    def __init__(self, pacer: Pacer, *, max_retries: int = 3, sleep: Sleep = asyncio.sleep):
        self._pacer = pacer
        self._max_retries = max_retries
        self._sleep = sleep
        self._resume = asyncio.Event()
        self._resume.set()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if data.get("chat_id") is None:
            return await callback(*args, **kwargs)
        reply = not _SCHEDULED.get()
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            await self._resume.wait()
            try:
                async with self._pacer.slot(reply=reply):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                await self._hold(error.retry_after)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _hold(self, retry_after: int | timedelta) -> None:
        seconds = (
            retry_after.total_seconds()
            if isinstance(retry_after, timedelta)
            else float(retry_after)
        )
        self._resume.clear()
        try:
            await self._sleep(seconds + 0.1)
        finally:
            self._resume.set()
