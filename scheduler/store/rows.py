"""Rows to records and back: how each record's fields are kept in their columns."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from functools import cache
from typing import Any

from lessons.model import Track
from scheduler.model import Course, QuietMode, Reminders, Stage, Subscriber


def _hhmm(value: time) -> str:
    if value.second or value.microsecond:
        raise ValueError(f"times are kept to the minute, got {value.isoformat()}")
    return value.strftime("%H:%M")


def _days_mask(days: frozenset[int]) -> int:
    if any(not 0 <= day < 7 for day in days):
        raise ValueError(f"days are 0 (Monday) to 6 (Sunday), got {sorted(days)}")
    return sum(1 << day for day in days)


@cache
def _days(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask >> day & 1)


def _routines_text(routines: tuple[str, ...]) -> str:
    if any(not routine or "," in routine for routine in routines):
        raise ValueError("routine ids must be non-empty and free of commas")
    return ",".join(routines)


@cache
def _wall_time(text: str) -> time:
    """A stored "HH:MM"; cached, since a tick reads the same few hundred again and again."""
    return time.fromisoformat(text)


# The same conversions, for the store's other modules.
hhmm, days_mask, days_of, wall_time = _hhmm, _days_mask, _days, _wall_time


def subscriber_values(subscriber: Subscriber) -> dict[str, object]:
    """The person's settings; their chat id is sealed by the store, never written as it is."""
    return {
        "timezone": subscriber.timezone,
        "discreet": subscriber.discreet,
        "quiet_start": _hhmm(subscriber.quiet_start),
        "quiet_end": _hhmm(subscriber.quiet_end),
        "quiet_mode": subscriber.quiet_mode.value,
        "blocked": subscriber.blocked,
        "language": subscriber.language,
    }


def subscriber_of(row: Mapping[Any, Any], chat_id: int) -> Subscriber:
    """The person in ``row``, whose chat id the caller knows (it found them by it) or opened."""
    return Subscriber(
        id=row["id"],
        chat_id=chat_id,
        timezone=row["timezone"],
        discreet=row["discreet"],
        quiet_start=_wall_time(row["quiet_start"]),
        quiet_end=_wall_time(row["quiet_end"]),
        quiet_mode=QuietMode(row["quiet_mode"]),
        blocked=row["blocked"],
        language=row["language"],
    )


def course_values(course: Course) -> dict[str, object]:
    return {
        "subscriber_id": course.subscriber_id,
        "track": course.track.value,
        "active": course.active,
        "paused": course.paused,
        "days": _days_mask(course.days),
        "local_time": _hhmm(course.local_time),
        "position": course.position,
        "last_lesson_id": course.last_lesson_id,
        "next_due": course.next_due,
        "stage": course.stage.value,
        "read_ahead": course.read_ahead,
        "chosen": course.chosen,
    }


def course_of(row: Mapping[Any, Any]) -> Course:
    return Course(
        subscriber_id=row["subscriber_id"],
        track=Track(row["track"]),
        active=row["active"],
        paused=row["paused"],
        days=_days(row["days"]),
        local_time=_wall_time(row["local_time"]),
        position=row["position"],
        last_lesson_id=row["last_lesson_id"],
        next_due=row["next_due"],
        stage=Stage(row["stage"]),
        read_ahead=row["read_ahead"],
        chosen=row["chosen"],
    )


def reminders_values(reminders: Reminders) -> dict[str, object]:
    # The snooze columns are left out on purpose: only ``snooze`` and the due queue write
    # them, so a settings change saved from an older read cannot undo a pending snooze.
    return {
        "subscriber_id": reminders.subscriber_id,
        "active": reminders.active,
        "paused": reminders.paused,
        "routines": _routines_text(reminders.routines),
        "days": _days_mask(reminders.days),
        "local_time": _hhmm(reminders.local_time),
        "rotation": reminders.rotation,
        "next_due": reminders.next_due,
    }


def reminders_of(row: Mapping[Any, Any]) -> Reminders:
    routines: str = row["routines"]
    return Reminders(
        subscriber_id=row["subscriber_id"],
        active=row["active"],
        paused=row["paused"],
        routines=tuple(routines.split(",")) if routines else (),
        days=_days(row["days"]),
        local_time=_wall_time(row["local_time"]),
        rotation=row["rotation"],
        next_due=row["next_due"],
        snooze_due=row["snooze_due"],
        snoozed_routine=row["snoozed_routine"],
    )


def jsonable(row: Mapping[str, Any]) -> dict[str, object]:
    return {
        key: value.isoformat() if isinstance(value, datetime | date) else value
        for key, value in row.items()
    }


def as_date(value: object) -> date | None:
    """SQLite hands a MAX() over dates back as text; PostgreSQL as a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
