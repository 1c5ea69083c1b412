"""What two linked people share, as plain records, and the pure rules about it.

A link holds one couple rhythm: the days and local time both accepted, read by each person
in their own zone, and at most one proposal waiting for the other's answer. The evening
prompt and the weekly check-in follow from the delivery log, never from what was planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from scheduler.timing import wall_clock_instant

CHECKIN_OPEN = timedelta(hours=48)
"""How long a check-in waits for both answers before it is deleted unread."""


@dataclass(frozen=True, slots=True)
class Rhythm:
    days: frozenset[int]
    local_time: time


@dataclass(frozen=True, slots=True)
class Link:
    """One person's view of their link: what is shared, and whose move it is."""

    id: int
    me: int
    me_inviter: bool
    partner: int
    rhythm: Rhythm | None
    """The rhythm both accepted, or None."""
    proposal: Rhythm | None
    proposed_by_me: bool
    """Whether the waiting proposal is this person's (then it waits for the partner)."""
    my_checkin: bool
    """This person's own opt-in to the check-in; the partner's is never shown to them."""
    both_checkin: bool


def evening_of(day: date, evening: time, zone: str, lesson_sent: datetime) -> datetime | None:
    """When the prompt about ``day``'s lesson goes out: the person's evening on that day,
    or None when that evening had passed by the time both lessons arrived (a prompt the
    next day would no longer be about "today")."""
    instant = wall_clock_instant(day, evening, zone)
    return instant if instant > lesson_sent else None


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: the check-in is asked once in each."""
    return day - timedelta(days=day.weekday())
