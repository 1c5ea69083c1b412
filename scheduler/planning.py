"""When the next scheduled message is due, from a person's settings.

Every change of time, zone, days, pause or track goes through ``save_course`` or
``save_reminders``, so the rule "never two deliveries in one local day" lives in one place:
the next instant is never on a local date that already had its delivery.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from scheduler.model import Course, Kind, Reminders, Subscriber
from scheduler.progress import delivery_days
from scheduler.store import Transaction
from scheduler.timing import next_due


def plan_course(
    course: Course, subscriber: Subscriber, now: datetime, last_delivery: date | None = None
) -> Course:
    """The course with ``next_due`` set for its settings, or cleared while it is off or
    finished (its completion note went out: it waits for the person's choice)."""
    if not course.active or course.paused or subscriber.blocked:
        return replace(course, next_due=None)
    if course.stage.finished:
        return replace(course, next_due=None)
    due = next_due(
        now,
        subscriber.timezone,
        course.local_time,
        delivery_days(course),
        not_before_day=_day_after(last_delivery),
    )
    return replace(course, next_due=due)


def plan_reminders(
    reminders: Reminders, subscriber: Subscriber, now: datetime, last_delivery: date | None = None
) -> Reminders:
    if not reminders.active or reminders.paused or not reminders.routines or subscriber.blocked:
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


async def save_course(
    tx: Transaction, subscriber: Subscriber, course: Course, now: datetime
) -> Course:
    """Store the course with its next delivery planned; returns what was stored."""
    last = await tx.last_delivery_day(subscriber.id, Kind.LESSON)
    planned = plan_course(course, subscriber, now, last)
    await tx.save_course(planned)
    return planned


async def save_reminders(
    tx: Transaction, subscriber: Subscriber, reminders: Reminders, now: datetime
) -> Reminders:
    last = await tx.last_delivery_day(subscriber.id, Kind.REMINDER)
    planned = plan_reminders(reminders, subscriber, now, last)
    await tx.save_reminders(planned)
    return planned


async def change_zone(
    tx: Transaction, subscriber: Subscriber, zone: str, now: datetime
) -> Subscriber:
    """Store the person's zone and plan both schedules in it: the lessons and the reminders
    share one zone, so a zone chosen while setting up either one moves the other too."""
    moved = replace(subscriber, timezone=zone)
    await tx.save_subscriber(moved)
    if zone != subscriber.timezone:
        await replan(tx, moved, now)
    return moved


async def replan(tx: Transaction, subscriber: Subscriber, now: datetime) -> None:
    """Plan both schedules again after the person's zone or reachability changed."""
    await save_course(tx, subscriber, await tx.course(subscriber.id), now)
    await save_reminders(tx, subscriber, await tx.reminders(subscriber.id), now)
