"""The parent's run: every measurement in turn within the budget, and the machine."""

from __future__ import annotations

import hashlib
import os
import platform
import sqlite3
from datetime import UTC, datetime, time
from importlib import metadata
from pathlib import Path

import sqlalchemy as sa
import telegram

from benchmarks.delivery_bench.common import BENCH_DAY, JSON, progress
from benchmarks.delivery_bench.databases import (
    Backend,
    PostgresBackend,
    SqliteBackend,
    server_version,
)
from benchmarks.delivery_bench.jobqueue import measure_jobqueue
from benchmarks.delivery_bench.plan import Plan, Results
from benchmarks.delivery_bench.processes import run_worker
from benchmarks.delivery_bench.send_rate import measure_limiter
from benchmarks.delivery_bench.store_tick import measure_store
from lessons import load_catalog


def measure_small(name: str, count: int, folder: Path, plan: Plan) -> JSON:
    """Parts 3 to 5, each on a database of its own."""
    tick = datetime.combine(BENCH_DAY, time(12), UTC)
    spec = {"count": count, "db": str(folder / f"{name}.db"), "tick": tick.isoformat()}
    return run_worker(name, spec, plan.remaining(300))


def measure_all(plan: Plan, postgres: str | None, folder: Path) -> Results:
    """JobQueue first, while no database server is busy writing back a million rows."""
    results = Results(machine=machine(postgres))
    catalog = load_catalog()
    results.baseline_mib = run_worker("baseline", {}, plan.remaining(60)).get("rss_mib", 0.0)
    progress("one JobQueue job per subscriber")
    results.jobqueue = measure_jobqueue(plan)
    backends: list[Backend] = [SqliteBackend(folder)]
    if postgres is not None:
        backends.append(PostgresBackend(postgres))
    for backend in backends:
        for size in plan.sizes:
            progress(f"store tick: {backend.name}, {size:,} subscribers")
            results.store.append(measure_store(backend, size, plan, catalog))
    progress("send rate through the rate-limited Application, then PTB's limiter alone")
    results.rate = measure_small("rate", plan.rate_count, folder, plan)
    results.limiter = measure_limiter(plan)
    progress("engine alone")
    results.engine = measure_small("engine", plan.engine_count, folder, plan)
    progress("update processing")
    results.updates = measure_small("updates", plan.update_count, folder, plan)
    results.machine["Load average (1 min) at start / end"] = (
        f"{results.machine.pop('load')} / {os.getloadavg()[0]:.2f} (other work shares the machine)"
    )
    return results


def machine(postgres: str | None) -> dict[str, str]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "CPU": f"{model}, {os.cpu_count()} logical cores (nproc)",
        "RAM": f"{ram:.1f} GiB",
        "Python": platform.python_version(),
        "Libraries": (
            f"python-telegram-bot {telegram.__version__}, APScheduler "
            f"{metadata.version('APScheduler')}, SQLAlchemy {sa.__version__}, SQLite "
            f"{sqlite3.sqlite_version}"
        ),
        "PostgreSQL": server_version(postgres) if postgres else "not measured",
        "load": f"{os.getloadavg()[0]:.2f}",
        "Code measured (sha256, first 10)": code_fingerprint(),
        "Run started (UTC)": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
    }


MEASURED_CODE = (
    "scheduler/store",
    "scheduler/delivery.py",
    "scheduler/tables.py",
    "bot/delivery.py",
    "bot/app.py",
)


def code_fingerprint() -> str:
    """Which version of the delivery code the figures belong to: others edit it meanwhile."""
    root = Path(__file__).resolve().parents[2]
    return ", ".join(f"{name} {_digest(root / name)}" for name in MEASURED_CODE)


def _digest(path: Path) -> str:
    """A file's sha256, or a package folder's over its modules in name order."""
    files = sorted(path.glob("*.py")) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:10]
