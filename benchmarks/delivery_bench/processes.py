"""Child processes: each measurement runs in a fresh interpreter of its own."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from benchmarks.delivery_bench.common import JSON

COMMAND = Path(__file__).resolve().parent.parent / "delivery.py"
"""What a worker runs: the benchmark's own command, which imports every measurement, so
each worker starts from the same imports and the baseline worker's memory is the floor."""


def peak_rss_mib() -> float:
    """This process image's peak resident set (VmHWM), in MiB.

    Not ``getrusage().ru_maxrss``: at exec, Linux carries the high-water mark of the image
    being replaced into it, so a worker forked from a parent holding 150 MiB would report
    at least 150 MiB whatever it used itself. VmHWM belongs to the new image alone.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status: peak memory needs Linux")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def limit_memory() -> None:
    """Cap a worker's address space at three quarters of RAM: a MemoryError in one
    measurement is better than the kernel's OOM killer choosing among the machine's work."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    resource.setrlimit(resource.RLIMIT_AS, (ram * 3 // 4, ram * 3 // 4))


def last_json(output: str | bytes | None) -> JSON | None:
    """The last complete JSON line a worker printed before it was stopped."""
    text = output.decode() if isinstance(output, bytes) else (output or "")
    lines = [line for line in text.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def stopped_worker(last: JSON | None, timeout: float) -> JSON:
    """A worker stopped on its timeout: its result if it had printed one (it was still
    exiting), otherwise an error with its last progress report, if any."""
    if last is not None and "progress" not in last:
        return last
    partial = last["progress"] if last is not None else None
    return {"error": f"timed out after {timeout:.0f} s", "partial": partial}


def run_worker(name: str, spec: JSON, timeout: float) -> JSON:
    """Run one measurement in a fresh interpreter; its last stdout line is its JSON result."""
    command = [sys.executable, str(COMMAND), "--worker", name]
    command += ["--spec", json.dumps(spec)]
    if timeout <= 0:
        return {"error": "skipped: the run's time budget is spent"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as expired:
        return stopped_worker(last_json(expired.stdout), timeout)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {done.returncode}: {tail}"}
    result: JSON = json.loads(done.stdout.strip().splitlines()[-1])
    return result
