"""How much to measure, and what came of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from time import monotonic

from benchmarks.delivery_bench.common import JSON


@dataclass
class Plan:
    """How much to measure: the full run, or --quick's small counts."""

    sizes: list[int]
    ticks: int
    rate_count: int
    engine_count: int
    update_count: int
    budget_s: float
    jobqueue_timeout_s: float
    deadline: float = field(default=0.0)

    def remaining(self, cap: float) -> float:
        return min(cap, self.deadline - monotonic())


@dataclass
class Results:
    machine: dict[str, str]
    baseline_mib: float = 0.0
    store: list[JSON] = field(default_factory=list)
    jobqueue: list[JSON] = field(default_factory=list)
    rate: JSON = field(default_factory=dict)
    limiter: dict[str, JSON] = field(default_factory=dict)
    engine: JSON = field(default_factory=dict)
    updates: JSON = field(default_factory=dict)
