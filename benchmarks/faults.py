"""Fault figures: what the promises of "at most once" and "lose almost nothing" come to.

    python benchmarks/faults.py [--quick] [--json PATH]

The scenarios of ``tests/faults`` at a larger size, counted instead of asserted:

1. Telegram accepts, but its answer misses the read timeout (or the connection drops).
2. Answers that prove nothing was delivered: 429, 5xx, connection refused; and 403.
3. ``kill -9`` of a real ``softlanding run`` mid-fan-out, then a restart.
4. One chat in ten stalling: the real rate-limited Application, against the limit.
5. A command's reply time while a 10,000-lesson fan-out runs (in-process stand-in).

Duplicates are messages beyond the first that one chat received; losses are chats that
received nothing although they were not blocked. 1 to 4 talk HTTP to a fake Bot API on
127.0.0.1 (``tests.faults.fake_bot_api``); nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.delivery_bench.population import due_store  # noqa: E402
from bot.app import build_application  # noqa: E402
from bot.context import Services, engine_of  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.standin import ChatDriver, StandInBotAPI  # noqa: E402
from lessons import load_library  # noqa: E402
from scheduler.clock import ManualClock  # noqa: E402
from scheduler.crypto import read_key_file  # noqa: E402
from scheduler.store import Store, default_key_file  # noqa: E402
from tests.faults.conftest import LATER, NOW, Slept, due_lessons, engine_for, real_bot  # noqa: E402
from tests.faults.fake_bot_api import TOKEN, FakeBotAPI, Fault  # noqa: E402

JSON = dict[str, Any]
RATE_LIMIT = 30


def tally(chats: Sequence[int], received: Counter[int], blocked: Collection[int] = ()) -> JSON:
    return {
        "people": len(chats),
        "duplicates": sum(count - 1 for count in received.values() if count > 1),
        "lost": sum(1 for chat in chats if chat not in received and chat not in blocked),
    }


async def _store(folder: Path, name: str) -> Store:
    return await Store.open(f"sqlite:///{folder / name}")


async def later_ticks(engine: Any, clock: ManualClock) -> int:
    """The ticks after the first: the next, one past the lease, one past the grace."""
    handled = 0
    for later in LATER:
        clock.set(NOW + later)
        handled += (await engine.tick()).handled
    return handled


async def accepted_unanswered(folder: Path, people: int) -> JSON:
    """1. Every tenth chat stalls past the read timeout, every tenth but five drops."""
    store = await _store(folder, "unanswered.db")
    chats = await due_lessons(store, people)
    api = FakeBotAPI()
    for number, chat in enumerate(chats):
        if number % 10 == 0:
            api.fail(chat, Fault.STALL)
        elif number % 10 == 5:
            api.fail(chat, Fault.DROP)
    clock = ManualClock(NOW)
    with api.serving() as url:
        async with real_bot(url, read_timeout=0.5) as bot:
            engine = engine_for(store, bot, clock, Slept())
            first = await engine.tick()
            again = await later_ticks(engine, clock)
            api.release()
    stats = (await store.stats(NOW)).deliveries_today
    await store.close()
    faults = sum(1 for number in range(people) if number % 10 in (0, 5))
    return {
        **tally(chats, api.chats()),
        "faults": faults,
        "unknown": first.unknown,
        "handled_later": again,
        "log": stats,
    }


async def refusals(folder: Path, people: int) -> JSON:
    """2. 429 (retry_after 1) for a tenth, two 5xx for a tenth, 403 for a tenth; then the
    whole first tick against a port that refuses connections, and Telegram back later."""
    store = await _store(folder, "refusals.db")
    chats = await due_lessons(store, people)
    api = FakeBotAPI()
    blocked: set[int] = set()
    for number, chat in enumerate(chats):
        if number % 10 == 1:
            api.fail(chat, Fault.TOO_MANY)
        elif number % 10 == 2:
            api.fail(chat, Fault.SERVER_ERROR, Fault.SERVER_ERROR)
        elif number % 10 == 3:
            api.fail(chat, Fault.BLOCKED)
            blocked.add(chat)
    clock = ManualClock(NOW)
    with ExitStack() as telegram:
        url = telegram.enter_context(api.serving())
        port = int(url.rsplit(":", 1)[1])
        async with real_bot(url, read_timeout=2.0) as bot:
            engine = engine_for(store, bot, clock, Slept())
            telegram.close()
            down = await engine.tick()
            with api.serving(port):
                clock.set(NOW + LATER[0])
                back = await engine.tick()
                for later in LATER[1:]:
                    clock.set(NOW + later)
                    await engine.tick()
    stats = (await store.stats(NOW)).deliveries_today
    await store.close()
    return {
        **tally(chats, api.chats(), blocked),
        "refused_then_retried": down.retried,
        "sent_when_back": back.sent,
        "blocked": back.blocked,
        "requests": api.requests["sendMessage"],
        "log": stats,
    }


# --- 3. kill -9 mid-fan-out ------------------------------------------------------------------


@contextmanager
def softlanding_run(folder: Path, url: str, database: Path) -> Iterator[subprocess.Popen[bytes]]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DATABASE_", "DELIVERY_", "WEBHOOK_", "SEND_"))
    }
    environment |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": url,
        "DATABASE_URL": f"sqlite:///{database}",
        "DELIVERY_LEASE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=folder,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=60)


def statuses(database: Path) -> dict[int, str]:
    """Each chat's status in the delivery log, read beside the running bot: the chat ids are
    sealed, and the bot's key file (the default one beside the data folder) opens them."""
    key = read_key_file(default_key_file(f"sqlite:///{database}"), "DATA_KEY_FILE")
    with sqlite3.connect(database, timeout=60) as connection:
        rows = connection.execute(
            "SELECT subscribers.chat_sealed, deliveries.status FROM deliveries "
            "JOIN subscribers ON subscribers.id = deliveries.subscriber_id"
        ).fetchall()
    return {key.open(sealed): str(status) for sealed, status in rows}


