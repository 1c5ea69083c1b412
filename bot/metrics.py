"""A few counters for ``GET /metrics``, in Prometheus' text format.

Plain integers in one object: one process serves one scrape endpoint, and nothing here needs
a metrics library. Counters only ever grow; the backlog is read from the store at scrape time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

from scheduler.delivery import TickReport
from scheduler.model import Kind


@dataclass
class Metrics:
    updates_handled: int = 0
    sent: dict[str, int] = field(default_factory=dict)
    """Deliveries that reached the person, by kind: lesson, reminder, snooze."""
    failed: dict[str, int] = field(default_factory=dict)
    """Deliveries that certainly did not: blocked, or given back for the next tick."""
    unknown: dict[str, int] = field(default_factory=dict)
    """Deliveries that may or may not have arrived (a timeout, a deadline): never resent."""
    ticks: int = 0
    tick_seconds_total: float = 0.0
    last_tick_seconds: float = 0.0

    def record_tick(self, report: TickReport, seconds: float) -> None:
        for kind, part in report.kinds.items():
            self.sent[kind.value] = self.sent.get(kind.value, 0) + part.sent
            failures = part.blocked + part.retried
            self.failed[kind.value] = self.failed.get(kind.value, 0) + failures
            self.unknown[kind.value] = self.unknown.get(kind.value, 0) + part.unknown
        self.ticks += 1
        self.tick_seconds_total += seconds
        self.last_tick_seconds = seconds

    def render(self, backlog: int) -> str:
        lines = [
            "# HELP softlanding_updates_handled_total Telegram updates taken in.",
            "# TYPE softlanding_updates_handled_total counter",
            f"softlanding_updates_handled_total {self.updates_handled}",
            "# HELP softlanding_deliveries_sent_total Lessons and reminders sent.",
            "# TYPE softlanding_deliveries_sent_total counter",
            *_by_kind("softlanding_deliveries_sent_total", self.sent),
            "# HELP softlanding_deliveries_failed_total Lessons and reminders not sent.",
            "# TYPE softlanding_deliveries_failed_total counter",
            *_by_kind("softlanding_deliveries_failed_total", self.failed),
            "# HELP softlanding_deliveries_unknown_total Sends that may or may not have "
            "arrived; never resent.",
            "# TYPE softlanding_deliveries_unknown_total counter",
            *_by_kind("softlanding_deliveries_unknown_total", self.unknown),
            "# HELP softlanding_due_backlog Scheduled items due now and not yet taken.",
            "# TYPE softlanding_due_backlog gauge",
            f"softlanding_due_backlog {backlog}",
            "# HELP softlanding_tick_seconds Time spent in delivery ticks.",
            "# TYPE softlanding_tick_seconds summary",
            f"softlanding_tick_seconds_count {self.ticks}",
            f"softlanding_tick_seconds_sum {self.tick_seconds_total:.6f}",
            "# HELP softlanding_last_tick_seconds How long the latest tick took.",
            "# TYPE softlanding_last_tick_seconds gauge",
            f"softlanding_last_tick_seconds {self.last_tick_seconds:.6f}",
        ]
        return "\n".join(lines) + "\n"


_METRICS = "metrics"


def metrics_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Metrics:
    """This application's counters, made on first use."""
    metrics: Metrics = application.bot_data.setdefault(_METRICS, Metrics())
    return metrics


def _by_kind(name: str, counts: dict[str, int]) -> list[str]:
    return [f'{name}{{kind="{kind.value}"}} {counts.get(kind.value, 0)}' for kind in Kind]
