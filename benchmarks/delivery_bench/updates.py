"""5. One update through the stand-in: the real bot's commands next to a bare echo bot."""

from __future__ import annotations

import statistics
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from time import perf_counter
from typing import Any

import aiosqlite.core
from telegram import Update
from telegram.ext import CallbackContext, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from benchmarks.delivery_bench.common import (
    BENCH_DAY,
    JSON,
    StatementTimer,
    bare_application,
    sqlite_url,
)
from bot.app import build_application
from bot.context import Services
from bot.settings import Settings
from bot.standin import ChatDriver, StandInBotAPI
from lessons import Track, load_catalog, load_library
from scheduler.actions import course as course_actions
from scheduler.actions import schedule
from scheduler.clock import ManualClock
from scheduler.model import EVERY_DAY
from scheduler.store import Store


class TimedStandIn(StandInBotAPI):
    """The stand-in, keeping the time spent inside it: there, Telegram's share of an update
    is Python reading the bot's HTML, work a real Bot API server does elsewhere."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.spent = 0.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        started = perf_counter()
        try:
            return await super().do_request(url, method, request_data)
        finally:
            self.spent += perf_counter() - started


async def _echo(update: Update, _context: CallbackContext[Any, Any, Any, Any]) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


class ThreadTrips:
    """Counts the calls aiosqlite hands to its connection's thread: each is a wake-up of
    that thread and of the event loop, the cost under every SQLite statement."""

    def __init__(self) -> None:
        self.count = 0
        self._original: Any = None

    def __enter__(self) -> ThreadTrips:
        self._original = original = aiosqlite.core.Connection._execute

        async def counted(connection: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await original(connection, *args, **kwargs)

        aiosqlite.core.Connection._execute = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        aiosqlite.core.Connection._execute = self._original  # type: ignore[method-assign]


PER_PERSON = 20
"""Lessons each opted-in reader reads: days 1 to 20 of a 30-day course, so every timed
``/lesson`` shows a lesson and saves the course, never the "course complete" answer."""
WARM_UP = 20
SQL_SAMPLE = 40

Probe = Callable[[], Awaitable[object]]


class Turns:
    """Opted-in readers, each used for ``PER_PERSON`` lessons, then the next one."""

    def __init__(self, chat_ids: Sequence[int]) -> None:
        self.chat_ids = list(chat_ids)
        self._turns = iter([chat for chat in chat_ids for _ in range(PER_PERSON)])

    def next(self) -> int:
        return next(self._turns)


def people_needed(count: int) -> int:
    return -(-(WARM_UP + count + SQL_SAMPLE) // PER_PERSON)


async def opted_in(store: Store, now: datetime, chat_ids: Sequence[int]) -> None:
    """Daily lessons on every day, as ``/daily`` leaves them; untimed."""
    choices = schedule.Choices(Track.SELF, EVERY_DAY, time(20), "Europe/Berlin")
    for chat_id in chat_ids:
        await schedule.choose_daily_lessons(store, now, chat_id, choices, "en")


def replied(driver: ChatDriver, text: str) -> Probe:
    async def send() -> None:
        if not await driver.send(text):
            raise RuntimeError(f"{text!r} got no reply")

    return send


async def interleaved(probes: dict[str, Probe], apis: dict[str, TimedStandIn], count: int) -> JSON:
    """Every probe once a round, ``count`` rounds after a warm-up, so a machine whose load
    changes meanwhile (others share it) weighs on each probe alike: the ratios to the echo
    bot are taken over the same moments. Then, in a separate pass so the timer cannot touch
    the percentiles, the SQL each probe runs."""
    for _ in range(WARM_UP):
        for probe in probes.values():
            await probe()
    times: dict[str, list[float]] = {name: [] for name in probes}
    standin: dict[str, float] = dict.fromkeys(probes, 0.0)
    for _ in range(count):
        for name, probe in probes.items():
            api = apis.get(name)
            before = api.spent if api is not None else 0.0
            started = perf_counter()
            await probe()
            times[name].append((perf_counter() - started) * 1000)
            standin[name] += (api.spent - before) if api is not None else 0.0
    result: JSON = {}
    for name, probe in probes.items():
        with StatementTimer() as timer, ThreadTrips() as trips:
            for _ in range(SQL_SAMPLE):
                await probe()
        spent = timer.summary().values()
        result[name] = {
            "pct": percentiles(times[name]),
            "standin_ms": standin[name] / count * 1000,
            "sql": [sum(n for n, _ in spent) / SQL_SAMPLE, sum(ms for _, ms in spent) / SQL_SAMPLE],
            "trips": trips.count / SQL_SAMPLE,
        }
    return result


async def updates_worker(spec: JSON) -> JSON:
    """The real app without a rate limiter (30 messages a second would measure the
    limiter, not the update) next to a bare echo bot, in one process. Everyone measured has
    opted in; the actions alone (no Telegram) show the store's share of each update."""
    count, path = spec["count"], Path(spec["db"])
    store = await Store.open(sqlite_url(path))
    clock = ManualClock(datetime.combine(BENCH_DAY, time(12), UTC))
    catalog = load_catalog()
    api, echo_api = TimedStandIn(clock=clock.now), TimedStandIn(clock=clock.now)
    services = Services(store=store, library=load_library(), clock=clock)
    application = build_application(Settings(), services, request=api, rate_limited=False)
    echo = bare_application(echo_api)
    echo.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    await application.initialize()
    await echo.initialize()
    readers, acting = (
        Turns(range(1001, 1001 + people_needed(count))),
        Turns(range(50_001, 50_001 + people_needed(count))),
    )
    await opted_in(store, clock.now(), [*readers.chat_ids, *acting.chat_ids, 900])
    person = ChatDriver(application, api, chat_id=900)

    async def lesson() -> None:
        await replied(ChatDriver(application, api, chat_id=readers.next()), "/lesson")()

    probes: dict[str, Probe] = {
        "echo": replied(ChatDriver(echo, echo_api, chat_id=900), "hello"),
        "help": replied(person, "/help"),
        "daily": replied(person, "/daily"),
        "lesson": lesson,
        "store_call": lambda: store.find_subscriber(900),
        "daily_action": lambda: schedule.daily_lessons(store, 900),
        "lesson_action": lambda: course_actions.read_next_lesson(
            store, catalog, acting.next(), "en"
        ),
    }
    apis = {"echo": echo_api, "help": api, "daily": api, "lesson": api}
    result = await interleaved(probes, apis, count)
    result["lesson_positions"] = await positions(store, readers.chat_ids + acting.chat_ids)
    await application.shutdown()
    await echo.shutdown()
    await store.close()
    return result


async def positions(store: Store, chat_ids: Sequence[int]) -> list[int]:
    """The lowest and highest course position afterwards: at most 22 of 30 shows that no
    /lesson measured ran past the end of the course."""
    found = []
    for chat_id in chat_ids:
        subscriber = await store.find_subscriber(chat_id)
        assert subscriber is not None
        found.append((await store.course(subscriber.id)).position)
    return [min(found), max(found)]


def percentiles(times: Sequence[float]) -> list[float]:
    """[p50, p99] in milliseconds."""
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return [cuts[49], cuts[98]]