def wait_for(condition: Callable[[], bool], bound: float = 300.0) -> None:
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the fault scenario did not settle in time")
        time.sleep(0.05)


def killed_mid_fan_out(folder: Path, people: int, kill_after: int) -> JSON:
    """3. A tick claims every due lesson (up to 1,000), sends them 30 at a time, each
    answered after 0.3 s; SIGKILL once ``kill_after`` were accepted, then a restart."""
    database = folder / "crash" / "softlanding.db"

    async def fill() -> list[int]:
        store = await Store.open(f"sqlite:///{database}")
        try:
            return await due_lessons(store, people, due=datetime.now(UTC) - timedelta(minutes=1))
        finally:
            await store.close()

    chats = asyncio.run(fill())
    api = FakeBotAPI(answer_delay=0.3)
    with api.serving() as url:
        with softlanding_run(folder, url, database) as process:
            wait_for(lambda: len(api.accepted) >= kill_after)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
        accepted_at_kill = len(api.accepted)
        at_kill = statuses(database)
        in_flight = {chat for chat, status in at_kill.items() if status == "sending"}
        not_started = {chat for chat, status in at_kill.items() if status == "claimed"}
        with softlanding_run(folder, url, database) as process:
            expected = Counter({"sent": people - len(in_flight), "sending": len(in_flight)})
            wait_for(lambda: Counter(statuses(database).values()) == expected)
            process.send_signal(signal.SIGTERM)
        received = api.chats()
    return {
        **tally(chats, received),
        "accepted_at_kill": accepted_at_kill,
        "in_flight_at_kill": len(in_flight),
        "claimed_not_started_at_kill": len(not_started),
        "not_started_delivered_after_restart": len(not_started & set(received)),
        "lost_in_flight": len(set(chats) - set(received)),
    }


# --- 4. one chat in ten stalling, at the rate limit -----------------------------------------


