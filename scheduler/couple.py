"""What two linked people share, as plain records, and the pure rules about it.

A link holds one couple rhythm: the days and local time both accepted, read by each person
in their own zone, and at most one proposal waiting for the other's answer. The evening
prompt and the weekly check-in follow from the delivery log, never from what was planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from scheduler.timing import local_date, wall_clock_instant

CHECKIN_OPEN = timedelta(hours=48)
"""How long a check-in waits for both answers before it is deleted unread."""

SOON_AFTER = timedelta(minutes=30)
"""When one's evening had passed as the second lesson arrived: the nudge follows this long
after it, a little room to read the lesson first."""


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


def evening_of(day: date, evening: time, zone: str, both_arrived: datetime) -> datetime | None:
    """When the prompt about ``day``'s lesson goes out, once both lessons have arrived: the
    person's evening on that day, or soon after the second lesson when that evening had
    passed by then; None when even that would fall on a later local day for them (a prompt
    after midnight would no longer be about "today")."""
    instant = wall_clock_instant(day, evening, zone)
    if instant > both_arrived:
        return instant
    soon = both_arrived + SOON_AFTER
    return soon if local_date(soon, zone) == day else None


def evening_before_lessons(evening: time, rhythm: Rhythm) -> bool:
    """Whether this person's evening comes no later than the rhythm's lessons on their own
    clock: then the nudge can only ever follow the lessons, never come at that evening."""
    return evening <= rhythm.local_time


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: the check-in is asked once in each."""
    return day - timedelta(days=day.weekday())
