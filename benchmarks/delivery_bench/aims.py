"""The aims the figures answer, each marked PASS, MISS or n/a."""

from __future__ import annotations

import statistics
from collections.abc import Iterator

from benchmarks.delivery_bench.common import JSON, RATE_LIMIT
from benchmarks.delivery_bench.plan import Results


def tick_stats(result: JSON) -> tuple[float, float, float, int]:
    """The steady ticks' p50 ms and p50 due, and the slowest tick's ms and due."""
    ticks = result["ticks"]
    slowest = max(ticks, key=lambda tick: tick[0])
    p50 = statistics.median(ms for ms, _ in ticks)
    return p50, statistics.median(due for _, due in ticks), slowest[0], slowest[1]


def rate_figures(rate: JSON) -> tuple[float, bool]:
    """Messages a second over the tick, and whether nothing was lost."""
    lossless = (
        rate["sent"] == rate["count"]
        and rate["statuses"] == {"sent": rate["count"]}
        and rate["delivered_chats"] == rate["count"] == rate["messages"]
    )
    return rate["sent"] / rate["elapsed_s"], lossless


def mark(passed: bool | None) -> str:
    return "n/a" if passed is None else ("PASS" if passed else "MISS")


def aim_rows(results: Results) -> Iterator[list[object]]:
    yield tick_aim(results)
    for backend in ("sqlite", "postgresql"):
        row = flat_aim(results, backend)
        if row is not None:
            yield row
    yield rate_aim(results)
    yield engine_aim(results)
    yield update_aim(results)


def tick_aim(results: Results) -> list[object]:
    found = [
        r
        for r in results.store
        if r["backend"] == "sqlite" and r["size"] == 1_000_000 and "error" not in r
    ]
    if not found:
        return ["one tick < 50 ms at 1,000,000 subscribers (SQLite)", "not measured", mark(None)]
    p50, due, *_ = tick_stats(found[0])
    return [
        "one tick < 50 ms at 1,000,000 subscribers (SQLite)",
        f"{p50:.1f} ms p50 ({due:g} due)",
        mark(p50 < 50),
    ]


FLAT = 1.5
"""Flat: the largest size within this factor of the smallest, for memory and start-up."""


def flat_aim(results: Results, backend: str) -> list[object] | None:
    """Start-up is ``Store.open``: what a process does before it can deliver, as the JobQueue
    figures are create and start with nothing sent. The first claim is a tick, and grows
    with the items due in its minute as every tick does; it is shown, not judged, here."""
    found = [r for r in results.store if r["backend"] == backend and "error" not in r]
    if len(found) < 2:
        return None
    small, large = found[0], found[-1]
    memory = large["rss_mib"] / small["rss_mib"]
    opened = large["open_ms"] / small["open_ms"]
    claimed = large["first_tick"][0] / small["first_tick"][0]
    due = f"{small['first_tick'][1]} -> {large['first_tick'][1]} due"
    return [
        f"memory and start-up flat ({backend}, {small['size']:,} -> {large['size']:,})",
        f"RSS x{memory:.2f}, start-up (open) x{opened:.2f}; flat: <= x{FLAT}. "
        f"Not judged: the first claim x{claimed:.1f} ({due})",
        mark(memory <= FLAT and opened <= FLAT),
    ]


STEADY_RATE_COUNT = 600
"""Below this many messages the first second's burst of 30 skews the rate by over 5%."""


def rate_aim(results: Results) -> list[object]:
    aim = f">= 95% of {RATE_LIMIT} msg/s, nothing lost"
    if "error" in results.rate:
        return [aim, results.rate["error"], mark(None)]
    per_second, lossless = rate_figures(results.rate)
    measured = f"{per_second / RATE_LIMIT:.0%}, {'nothing' if lossless else 'SOMETHING'} lost"
    if results.rate["count"] < STEADY_RATE_COUNT:
        return [aim, f"{measured} (too few messages to judge)", mark(None)]
    return [aim, measured, mark(per_second >= 0.95 * RATE_LIMIT and lossless)]


def engine_aim(results: Results) -> list[object]:
    aim = "engine alone >= 2,000 lessons/s (2 cores)"
    if "error" in results.engine:
        return [aim, results.engine["error"], mark(None)]
    speed = results.engine["sent"] / results.engine["elapsed_s"]
    return [aim, f"{speed:,.0f} lessons/s", mark(speed >= 2000)]


def update_aim(results: Results) -> list[object]:
    aim = "update p50 within 2x the echo bot's"
    if "error" in results.updates:
        return [aim, results.updates["error"], mark(None)]
    echo = results.updates["echo"]["pct"][0]
    ratios = {name: results.updates[name]["pct"][0] / echo for name in ("help", "lesson")}
    measured = ", ".join(f"/{name} {ratio:.1f}x" for name, ratio in ratios.items())
    return [aim, measured, mark(max(ratios.values()) <= 2)]