async def stalled_throughput(folder: Path, people: int, *, stalling: bool = True) -> JSON:
    """The real Application (``build_application``: its limiter at 30 msg/s, the engine's
    tick draining the backlog, PTB's HTTPXRequest with its 5 s read timeout) over HTTP;
    every tenth chat's answer never comes. Without ``stalling``, the same run with no
    fault: what this harness reaches on this machine at all."""
    store = await _store(folder, f"stalls-{stalling}.db")
    chats = await due_lessons(store, people)
    api = FakeBotAPI()
    for chat in chats[::10] if stalling else []:
        api.fail(chat, Fault.STALL)
    clock = ManualClock(NOW)
    with api.serving() as url:
        settings = Settings(token=TOKEN, api_base_url=url)
        services = Services(store=store, library=load_library(), clock=clock)
        application = build_application(settings, services, rate_limited=True)
        await application.initialize()
        marks: list[tuple[float, int]] = []
        sampling = asyncio.create_task(_sample(api, marks))
        started = time.perf_counter()
        report = await engine_of(application).tick()
        elapsed = time.perf_counter() - started
        sampling.cancel()
        api.release()
        await application.shutdown()
    await store.close()
    first = next(at for at, count in marks if count > 0)
    last = min(at for at, count in marks if count == marks[-1][1])
    rate = (marks[-1][1] - 1) / (last - first) if last > first else 0.0
    return {
        **tally(chats, api.chats()),
        "stalled": len(chats[::10]) if stalling else 0,
        "sent": report.sent,
        "unknown": report.unknown,
        "tick_s": elapsed,
        "accepting_s": last - first,
        "rate": rate,
        "share_of_limit": rate / RATE_LIMIT,
    }


async def _sample(api: FakeBotAPI, marks: list[tuple[float, int]]) -> None:
    """When each message was accepted, to a tenth of a second."""
    while True:
        marks.append((time.perf_counter(), len(api.accepted)))
        await asyncio.sleep(0.05)


# --- 5. replies while 10,000 lessons go out --------------------------------------------------


async def replies_under_fan_out(folder: Path, lessons: int, seconds: float) -> JSON:
    """The real Application (``build_application``, whose limiter lets replies go before
    scheduled sends) on the in-process stand-in limited to 30 msg/s, ``lessons`` due at
    once, ticks back to back; meanwhile a person sends /help every 0.25 s."""
    tick_at = NOW
    store, _ = await due_store(folder / "fanout.db", lessons, tick_at)
    clock = ManualClock(tick_at)
    api = StandInBotAPI(clock=clock.now, max_per_second=RATE_LIMIT)
    services = Services(store=store, library=load_library(), clock=clock)
    application = build_application(Settings(), services, request=api, rate_limited=True)
    await application.initialize()
    engine = engine_of(application)

    async def fan_out() -> None:
        while not engine.stopping:
            if (await engine.tick()).handled == 0:
                return

    person = ChatDriver(application, api, chat_id=7)
    idle = []
    for _ in range(20):
        before = time.perf_counter()
        await person.send("/help")
        idle.append(time.perf_counter() - before)
    sending = asyncio.create_task(fan_out())
    times: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        before = time.perf_counter()
        if not await person.send("/help"):
            raise RuntimeError("/help got no reply")
        times.append(time.perf_counter() - before)
        await asyncio.sleep(0.25)
    window = time.perf_counter() - started
    scheduled = sum(1 for message in api.outgoing if message.chat_id != 7)
    await engine.stop()
    sending.cancel()
    await application.shutdown()
    await store.close()
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "lessons_due": lessons,
        "window_s": window,
        "replies": len(times),
        "p50_s": cuts[49],
        "p95_s": cuts[94],
        "max_s": max(times),
        "idle_p50_s": statistics.median(idle),
        "scheduled_sent_in_window": scheduled,
        "scheduled_rate": scheduled / window,
        "rejected_429": api.rejected_by_rate_limit,
    }


# --- the run ----------------------------------------------------------------------------------


def run(quick: bool) -> JSON:
    people = 200 if quick else 1000
    with tempfile.TemporaryDirectory(prefix="softlanding-faults-") as name:
        folder = Path(name)
        results: JSON = {"machine": machine(), "quick": quick}
        results["unanswered"] = asyncio.run(accepted_unanswered(folder, people))
        results["refusals"] = asyncio.run(refusals(folder, people))
        results["crash"] = killed_mid_fan_out(folder, 300 if quick else 1000, 100)
        results["stalls"] = asyncio.run(stalled_throughput(folder, 300 if quick else 900))
        results["no_stalls"] = asyncio.run(
            stalled_throughput(folder, 300 if quick else 900, stalling=False)
        )
        results["fan_out"] = asyncio.run(
            replies_under_fan_out(folder, 10_000, 30.0 if quick else 120.0)
        )
    return results


