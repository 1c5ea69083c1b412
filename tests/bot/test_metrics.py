"""The /metrics page: counters add up tick after tick, by kind, in Prometheus' text format."""

from __future__ import annotations

from bot.metrics import Metrics
from scheduler.delivery import TickReport
from scheduler.model import Kind


def _tick(lessons: TickReport, reminders: TickReport) -> TickReport:
    report = TickReport()
    report.add(Kind.LESSON, lessons)
    report.add(Kind.REMINDER, reminders)
    return report


def test_sent_failed_and_unknown_add_up_by_kind_across_ticks() -> None:
    metrics = Metrics()
    metrics.record_tick(_tick(TickReport(sent=3, blocked=1), TickReport(sent=2, retried=2)), 0.5)
    metrics.record_tick(_tick(TickReport(sent=1, blocked=1, unknown=1), TickReport()), 0.25)
    page = metrics.render(backlog=7).splitlines()
    assert 'softlanding_deliveries_sent_total{kind="lesson"} 4' in page
    assert 'softlanding_deliveries_sent_total{kind="reminder"} 2' in page
    assert 'softlanding_deliveries_unknown_total{kind="lesson"} 1' in page
    assert 'softlanding_deliveries_unknown_total{kind="reminder"} 0' in page
    assert 'softlanding_deliveries_failed_total{kind="lesson"} 2' in page
    assert 'softlanding_deliveries_failed_total{kind="reminder"} 2' in page
    assert "softlanding_due_backlog 7" in page
    assert "softlanding_tick_seconds_count 2" in page
    assert "softlanding_tick_seconds_sum 0.750000" in page
    assert "softlanding_last_tick_seconds 0.250000" in page


def test_a_tick_report_sums_its_kinds() -> None:
    report = _tick(TickReport(sent=3, skipped=1), TickReport(sent=2, waiting=1))
    assert (report.sent, report.skipped, report.waiting) == (5, 1, 1)
    assert report.kinds[Kind.LESSON].sent == 3
