"""When the next scheduled message is due, from a person's settings.

Every change of time, zone, days or pause goes through here, so the rule "never two lessons
in one local day" lives in one place: the next instant is never on a local date that
already had its delivery.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from scheduler.model import Course, Reminders, Subscriber
from scheduler.timing import local_date, next_due


def plan_course(
    course: Course, subscriber: Subscriber, now: datetime, last_delivery: date | None = None
) -> Course:
    """The course with ``next_due`` set for its settings, or cleared while it is off."""
    if not course.active or course.paused:
        return replace(course, next_due=None)
    due = next_due(
        now,
        subscriber.timezone,
        course.local_time,
        course.days,
        not_before_day=_day_after(last_delivery),
    )
    return replace(course, next_due=due)


def plan_reminders(
    reminders: Reminders, subscriber: Subscriber, now: datetime, last_delivery: date | None = None
) -> Reminders:
    if not reminders.active or reminders.paused or not reminders.routines:
        return replace(reminders, next_due=None)
    due = next_due(
        now,
        subscriber.timezone,
        reminders.local_time,
        reminders.days,
        not_before_day=_day_after(last_delivery),
    )
    return replace(reminders, next_due=due)


def _day_after(day: date | None) -> date | None:
    return None if day is None else day + timedelta(days=1)


def delivered_today(last_delivery: date | None, subscriber: Subscriber, now: datetime) -> bool:
    return last_delivery is not None and last_delivery >= local_date(now, subscriber.timezone)
