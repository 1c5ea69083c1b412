"""Local times, zones and the next due instant, DST changes included."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scheduler.timing import (
    format_local_time,
    local_date,
    next_due,
    parse_local_time,
    parse_zone,
    wall_clock_instant,
    zone_info,
)

ZONES = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Santiago",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Asia/Kolkata",
    "Pacific/Chatham",
    "Pacific/Apia",
    "UTC+05:30",
    "UTC-03:00",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("19:05", time(19, 5)),
        ("7.30", time(7, 30)),
        ("7", time(7, 0)),
        ("7pm", time(19, 0)),
        ("7:15 am", time(7, 15)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        (" 23:59 ", time(23, 59)),
        # Spoken and other everyday forms.
        ("half past seven", time(7, 30)),
        ("half past seven in the evening", time(19, 30)),
        ("quarter to nine", time(8, 45)),
        ("quarter past 8", time(8, 15)),
        ("a quarter past eight pm", time(20, 15)),
        ("ten to six", time(5, 50)),
        ("ten to six pm", time(17, 50)),
        ("twenty-five past ten", time(10, 25)),
        ("20 minutes past 9", time(9, 20)),
        ("five to twelve", time(11, 55)),
        ("quarter to one", time(12, 45)),  # counted back on the clock face
        ("quarter to one am", time(0, 45)),
        ("quarter past 19", time(19, 15)),
        ("seven", time(7, 0)),
        ("Seven o'clock", time(7, 0)),
        ("seven o\u2019clock pm", time(19, 0)),  # as phones curl the apostrophe
        ("seven pm", time(19, 0)),
        ("twelve", time(12, 0)),
        ("seven thirty", time(7, 30)),
        ("seven forty-five pm", time(19, 45)),
        ("seven oh five", time(7, 5)),
        ("0730", time(7, 30)),
        ("1930", time(19, 30)),
        ("730", time(7, 30)),
        ("7:5", time(7, 5)),
        ("7:3", time(7, 3)),
        ("noon", time(12, 0)),
        ("Midday", time(12, 0)),
        ("midnight", time(0, 0)),
        ("19h", time(19, 0)),
        ("19h30", time(19, 30)),
        ("7 pm", time(19, 0)),
        ("7 p.m.", time(19, 0)),
        ("19.30", time(19, 30)),
        ("7:30pm", time(19, 30)),
        ("7 in the morning", time(7, 0)),
        ("at 7:30", time(7, 30)),
    ],
)
def test_times_people_type_are_read(text: str, expected: time) -> None:
    assert parse_local_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        *["", "24:00", "7:60", "13pm", "0am", "19:05:00", "x" * 5000],
        *["half to seven", "quarter past", "half past thirteen", "thirteen o'clock"],
        *["seven five", "60 past 7", "quarter past 24", "noon pm", "pm", "seven pm pm"],
        *["banana", "7.5", "12345", "2400", "0760", "7::30", "-1:00", "7:30:", "at"],
    ],
)
def test_malformed_times_are_refused(text: str) -> None:
    assert parse_local_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        ("UTC", "UTC"),
        ("gmt", "UTC"),
        ("UTC+2", "UTC+02:00"),
        ("UTC-5:30", "UTC-05:30"),
        ("+0545", "UTC+05:45"),
        ("UTC+0", "UTC"),
        ("UTC+14", "UTC+14:00"),
    ],
)
def test_zones_people_type_are_read(text: str, expected: str) -> None:
    assert parse_zone(text) == expected


@pytest.mark.parametrize("text", ["Mars/Olympus", "UTC+15", "UTC-13", "UTC+2:20", "Berlin!", ""])
def test_unknown_zones_are_refused(text: str) -> None:
    assert parse_zone(text) is None


def test_a_fixed_offset_zone_has_that_offset() -> None:
    assert zone_info("UTC+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    assert zone_info("UTC-03:00").utcoffset(None) == timedelta(hours=-3)


def test_a_skipped_time_moves_to_the_next_valid_minute() -> None:
    # Berlin jumps from 02:00 to 03:00 on 29 March 2026: 02:30 does not exist that night.
    instant = wall_clock_instant(date(2026, 3, 29), time(2, 30), "Europe/Berlin")
    assert instant.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 0)


def test_a_repeated_time_resolves_to_its_first_occurrence() -> None:
    # Berlin shows 02:30 twice on 25 October 2026: first at CEST (00:30 UTC).
    instant = wall_clock_instant(date(2026, 10, 25), time(2, 30), "Europe/Berlin")
    assert instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_next_due_respects_the_chosen_days() -> None:
    monday_noon = datetime(2026, 3, 23, 12, 0, tzinfo=UTC)
    assert next_due(monday_noon, "UTC", time(9, 0), frozenset({2})) == datetime(
        2026, 3, 25, 9, 0, tzinfo=UTC
    )
    assert next_due(monday_noon, "UTC", time(9, 0), frozenset()) is None


def test_not_before_day_prevents_a_second_delivery_on_the_same_day() -> None:
    morning = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    every_day = frozenset(range(7))
    assert next_due(morning, "UTC", time(20, 0), every_day) == datetime(2026, 3, 23, 20, tzinfo=UTC)
    later = next_due(morning, "UTC", time(20, 0), every_day, not_before_day=date(2026, 3, 24))
    assert later == datetime(2026, 3, 24, 20, 0, tzinfo=UTC)


instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
wall_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
day_sets = st.frozensets(st.integers(0, 6), min_size=1)


@given(instants, st.sampled_from(ZONES), wall_times, day_sets)
def test_next_due_is_in_the_future_on_a_chosen_day_at_the_chosen_time(
    now: datetime, zone: str, at: time, days: frozenset[int]
) -> None:
    due = next_due(now, zone, at, days)
    assert due is not None and due > now
    wall = due.astimezone(zone_info(zone))
    assert wall.weekday() in days
    if wall.time() != at:
        # Only a spring-forward gap moves a time, and only forward by less than its length.
        assert wall.time() > at or wall.date() > local_date(now, zone)
        assert wall_clock_instant(wall.date(), at, zone) == due
        assert datetime.combine(wall.date(), at).replace(tzinfo=zone_info(zone), fold=0) != (
            due.astimezone(zone_info(zone))
        )


# The window is counted in local days: counted in UTC days, a DST change inside it moved
# its end by a day (New York springs forward on 14 March 2027).
@example(datetime(2027, 3, 10, 4, 0, tzinfo=UTC), "America/New_York", time(0, 0), frozenset({0}))
@given(instants, st.sampled_from(ZONES), wall_times, day_sets)
def test_following_next_due_gives_exactly_one_delivery_per_local_day(
    start: datetime, zone: str, at: time, days: frozenset[int]
) -> None:
    """Deliver, then ask again from that instant, for three weeks: one per local day."""
    seen: list[date] = []
    due = next_due(start, zone, at, days)
    while due is not None and due < start + timedelta(days=21):
        day = local_date(due, zone)
        seen.append(day)
        due = next_due(due, zone, at, days, not_before_day=day + timedelta(days=1))
    assert len(seen) == len(set(seen))
    assert all(day.weekday() in days for day in seen)
    # The 19 local days strictly after the start's day each get their delivery, in order;
    # 21 days of instants reach past all of them whatever the offsets do in between.
    first_day = local_date(start, zone)
    window = [first_day + timedelta(days=offset) for offset in range(1, 20)]
    expected = [day for day in window if day.weekday() in days]
    inside = [day for day in seen if window[0] <= day <= window[-1]]
    assert inside == expected


@given(wall_times)
def test_every_time_reads_back_from_its_own_display(at: time) -> None:
    assert parse_local_time(format_local_time(at)) == at
    compact = format_local_time(at).replace(":", "")
    assert parse_local_time(compact) == at


@given(wall_times, st.booleans(), st.booleans())
def test_every_time_reads_back_on_the_twelve_hour_clock(
    at: time, dotted: bool, spaced: bool
) -> None:
    dial = at.hour % 12 or 12
    suffix = ("p.m." if dotted else "pm") if at.hour >= 12 else ("a.m." if dotted else "am")
    typed = f"{dial}:{at.minute:02d}{' ' if spaced else ''}{suffix}"
    assert parse_local_time(typed) == at
