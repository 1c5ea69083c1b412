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
import heapq
import itertools
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

FREE_RATE = 30.0
"""Messages a second Telegram takes from a token without charging for them."""
WINDOW = 1.0
"""Telegram counts messages over any one second."""
MARGIN = 0.5
"""How long after its release an unanswered send is assumed to have reached Telegram (see
``_Window``), in seconds."""
CATCH_UP = 0.05
"""How far behind its slots the pacer may fall and make up (a late wake-up), in seconds, at
Telegram's free rate. Slots made up go at once, and a burst of them holds places in the
second that a reply would otherwise take: at 30 a second, making up 0.25 s raised replies'
p95 during a fan-out from 0.03 to 0.17 s."""
PAID_CATCH_UP = 0.25
"""The same above the free rate (paid broadcast). There a pause of the event loop (a
database turn, a garbage collection) costs many slots, 50 ms is 47 messages at 950 a
second, and the burst that makes them up is bounded by the sends in flight (the engine's
window, at most 50: about 50 ms of slots), so replies lose little. At 0.05 s a paid drain
reached 880 msg/s, at 0.25 s 908 (benchmarks/README.md)."""

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


class _Place:
    """One send's place in a window: counted from its release to ``bound`` while no answer
    says otherwise."""

    __slots__ = ("bound", "counted")

    def __init__(self, bound: float) -> None:
        self.bound = bound
        self.counted = True


class _Window:
    """Telegram's count over any one second, kept on the safe side.

    Telegram counts a send at the moment its request arrives, somewhere between its release
    here and its answer. So a send counts from its release until a second after the earlier
    of its answer and ``release + margin``; and an answer that comes later than that counts
    it again, until a second after the answer. Counting every send until a second after its
    answer would be exact, but then a chat whose answer stalls holds its place until PTB's
    read timeout (5 s), and one chat in ten stalling costs a third of the rate.

    Why the margin is safe: a send answered within it counts until a second after its answer,
    as before, so only a send still unanswered after ``margin`` is assumed to have arrived by
    then. It is wrong only if the request reached Telegram more than ``margin`` after its
    release (the event loop lagging that long between the release and the write, or the
    request stuck in the network) and is answered later still; an answer, once it comes,
    counts it again, so a slow path costs at most the one place, for at most a second. A
    request that did arrive that late can take Telegram's second over ``size`` only if the
    second is otherwise full; then Telegram answers 429, which delivers nothing, and
    ``PriorityLimiter`` holds every send for its ``retry_after`` and tries again: a lost
    second or two, never a lost or doubled message. The 0.5 s margin is about 25 times the
    lag between release and arrival that made a release-counted window meet 429s on the
    loaded benchmark machine (``benchmarks/README.md``, the sustained drain). It also means
    a place can never leak: a send cancelled between its release and its request still frees
    its place after ``margin`` and a second."""

    def __init__(self, size: int, margin: float) -> None:
        self._size = max(1, size)
        self._margin = margin
        # Places counted until a second after an answer, in the order the answers came.
        self._answered: deque[float] = deque()
        # Places counted from their release, in release order; ``_counted`` of them still count.
        self._unanswered: deque[_Place] = deque()
        self._counted = 0

    def free_at(self, now: float) -> float:
        """When one more may go: ``now`` (or earlier) if it may go now."""
        self._forget(now)
        excess = len(self._answered) + self._counted - self._size
        if excess < 0:
            return now
        return self._ends(excess + 1)

    def open(self, moment: float) -> _Place:
        """A send released at ``moment``."""
        place = _Place(moment + self._margin + WINDOW)
        self._unanswered.append(place)
        self._counted += 1
        return place

    def close(self, place: _Place, moment: float, *, answered: bool) -> None:
        """The send of ``place`` ended at ``moment``: with Telegram's answer, or without (a
        timeout, a failure, a cancellation)."""
        if not answered and moment > place.bound - WINDOW:
            return  # counted until its bound, which already assumed it arrived by then
        if place.counted:
            place.counted = False
            self._counted -= 1
        self._answered.append(moment + WINDOW)

    def _forget(self, now: float) -> None:
        """Drop the places that no longer count at ``now``."""
        answered, unanswered = self._answered, self._unanswered
        while answered and answered[0] <= now:
            answered.popleft()
        while unanswered and (not unanswered[0].counted or unanswered[0].bound <= now):
            place = unanswered.popleft()
            if place.counted:
                place.counted = False
                self._counted -= 1

    def _ends(self, count: int) -> float:
        """The ``count``-th earliest moment a counted place ends (both queues are in order)."""
        bounds = (place.bound for place in self._unanswered if place.counted)
        ends = itertools.islice(heapq.merge(self._answered, bounds), count)
        return deque(ends, maxlen=1)[0]


