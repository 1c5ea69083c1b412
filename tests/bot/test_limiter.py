"""The token's one pacer: a slot every 1/rate seconds, never more than the rate in a second,
and a reply to a person before any scheduled send that is waiting. On a clock the test moves:
nothing here really waits."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from telegram.error import RetryAfter

from bot.limiter import JSONDict, Pacer, PriorityLimiter


class Clock:
    """Monotonic time that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        # Those given a slot run first, at the moment they were given it.
        await asyncio.sleep(0)
        self.now += seconds


async def _served_in_order(pacer: Pacer, requests: list[str]) -> list[str]:
    """Queue ``requests`` ("reply..." or "scheduled...") in this order, all at once, and
    say in which order they got their slots."""
    served: list[str] = []

    async def one(name: str) -> None:
        async with pacer.slot(reply=name.startswith("reply")):
            served.append(name)

    tasks = [asyncio.create_task(one(name)) for name in requests]
    await asyncio.gather(*tasks)
    return served


async def test_a_reply_goes_before_the_scheduled_sends_waiting() -> None:
    clock = Clock()
    pacer = Pacer(30, monotonic=clock, sleep=clock.sleep)
    backlog = [f"scheduled {n}" for n in range(30)]

    served = await _served_in_order(pacer, [*backlog, "reply"])

    assert served == ["reply", *backlog], "the reply queued behind the scheduled sends"


async def test_a_reply_in_the_middle_of_a_drain_takes_the_next_slot() -> None:
    clock = Clock()
    pacer = Pacer(30, monotonic=clock, sleep=clock.sleep)
    served: list[str] = []

    behind: list[int] = []

    async def one(name: str, reply: bool) -> None:
        if reply:
            behind.append(pacer.waiting[1])
        async with pacer.slot(reply=reply):
            served.append(name)

    backlog = [asyncio.create_task(one(f"scheduled {n}", False)) for n in range(30)]
    while len(served) < 5:
        await asyncio.sleep(0)
    await asyncio.gather(one("reply", True), *backlog)

    [waiting] = behind
    assert 0 < waiting < 30
    assert served.index("reply") == 30 - waiting, "the reply waited behind scheduled sends"
    assert pacer.waiting == (0, 0)


async def test_slots_are_paced_and_never_more_than_the_rate_in_a_second() -> None:
    clock = Clock()
    pacer = Pacer(10, monotonic=clock, sleep=clock.sleep)
    moments: list[float] = []

    async def one() -> None:
        async with pacer.slot(reply=False):
            moments.append(clock.now)

    await asyncio.gather(*(one() for _ in range(35)))

    assert moments[1] - moments[0] == pytest.approx(0.1)
    for first, eleventh in zip(moments, moments[10:], strict=False):
        assert eleventh - first >= 1.0, "eleven slots inside one second"


async def _released_after_a_busy_loop(rate: float, busy: float) -> list[float]:
    """One send, then the loop busy for ``busy`` seconds, then 40 sends queued at once:
    the moment each got its slot."""
    clock = Clock()
    pacer = Pacer(rate, monotonic=clock, sleep=clock.sleep)
    await _served_in_order(pacer, ["scheduled first"])
    clock.now = busy
    released: list[float] = []

    async def one() -> None:
        async with pacer.slot(reply=False):
            released.append(clock.now)

    await asyncio.gather(*(one() for _ in range(40)))
    return released


async def test_paid_rate_slots_missed_while_the_loop_was_busy_are_made_up_at_once() -> None:
    """Above the free rate, a busy event loop (a long database turn, a garbage collection)
    costs many slots: up to PAID_CATCH_UP of them go at once when it is free again."""
    released = await _released_after_a_busy_loop(100, busy=0.2)  # 19 slots went by unused

    at_once = sum(1 for moment in released if moment == pytest.approx(0.2))
    assert at_once >= 19, "missed slots were lost instead of made up"
    later = [moment for moment in released if moment > 0.2 + 1e-9]
    assert all(b - a == pytest.approx(0.01) for a, b in itertools.pairwise(later))


async def test_at_the_free_rate_only_a_short_catch_up_so_replies_find_room() -> None:
    released = await _released_after_a_busy_loop(30, busy=1.0)

    at_once = sum(1 for moment in released if moment == pytest.approx(1.0))
    assert at_once <= 2, "a burst of made-up slots would hold the second from replies"


async def test_replies_keep_to_the_free_rate_while_paid_sends_go_faster() -> None:
    """With paid broadcast the token may send 100 a second, but replies carry no paid flag:
    at most the free rate of them in a second, the scheduled sends taking the other slots."""
    clock = Clock()
    pacer = Pacer(100, free_rate=3, monotonic=clock, sleep=clock.sleep)
    requests = [f"reply {n}" for n in range(6)] + [f"scheduled {n}" for n in range(20)]

    served = await _served_in_order(pacer, requests)

    assert served[:3] == ["reply 0", "reply 1", "reply 2"]
    assert served[3:23] == [f"scheduled {n}" for n in range(20)]


def test_a_rate_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="above 0"):
        Pacer(0)


