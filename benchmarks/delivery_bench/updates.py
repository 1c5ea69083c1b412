"""5. One update through the stand-in: the real bot's commands next to a bare echo bot."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from time import perf_counter
from typing import Any

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
from lessons import load_catalog
from scheduler.clock import ManualClock
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


async def timed_send(driver: ChatDriver, text: str) -> float:
    """Milliseconds from building the update to the bot's last reply."""
    started = perf_counter()
    if not await driver.send(text):
        raise RuntimeError(f"{text!r} got no reply")
    return (perf_counter() - started) * 1000


async def latencies(driver: ChatDriver, api: TimedStandIn, text: str, count: int) -> JSON:
    """p50 and p99 after a warm-up, the stand-in's share, and (in a separate pass, so the
    timer cannot touch the percentiles) the SQL each update runs."""
    for _ in range(20):
        await timed_send(driver, text)
    api.spent = 0.0
    times = [await timed_send(driver, text) for _ in range(count)]
    standin_ms = api.spent / count * 1000
    with StatementTimer() as timer:
        for _ in range(50):
            await timed_send(driver, text)
    spent = timer.summary().values()
    statements, driver_ms = sum(n for n, _ in spent) / 50, sum(ms for _, ms in spent) / 50
    return {"pct": percentiles(times), "standin_ms": standin_ms, "sql": [statements, driver_ms]}


async def updates_worker(spec: JSON) -> JSON:
    """The real app without a rate limiter: 30 messages a second would measure the limiter,
    not the update. The bare echo bot has none either."""
    count, path = spec["count"], Path(spec["db"])
    store = await Store.open(sqlite_url(path))
    clock = ManualClock(datetime.combine(BENCH_DAY, time(12), UTC))
    api = TimedStandIn(clock=clock.now)
    services = Services(store=store, catalog=load_catalog(), clock=clock)
    application = build_application(Settings(), services, request=api, rate_limited=False)
    await application.initialize()
    person = ChatDriver(application, api, chat_id=1001)
    result = {
        "help": await latencies(person, api, "/help", count),
        "lesson": await latencies(person, api, "/lesson", count),
        "store_call": await store_call_latency(store, 1001, count),
    }
    await application.shutdown()
    await store.close()
    echo_api = TimedStandIn(clock=clock.now)
    echo = bare_application(echo_api)
    echo.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    await echo.initialize()
    echo_driver = ChatDriver(echo, echo_api, chat_id=1001)
    result["echo"] = await latencies(echo_driver, echo_api, "hello", count)
    await echo.shutdown()
    return result


async def store_call_latency(store: Store, chat_id: int, count: int) -> JSON:
    """One ``find_subscriber`` (``/start`` makes exactly this one): the floor under any
    update that touches the store, with no Telegram in it at all."""
    for _ in range(20):
        await store.find_subscriber(chat_id)
    times: list[float] = []
    for _ in range(count):
        started = perf_counter()
        await store.find_subscriber(chat_id)
        times.append((perf_counter() - started) * 1000)
    with StatementTimer() as timer:
        await store.find_subscriber(chat_id)
    spent = timer.summary().values()
    statements = [sum(n for n, _ in spent), sum(ms for _, ms in spent)]
    return {"pct": percentiles(times), "standin_ms": 0.0, "sql": statements}


def percentiles(times: Sequence[float]) -> list[float]:
    """[p50, p99] in milliseconds."""
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return [cuts[49], cuts[98]]