_Turn = asyncio.Future[tuple[_Place, ...]]
"""A waiting request's turn: given its places in the windows when it is released."""


class Pacer:
    """Hands out send slots, one every 1/``rate`` s, replies before scheduled sends."""

    def __init__(
        self,
        rate: float,
        *,
        free_rate: float = FREE_RATE,
        margin: float = MARGIN,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be above 0, got {rate}")
        self._interval = 1 / rate
        self._catch_up = PAID_CATCH_UP if rate > free_rate else CATCH_UP
        self._monotonic = monotonic
        self._sleep = sleep
        self._all = _Window(int(rate), margin)
        # Replies never carry the paid flag: only Telegram's free rate is theirs.
        self._free = _Window(int(min(rate, free_rate)), margin)
        self._replies: deque[_Turn] = deque()
        self._scheduled: deque[_Turn] = deque()
        self._next_slot = 0.0
        self._serving: asyncio.Task[None] | None = None
        self._answered = asyncio.Event()

    @contextlib.asynccontextmanager
    async def slot(self, *, reply: bool) -> AsyncIterator[None]:
        """Wait for this request's slot; the block makes the request."""
        places = await self._take(reply)
        windows = (self._all, self._free) if reply else (self._all,)
        answered = False
        try:
            yield
            answered = True
        except TelegramError as error:
            # An error answer (429, 403, 400) is an answer; a NetworkError may be none.
            answered = not isinstance(error, NetworkError)
            raise
        finally:
            moment = self._monotonic()
            for window, place in zip(windows, places, strict=True):
                window.close(place, moment, answered=answered)
            self._answered.set()

    async def _take(self, reply: bool) -> tuple[_Place, ...]:
        turn: _Turn = asyncio.get_running_loop().create_future()
        (self._replies if reply else self._scheduled).append(turn)
        if self._serving is None or self._serving.done():
            self._serving = asyncio.create_task(self._serve())
        return await turn

    @property
    def waiting(self) -> tuple[int, int]:
        """Replies and scheduled sends waiting for a slot."""
        return len(self._replies), len(self._scheduled)

    async def _serve(self) -> None:
        """Release waiting requests one slot at a time while any wait."""
        while self._replies or self._scheduled:
            now = self._monotonic()
            queue, free_at = self._queue(now)
            if free_at > now:
                await self._wait(free_at - now, answer_may_help=free_at > now + WINDOW)
                continue
            turn = queue.popleft()
            if turn.done():  # its request was cancelled while waiting
                continue
            places: tuple[_Place, ...] = (self._all.open(now),)
            if queue is self._replies:
                places += (self._free.open(now),)
            turn.set_result(places)
            # Slots missed while the loop was busy are made up at once, up to the catch-up.
            self._next_slot = max(self._next_slot, now - self._catch_up) + self._interval

    async def _wait(self, seconds: float, *, answer_may_help: bool) -> None:
        """Sleep ``seconds``, or less when an answer may free a place sooner. An answer that
        comes now or later ends its place a second after it at the earliest, so it can help
        only when the wait is longer than that; a plain sleep is cheaper."""
        if not answer_may_help:
            await self._sleep(seconds)
            return
        self._answered.clear()
        waits = {
            asyncio.ensure_future(self._sleep(seconds)),
            asyncio.create_task(self._answered.wait()),
        }
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()

    def _queue(self, now: float) -> tuple[deque[_Turn], float]:
        """The queue served next, and when its next slot is free."""
        free_at = max(self._next_slot, self._all.free_at(now))
        free_for_replies = self._free.free_at(now)
        if self._replies and (free_for_replies <= now or not self._scheduled):
            return self._replies, max(free_at, free_for_replies)
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