async def test_a_429_holds_every_send_for_its_wait_then_tries_again() -> None:
    clock = Clock()
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = PriorityLimiter(Pacer(30, monotonic=clock, sleep=clock.sleep), sleep=sleep)
    answers: list[object] = [RetryAfter(2), {"ok": True}]

    async def call() -> JSONDict:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return {"answered": answer}

    result = await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 1}, None)

    assert result == {"answered": {"ok": True}} and slept == [pytest.approx(2.1)]


async def test_requests_that_write_to_no_chat_pass_without_a_slot() -> None:
    clock = Clock()
    pacer = Pacer(30, monotonic=clock, sleep=clock.sleep)
    limiter = PriorityLimiter(pacer)

    async def call() -> bool:
        return True

    assert await limiter.process_request(call, (), {}, "answerCallbackQuery", {}, None)
    assert clock.now == 0.0 and pacer.waiting == (0, 0)


async def _settle() -> None:
    """Let every task that can run, run (the pacer's sleeps move the clock)."""
    for _ in range(50):
        await asyncio.sleep(0)


class Sends:
    """Sends through a pacer whose answers the test gives, each at a moment it chooses."""

    def __init__(self, pacer: Pacer, clock: Clock) -> None:
        self.pacer = pacer
        self.clock = clock
        self.released: dict[str, float] = {}
        self._answers: dict[str, asyncio.Event] = {}
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, name: str, *, answered_at_once: bool = False) -> None:
        answer = self._answers[name] = asyncio.Event()
        if answered_at_once:
            answer.set()

        async def send() -> None:
            async with self.pacer.slot(reply=False):
                self.released[name] = self.clock.now
                await answer.wait()

        self._tasks.append(asyncio.create_task(send()))

    async def answer(self, name: str, at: float) -> None:
        self.clock.now = at
        self._answers[name].set()
        await _settle()

    async def finish(self) -> None:
        for answer in self._answers.values():
            answer.set()
        await asyncio.gather(*self._tasks)


async def test_a_stalled_send_stops_holding_its_place_after_the_margin() -> None:
    """Two sends whose answers never come, at a rate of 2: they are taken to have reached
    Telegram by half a second after their release, so the third goes a second after that,
    while both still wait for their answers."""
    clock = Clock()
    sends = Sends(Pacer(2, monotonic=clock, sleep=clock.sleep), clock)
    for name in ("first", "second", "third"):
        sends.start(name)
    await _settle()

    assert sends.released == {
        "first": 0.0,
        "second": pytest.approx(0.5),
        "third": pytest.approx(1.5),
    }, "a stalled send held its place until its answer"
    await sends.finish()


async def test_an_answered_send_counts_until_a_second_after_its_answer() -> None:
    """However late a released request reaches Telegram, it arrived before its answer: a
    send answered within the margin counts until a second after the answer, not after its
    release or its margin."""
    clock = Clock()
    sends = Sends(Pacer(2, monotonic=clock, sleep=clock.sleep), clock)
    sends.start("first")
    await _settle()
    await sends.answer("first", at=0.3)
    sends.start("second")
    await _settle()
    await sends.answer("second", at=0.9)
    sends.start("third")
    sends.start("fourth")
    await _settle()

    assert sends.released["second"] == pytest.approx(0.5)
    assert sends.released["third"] == pytest.approx(1.3), "counted from the release"
    assert sends.released["fourth"] == pytest.approx(1.9), "counted from the release"
    await sends.finish()


async def test_a_late_answer_counts_its_send_again_until_a_second_after_it() -> None:
    """An answer after the margin says the request may have arrived that late: the send
    counts again, until a second after that answer."""
    clock = Clock()
    sends = Sends(Pacer(1, monotonic=clock, sleep=clock.sleep), clock)
    sends.start("stalled")
    sends.start("next", answered_at_once=True)
    await _settle()
    assert sends.released["next"] == pytest.approx(1.5), "the stall's place came back at 1.5"
    await sends.answer("stalled", at=1.6)
    sends.start("after the answer", answered_at_once=True)
    await _settle()

    # "next" counts until 2.5, the stalled send again until 2.6: two places, at a rate of 1.
    assert sends.released["after the answer"] == pytest.approx(2.6)
    await sends.finish()


async def test_a_send_cancelled_as_its_slot_comes_frees_its_place_after_the_margin() -> None:
    """A send cancelled after its release but before its request never closes its place
    (its block never ran); it still frees it, as an unanswered send, instead of holding it
    for good."""
    clock = Clock()
    pacer = Pacer(1, monotonic=clock, sleep=clock.sleep)
    entered: list[str] = []

    async def send(name: str) -> None:
        async with pacer.slot(reply=False):
            entered.append(name)

    cancelled = asyncio.create_task(send("cancelled"))
    await asyncio.sleep(0)
    assert pacer.waiting == (0, 1)
    while pacer.waiting != (0, 0):  # until the pacer has released it, not a step further
        await asyncio.sleep(0)
    cancelled.cancel()
    await asyncio.gather(cancelled, return_exceptions=True)
    assert entered == [] and cancelled.cancelled(), "the race this test is about did not happen"

    later = asyncio.create_task(send("later"))
    await _settle()

    assert entered == ["later"] and clock.now == pytest.approx(1.5)
    await later
