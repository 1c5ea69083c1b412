"""3. The send rate of the real Application against a stand-in that refuses over 30 msg/s."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from time import perf_counter

from telegram.ext import AIORateLimiter, ApplicationBuilder, BaseRateLimiter

from benchmarks.delivery_bench.common import CHAT_BASE, JSON, RATE_LIMIT, AnyApplication
from benchmarks.delivery_bench.plan import Plan
from benchmarks.delivery_bench.population import due_store, statuses_since
from benchmarks.delivery_bench.processes import run_worker
from bot.app import OFFLINE_TOKEN, build_application, rate_limiter
from bot.context import Services, engine_of
from bot.settings import Settings
from bot.standin import StandInBotAPI
from lessons import load_library
from scheduler.clock import ManualClock


async def rate_worker(spec: JSON) -> JSON:
    """The real Application, its limiter and TelegramSender, one tick of due lessons."""
    path, tick = Path(spec["db"]), datetime.fromisoformat(spec["tick"])
    store, _ = await due_store(path, spec["count"], tick)
    clock = ManualClock(tick)
    api = StandInBotAPI(clock=clock.now, max_per_second=RATE_LIMIT)
    services = Services(store=store, library=load_library(), clock=clock)
    application = build_application(Settings(), services, request=api, rate_limited=True)
    await application.initialize()
    started = perf_counter()
    report = await engine_of(application).tick()
    elapsed = perf_counter() - started
    await application.shutdown()
    await store.close()
    return {
        "count": spec["count"],
        "elapsed_s": elapsed,
        "sent": report.sent,
        "retried": report.retried,
        "delivered_chats": len({message.chat_id for message in api.outgoing}),
        "messages": len(api.outgoing),
        "rejected_429": api.rejected_by_rate_limit,
        "statuses": await statuses_since(path, tick),
    }


async def limiter_worker(spec: JSON) -> JSON:
    """A limiter alone, no engine or database: sequential sends to distinct chats.
    ``smooth`` is the one ``bot.app.rate_limiter`` gives every rate-limited bot (one message
    every 1/30 s); the other is PTB's AIORateLimiter with its default bucket of 30, to show
    what pacing gains."""
    count = spec["count"]
    api = StandInBotAPI(max_per_second=RATE_LIMIT)
    limiter: BaseRateLimiter[int] = (
        rate_limiter(Settings())
        if spec["smooth"]
        else AIORateLimiter(max_retries=3)  # PTB's default shape
    )
    application: AnyApplication = (
        ApplicationBuilder()
        .token(OFFLINE_TOKEN)
        .request(api)
        .get_updates_request(api)
        .rate_limiter(limiter)
        .build()
    )
    await application.initialize()
    started = perf_counter()
    for number in range(1, count + 1):
        await application.bot.send_message(CHAT_BASE + number, "A lesson")
    elapsed = perf_counter() - started
    await application.shutdown()
    return {
        "count": count,
        "elapsed_s": elapsed,
        "rejected_429": api.rejected_by_rate_limit,
        "messages": len(api.outgoing),
    }


def measure_limiter(plan: Plan) -> dict[str, JSON]:
    return {
        shape: run_worker(
            "limiter", {"count": plan.rate_count, "smooth": shape == "smooth"}, plan.remaining(120)
        )
        for shape in ("burst", "smooth")
    }