def machine() -> JSON:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    return {
        "CPU": f"{model}, {os.cpu_count()} logical cores",
        "Python": platform.python_version(),
        "started (UTC)": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "load average (1 min) at start": f"{os.getloadavg()[0]:.2f}",
    }


def report(results: JSON) -> str:
    names = ("unanswered", "refusals", "crash", "stalls", "fan_out", "no_stalls")
    u, r, c, s, f, n = (results[k] for k in names)
    lines = [
        "| scenario | people | duplicates | lost | detail |",
        "|---|---|---|---|---|",
        f"| accepted, answer missed the read timeout or the connection dropped "
        f"({u['faults']} of them) | {u['people']} | {u['duplicates']} | {u['lost']} | "
        f"{u['unknown']} recorded unknown and never resent; later ticks handled "
        f"{u['handled_later']}; log {u['log']} |",
        f"| 429, 5xx x2, 403 for a tenth each, the first tick refused | {r['people']} | "
        f"{r['duplicates']} | {r['lost']} | {r['refused_then_retried']} refused then due again, "
        f"{r['sent_when_back']} sent once back, {r['blocked']} blocked (not counted lost); "
        f"log {r['log']} |",
        f"| SIGKILL after {c['accepted_at_kill']} accepted, then a restart | {c['people']} | "
        f"{c['duplicates']} | {c['lost']} | {c['in_flight_at_kill']} in flight at the kill "
        f"(the bound: 30); {c['claimed_not_started_at_kill']} claimed but not started, "
        f"{c['not_started_delivered_after_restart']} of them delivered after the restart |",
        f"| one chat in ten stalls (real Application, its 30 msg/s limiter) | {s['people']} | "
        f"{s['duplicates']} | {s['lost']} | {s['rate']:.1f} msg/s = {s['share_of_limit']:.0%} "
        f"of 30 while sending; {s['unknown']} stalled sends unknown, tick {s['tick_s']:.1f} s |",
        f"| control: the same, no chat stalls | {n['people']} | {n['duplicates']} | "
        f"{n['lost']} | {n['rate']:.1f} msg/s = {n['share_of_limit']:.0%} of 30 while sending; "
        f"tick {n['tick_s']:.1f} s |",
    ]
    aims = [
        "| aim | measured | |",
        "|---|---|---|",
        _aim(
            "no duplicates in any scenario",
            _all(results, "duplicates") == 0,
            f"{_all(results, 'duplicates')} in all",
        ),
        _aim(
            "nothing lost that certainly did not arrive (1, 2, 4)",
            u["lost"] + r["lost"] + s["lost"] == 0,
            f"{u['lost'] + r['lost'] + s['lost']} lost",
        ),
        _aim(
            "a crash loses at most the sends in flight (<= 30)",
            c["lost"] <= c["in_flight_at_kill"] <= 30,
            f"{c['lost']} lost, {c['in_flight_at_kill']} in flight",
        ),
        _aim(
            ">= 90% of the rate limit with one chat in ten stalling",
            s["share_of_limit"] >= 0.9,
            f"{s['share_of_limit']:.0%}",
        ),
        _aim(
            "a command's reply p95 < 1 s during a 10,000-lesson fan-out",
            f["p95_s"] < 1.0,
            f"p50 {f['p50_s']:.2f} s, p95 {f['p95_s']:.2f} s, max {f['max_s']:.2f} s over "
            f"{f['replies']} /help in {f['window_s']:.0f} s (with no fan-out: p50 "
            f"{f['idle_p50_s'] * 1000:.0f} ms); {f['scheduled_sent_in_window']} "
            f"lessons went out meanwhile ({f['scheduled_rate']:.1f} msg/s)",
        ),
    ]
    machine_lines = [f"- {key}: {value}" for key, value in results["machine"].items()]
    mode = "quick" if results["quick"] else "full"
    return "\n".join([f"Mode: {mode}", *machine_lines, "", *lines, "", *aims])


def _all(results: JSON, key: str) -> int:
    return sum(results[name][key] for name in ("unanswered", "refusals", "crash", "stalls"))


def _aim(aim: str, passed: bool, measured: str) -> str:
    return f"| {aim} | {measured} | {'PASS' if passed else 'MISS'} |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller counts, about 2 minutes")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    arguments = parser.parse_args(argv)
    results = run(arguments.quick)
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(results, indent=1, default=str))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
