"""Delivery benchmarks: can one due-queue tick serve a million subscribers?"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import asdict
from pathlib import Path
from time import monotonic
from typing import Any

from benchmarks.delivery_bench.common import JSON
from benchmarks.delivery_bench.databases import loopback_postgres
from benchmarks.delivery_bench.engine_alone import engine_worker
from benchmarks.delivery_bench.jobqueue import jobqueue_worker
from benchmarks.delivery_bench.plan import Plan, Results
from benchmarks.delivery_bench.processes import limit_memory, peak_rss_mib
from benchmarks.delivery_bench.report import report
from benchmarks.delivery_bench.run import measure_all
from benchmarks.delivery_bench.send_rate import limiter_worker, rate_worker
from benchmarks.delivery_bench.store_tick import store_worker
from benchmarks.delivery_bench.updates import updates_worker


async def baseline_worker(_spec: JSON) -> JSON:
    """Nothing but the imports every worker pays for: the floor under every memory figure."""
    return {}


WORKERS: dict[str, Callable[[JSON], Coroutine[Any, Any, JSON]]] = {
    "store": store_worker,
    "jobqueue": jobqueue_worker,
    "rate": rate_worker,
    "engine": engine_worker,
    "limiter": limiter_worker,
    "updates": updates_worker,
    "baseline": baseline_worker,
}


def worker_main(name: str, spec: str) -> None:
    limit_memory()
    result = asyncio.run(WORKERS[name](json.loads(spec)))
    result.setdefault("rss_mib", peak_rss_mib())
    print(json.dumps(result), flush=True)
    # Skip the interpreter's teardown: freeing a million jobs one object at a time can
    # outlast the timeout, and nothing is left to clean up (the parent owns the files).
    os._exit(0)


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="subscriber counts")
    parser.add_argument("--postgres", metavar="URL", help="also measure this loopback server")
    parser.add_argument("--quick", action="store_true", help="10k only, small counts, < 1 min")
    parser.add_argument("--budget", type=float, help="seconds for the whole run")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="print the tables of a --json file; no run"
    )
    parser.add_argument(
        "--jobqueue-timeout", type=float, default=600.0, help="seconds per JobQueue size"
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--spec", default="{}", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def make_plan(arguments: argparse.Namespace) -> Plan:
    if arguments.quick:
        plan = Plan([10_000], 5, 120, 1000, 100, 55.0, 30.0)
    else:
        sizes = sorted(int(size) for size in arguments.sizes.split(","))
        plan = Plan(sizes, 15, 900, 5000, 500, 3600.0, arguments.jobqueue_timeout)
    if arguments.budget is not None:
        plan.budget_s = arguments.budget
    plan.deadline = monotonic() + plan.budget_s
    return plan


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.worker is not None:
        worker_main(arguments.worker, arguments.spec)
        return 0
    if arguments.report is not None:
        print(report(Results(**json.loads(arguments.report.read_text()))))
        return 0
    postgres = loopback_postgres(arguments.postgres) if arguments.postgres else None
    plan = make_plan(arguments)
    with tempfile.TemporaryDirectory(prefix="softlanding-bench-") as folder:
        results = measure_all(plan, postgres, Path(folder))
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(asdict(results), indent=1))
    print(report(results))
    return 0
