"""The report: one markdown table per measurement, the aims, and the evidence."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from benchmarks.delivery_bench.aims import aim_rows, rate_figures, window_stats
from benchmarks.delivery_bench.common import JSON, RATE_LIMIT
from benchmarks.delivery_bench.plan import Results


def markdown(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    cells = [[str(value) for value in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in cells)])


def store_rows(results: Results) -> Iterator[list[object]]:
    for r in results.store:
        if "error" in r:
            yield [r["backend"], f"{r['size']:,}", r["error"], *[""] * 8]
            continue
        per_window = []
        for name in ("median", "mean"):
            p50, due, *_ = window_stats(r, name)
            per_window.append(f"{p50:.1f} ({due:g})")
        *_, slow_ms, slow_due = window_stats(r, "peak")
        first_ms, first_due = r["first_tick"]
        cold = "cold" if r.get("cold") else "cached"
        yield [
            r["backend"],
            f"{r['size']:,}",
            f"{r['median']} / {r['mean']:.0f} / {r['peak']:,}",
            *per_window,
            f"{slow_ms:.1f} ({slow_due})",
            f"{r['empty_ms']:.2f}",
            f"{r['backlog']['ms']:.0f} ({r['backlog']['due']})",
            f"{r['startup_ms']:.0f} = {r['open_ms']:.0f} + {first_ms:.0f} ({first_due}), {cold}",
            f"{r['rss_mib']:.0f}",
            f"{r['populate_s']:.0f}",
        ]


STORE_HEADERS = (
    "backend",
    "subscribers",
    "due per UTC minute, every kind: median / mean / peak",
    "median-minute tick p50 ms (claimed)",
    "mean-minute tick p50 ms (claimed)",
    "peak-minute slowest tick ms (claimed)",
    "find nothing ms",
    "lesson backlog claim ms (claimed)",
    "start-up ms = open + first tick (claimed), page cache",
    "peak RSS MiB",
    "populate s (untimed)",
)


def jobqueue_rows(results: Results) -> Iterator[list[object]]:
    for r in results.jobqueue:
        if "error" not in r:
            yield [
                f"{r['size']:,}",
                f"{r['create_s']:.2f}",
                f"{r['startup_s']:.2f}",
                f"{r['rss_mib']:.0f}",
                f"{r['jobs']:,}",
            ]
        else:
            yield [f"{r['size']:,}", *stopped_jobqueue(r, results.baseline_mib), r["error"]]


def stopped_jobqueue(stopped: JSON, baseline_mib: float) -> list[str]:
    """What a worker stopped on its timeout got to. Start-up is then a measured lower
    bound; creating the jobs and their memory are extrapolated linearly from the last
    progress report when it had not created them all (itself a lower bound, as APScheduler
    inserts each job into a sorted Python list)."""
    partial, size = stopped.get("partial"), stopped["size"]
    if partial is None:
        return ["", "", ""]
    jobs, create_s, rss = partial["jobs"], partial["create_s"], partial["rss_mib"]
    limit = stopped["error"].split()[-2]
    if jobs >= size:
        startup = f"> {limit} (start() unfinished; measured lower bound)"
        return [f"{create_s:.0f}", startup, f">= {rss:.0f} (measured before start())"]
    startup = f"> {limit} (stopped while creating jobs; measured lower bound)"
    scale = size / jobs
    memory = baseline_mib + (rss - baseline_mib) * scale
    return [
        f"{create_s:.0f} for {jobs:,}; ~{create_s * scale:.0f} for all (extrapolated)",
        startup,
        f"{rss:.0f} at {jobs:,} jobs; ~{memory:.0f} for all (extrapolated)",
    ]


def rate_row(rate: JSON) -> list[object]:
    label = f"real Application, {rate.get('count', '?')} due lessons in one Engine.tick"
    if "error" in rate:
        return [label, rate["error"], "", "", ""]
    per_second, lossless = rate_figures(rate)
    return [
        label,
        f"{per_second:.1f} ({per_second / RATE_LIMIT:.0%})",
        f"{rate['elapsed_s']:.1f}",
        rate["rejected_429"],
        f"log {rate['statuses']}, {rate['delivered_chats']} chats got one message each"
        if lossless
        else f"LOST: log {rate['statuses']}, {rate['messages']} messages",
    ]


LIMITER_LABELS = {
    "burst": "PTB alone: AIORateLimiter(max_retries=3), a bucket of 30 (PTB's default)",
    "smooth": "limiter alone: bot.app.rate_limiter (1 per 1/30 s, max_retries=3)",
}


def limiter_row(shape: str, result: JSON) -> list[object]:
    if "error" in result:
        return [LIMITER_LABELS[shape], result["error"], "", "", ""]
    per_second = result["messages"] / result["elapsed_s"]
    return [
        LIMITER_LABELS[shape],
        f"{per_second:.1f} ({per_second / RATE_LIMIT:.0%})",
        f"{result['elapsed_s']:.1f}",
        result["rejected_429"],
        f"{result['messages']} of {result['count']} accepted",
    ]


def rate_rows(results: Results) -> Iterator[list[object]]:
    yield rate_row(results.rate)
    for shape, result in results.limiter.items():
        yield limiter_row(shape, result)


def engine_rows(results: Results) -> Iterator[list[object]]:
    engine = results.engine
    if "error" in engine:
        yield ["engine alone", engine["error"], "", "", ""]
        return
    count, elapsed = engine["sent"], engine["elapsed_s"]
    statements = sum(n for n, _ in engine["statements"].values())
    driver_ms = sum(ms for _, ms in engine["statements"].values())
    yield [
        f"{engine['count']:,} due",
        f"{count / elapsed:,.0f}",
        f"{elapsed:.2f} (CPU {engine['cpu_s']:.2f})",
        f"{statements / max(count, 1):.1f} ({driver_ms / 1000:.2f} s at the driver)",
        str(engine["statuses"]),
    ]


def update_rows(results: Results) -> Iterator[list[object]]:
    updates = results.updates
    if "error" in updates:
        yield ["updates", updates["error"], "", "", "", "", ""]
        return
    echo_p50, echo_p99 = updates["echo"]["pct"]
    for name, label in UPDATE_LABELS.items():
        found = updates[name]
        (p50, p99), statements = found["pct"], found["sql"]
        trips = found.get("trips")
        yield [
            label,
            f"{p50:.2f}",
            f"{p99:.2f}",
            f"{p50 / echo_p50:.1f}x / {p99 / echo_p99:.1f}x",
            f"{found['standin_ms']:.2f}",
            f"{statements[0]:.1f} ({statements[1]:.2f} ms)",
            "" if trips is None else f"{trips:.1f}",
        ]


def evidence(results: Results) -> Iterator[str]:
    """Where the largest tick's time went, per backend, and the plan of its SELECT."""
    for backend in ("sqlite", "postgresql"):
        found = [r for r in results.store if r["backend"] == backend and "error" not in r]
        if found:
            yield from tick_evidence(backend, found[-1])


