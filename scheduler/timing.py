"""Local times, time zones and the next delivery instant.

Instants are UTC; a person's wall-clock time is computed with ``zoneinfo``. Two rules settle
what a wall clock cannot: a time skipped by a spring-forward change moves to the next valid
minute, and a time that happens twice on a fall-back day fires once, at its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.times import parse_local_time as parse_local_time
from scheduler.zones import parse_zone as parse_zone

_LONGEST_DST_GAP = timedelta(hours=3)
_ONE_MINUTE = timedelta(minutes=1)


def format_local_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


@cache
def zone_info(name: str) -> tzinfo:
    """The tzinfo for a canonical zone name from ``parse_zone``.

    Cached for good: there are a few hundred zones at most, and ``ZoneInfo`` keeps only
    eight of them strongly, so a tick over people in many zones would read their files from
    disk again and again."""
    if name == "UTC":
        return UTC
    if name.startswith("UTC") and len(name) == 9:
        sign = -1 if name[3] == "-" else 1
        delta = timedelta(hours=int(name[4:6]), minutes=int(name[7:9]))
        return timezone(sign * delta, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}: expected an IANA name") from error


def local_date(instant: datetime, zone: str) -> date:
    """The calendar date on the person's wall at ``instant``."""
    return instant.astimezone(zone_info(zone)).date()


@lru_cache(maxsize=1 << 16)
def wall_clock_instant(day: date, at: time, zone: str) -> datetime:
    """The UTC instant when the wall clock in ``zone`` shows ``at`` on ``day``.

    A skipped time moves to the first minute that exists after it; a repeated time resolves
    to its first occurrence.

    Kept for the instants most asked about: a drain asks it several times a message (the
    quiet hours' start and end, the next due time) for the few days, times and zones its
    people share, and the answer depends on nothing else. Bounded, so a year of dates
    across every zone and minute cannot pile up.
    """
    tz = zone_info(zone)
    wanted = datetime.combine(day, at)
    candidate = wanted
    while candidate - wanted <= _LONGEST_DST_GAP:
        aware = candidate.replace(tzinfo=tz, fold=0)
        if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == candidate:
            return aware.astimezone(UTC)
        candidate += _ONE_MINUTE
    raise ValueError(f"{zone} skips more than {_LONGEST_DST_GAP} after {wanted}")


def next_due(
    after: datetime,
    zone: str,
    at: time,
    days: frozenset[int],
    *,
    not_before_day: date | None = None,
) -> datetime | None:
    """The first instant strictly after ``after`` when the wall clock shows ``at`` on one of
    ``days`` (Monday = 0). ``not_before_day`` skips local dates before it, which is how a
    person who already had today's lesson never gets a second one after changing the time.
    None when no day is chosen."""
    if not days:
        return None
    start = local_date(after, zone)
    if not_before_day is not None and not_before_day > start:
        start = not_before_day
    for offset in range(8):
        day = start + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        instant = wall_clock_instant(day, at, zone)
        if instant > after:
            return instant
    # Unreachable: eight consecutive days include every weekday, and a later day's instant
    # is always after ``after``.
    raise AssertionError("no delivery day found in a week")
