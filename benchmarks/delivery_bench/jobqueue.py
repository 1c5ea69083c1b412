"""2. The pattern the design rejects: one PTB JobQueue run_daily job per subscriber."""

from __future__ import annotations

import json
from time import perf_counter
from typing import Any

from telegram.ext import CallbackContext

from benchmarks.delivery_bench.common import JSON, bare_application
from benchmarks.delivery_bench.plan import Plan
from benchmarks.delivery_bench.population import people, track_lengths
from benchmarks.delivery_bench.processes import peak_rss_mib, run_worker
from bot.standin import StandInBotAPI
from lessons import load_catalog
from scheduler.timing import zone_info


async def _send_lesson(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Never runs: the jobs are due hours after the measurement ends."""


PROGRESS_EVERY = 50_000


def report_progress(jobs: int, elapsed: float) -> None:
    """A partial result: the parent reads the last one if the worker runs out of time."""
    progress = {"jobs": jobs, "create_s": elapsed, "rss_mib": peak_rss_mib()}
    print(json.dumps({"progress": progress}), flush=True)


async def jobqueue_worker(spec: JSON) -> JSON:
    """The usual pattern: at start-up, one ``run_daily`` per subscriber, then start."""
    lengths = track_lengths(load_catalog())
    application = bare_application(StandInBotAPI())
    queue = application.job_queue
    assert queue is not None  # the job-queue extra is a dependency
    started = perf_counter()
    for person in people(spec["count"], lengths):
        at = person.at.replace(tzinfo=zone_info(person.zone))
        queue.run_daily(_send_lesson, at, chat_id=person.chat_id, name=str(person.id))
        if person.id % PROGRESS_EVERY == 0:
            report_progress(person.id, perf_counter() - started)
    created = perf_counter() - started
    report_progress(spec["count"], created)
    await application.initialize()
    await application.start()
    startup = perf_counter() - started
    jobs = len(queue.scheduler.get_jobs())
    rss = peak_rss_mib()
    await application.stop()
    await application.shutdown()
    return {"create_s": created, "startup_s": startup, "jobs": jobs, "rss_mib": rss}


def measure_jobqueue(plan: Plan) -> list[JSON]:
    results: list[JSON] = []
    for size in plan.sizes:
        result = run_worker("jobqueue", {"count": size}, plan.remaining(plan.jobqueue_timeout_s))
        results.append({"size": size, **result})
    return results