def tick_evidence(backend: str, result: JSON) -> Iterator[str]:
    backlog = result["backlog"]
    spent = ", ".join(
        f"{verb} x{int(count)} {ms:.1f} ms" for verb, (count, ms) in backlog["statements"].items()
    )
    yield (
        f"**{backend}, {result['size']:,} subscribers.** The backlog tick claimed "
        f"{backlog['due']} in {backlog['ms']:.0f} ms; at the driver: {spent}; the rest is "
        f"Python around the driver. The plan of its SELECT (run again afterwards):"
    )
    yield "\n".join(f"    {line}" for line in backlog["plan"])
    if result.get("fk_check_ms") is not None:
        yield (
            f"Store.open took {result['open_ms']:.0f} ms. The `PRAGMA foreign_key_check` it "
            f"runs only after a migration took {result['fk_check_ms']:.0f} ms on its own here."
        )


def report(results: Results) -> str:
    return "\n\n".join(
        [
            "### Machine",
            markdown(("", ""), results.machine.items()),
            f"A worker that only imports what every worker imports peaks at "
            f"{results.baseline_mib:.0f} MiB RSS.",
            "### 1. The store's tick: every kind claimed (lease take-over, then what is due), "
            "batch 1000 each, one tick a minute",
            markdown(STORE_HEADERS, store_rows(results)),
            "### 2. One PTB JobQueue run_daily job per subscriber",
            markdown(JOBQUEUE_HEADERS, jobqueue_rows(results)),
            f"### 3. Send rate against a stand-in that refuses over {RATE_LIMIT} msg/s",
            markdown(RATE_HEADERS, rate_rows(results)),
            "### 4. The engine alone: claim, compose, record; the sender succeeds at once",
            markdown(ENGINE_HEADERS, engine_rows(results)),
            "### 5. One update through the stand-in, ms",
            markdown(UPDATE_HEADERS, update_rows(results)),
            "### Aims",
            markdown(("aim", "measured", ""), aim_rows(results)),
            "### Evidence: the largest size, statement by statement",
            *evidence(results),
        ]
    )


JOBQUEUE_HEADERS = (
    "subscribers",
    "create jobs s",
    "start-up s (create + start)",
    "peak RSS MiB",
    "jobs",
)
RATE_HEADERS = ("sender", "msg/s (of 30)", "s", "429s", "outcome")
ENGINE_HEADERS = ("lessons", "lessons/s", "s", "SQL statements per lesson", "log")
UPDATE_LABELS = {
    "echo": "bare PTB echo bot",
    "help": "/help",
    "daily": "/daily (opted in: the schedule shown)",
    "lesson": "/lesson (opted in: a lesson shown, the course saved)",
    "store_call": "(no update: one Store.find_subscriber call)",
    "daily_action": "(no update: the /daily action alone)",
    "lesson_action": "(no update: the /lesson action alone)",
}
UPDATE_HEADERS = (
    "bot",
    "p50",
    "p99",
    "vs echo p50 / p99",
    "in stand-in ms",
    "SQL per update (driver ms)",
    "trips to SQLite's thread",
)
