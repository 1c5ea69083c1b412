"""The quiet-hours rule: one pure function for every kind of scheduled message."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from scheduler.model import QuietMode
from scheduler.quiet import LOUD, SILENT, HoldUntil, QuietHours, quiet_span_end, quiet_verdict
from scheduler.timing import local_date, wall_clock_instant, zone_info

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
NIGHT = QuietHours(time(22, 0), time(8, 0), QuietMode.WAIT)


def _berlin(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone_info("Europe/Berlin"))


def test_a_morning_lesson_inside_the_night_waits_for_its_end() -> None:
    """The reported case: 07:30 inside 22:00-08:00 "wait until after" goes at 08:00."""
    verdict = quiet_verdict(_berlin(24, 7, 30), "Europe/Berlin", NIGHT)
    assert verdict == HoldUntil(_berlin(24, 8, 0).astimezone(UTC))


def test_a_late_evening_message_waits_until_the_next_morning() -> None:
    verdict = quiet_verdict(_berlin(24, 23, 0), "Europe/Berlin", NIGHT)
    assert verdict == HoldUntil(_berlin(25, 8, 0).astimezone(UTC))


def test_silent_mode_sends_at_once_without_sound() -> None:
    silent = QuietHours(time(22, 0), time(8, 0), QuietMode.SILENT)
    assert quiet_verdict(_berlin(24, 7, 30), "Europe/Berlin", silent) == SILENT
    assert quiet_verdict(_berlin(24, 8, 0), "Europe/Berlin", silent) == LOUD
    assert quiet_verdict(_berlin(24, 21, 59), "Europe/Berlin", silent) == LOUD
    assert quiet_verdict(_berlin(24, 22, 0), "Europe/Berlin", silent) == SILENT


def test_off_and_an_empty_span_never_change_anything() -> None:
    off = QuietHours(time(22, 0), time(8, 0), QuietMode.OFF)
    empty = QuietHours(time(8, 0), time(8, 0), QuietMode.WAIT)
    for hour in range(24):
        assert quiet_verdict(_berlin(24, hour), "Europe/Berlin", off) == LOUD
        assert quiet_verdict(_berlin(24, hour), "Europe/Berlin", empty) == LOUD


def test_a_daytime_span_that_does_not_cross_midnight() -> None:
    lunch = QuietHours(time(12, 0), time(14, 0), QuietMode.WAIT)
    assert quiet_verdict(_berlin(24, 11, 59), "Europe/Berlin", lunch) == LOUD
    assert quiet_verdict(_berlin(24, 13, 0), "Europe/Berlin", lunch) == HoldUntil(
        _berlin(24, 14, 0).astimezone(UTC)
    )


def test_an_end_that_spring_forward_skips_moves_to_the_first_minute_after() -> None:
    """Berlin skips 02:00-03:00 on 29 March 2026: quiet until 02:30 ends at 03:00."""
    short = QuietHours(time(23, 0), time(2, 30), QuietMode.WAIT)
    verdict = quiet_verdict(_berlin(28, 23, 30), "Europe/Berlin", short)
    assert verdict == HoldUntil(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))  # 03:00 CEST


def test_on_a_fall_back_night_quiet_hours_end_at_the_first_occurrence() -> None:
    """Berlin repeats 02:00-03:00 on 25 October 2026; quiet until 02:30 ends the first time."""
    short = QuietHours(time(23, 0), time(2, 30), QuietMode.WAIT)
    first_end = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert quiet_verdict(_berlin(24, 23, 30, 10), "Europe/Berlin", short) == HoldUntil(first_end)
    # 02:15 the second time round (CET) comes after the end: it goes at once.
    assert quiet_verdict(datetime(2026, 10, 25, 1, 15, tzinfo=UTC), "Europe/Berlin", short) == LOUD


instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
wall_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
modes = st.sampled_from([QuietMode.SILENT, QuietMode.WAIT])


@example(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "Europe/Berlin", time(2, 0), time(2, 30))
@example(datetime(2026, 10, 25, 0, 45, tzinfo=UTC), "Europe/Berlin", time(23, 0), time(2, 30))
@given(instants, st.sampled_from(ZONES), wall_times, wall_times)
def test_a_hold_ends_after_the_due_instant_and_is_never_held_again(
    due: datetime, zone: str, start: time, end: time
) -> None:
    quiet = QuietHours(start, end, QuietMode.WAIT)
    verdict = quiet_verdict(due, zone, quiet)
    if isinstance(verdict, HoldUntil):
        assert due < verdict.instant <= due + timedelta(hours=25)
        # Its end is where the wall clock shows the end (or the first minute after a gap),
        # and a message let go then goes at once, with sound.
        ends_on = local_date(verdict.instant, zone)
        assert wall_clock_instant(ends_on, end, zone) == verdict.instant
        assert quiet_verdict(verdict.instant, zone, quiet) == LOUD
    else:
        assert verdict == LOUD


@given(instants, st.sampled_from(ZONES), wall_times, wall_times, modes)
def test_away_from_clock_changes_quiet_means_the_wall_clock_is_in_the_span(
    due: datetime, zone: str, start: time, end: time, mode: QuietMode
) -> None:
    """Checked against the plain reading of the wall clock, on days whose offset is the
    same all day (a clock change is what the instant-based rule settles differently)."""
    tz = zone_info(zone)
    day = local_date(due, zone)
    offsets = {
        datetime.combine(day + timedelta(days=d), time(h), tzinfo=tz).utcoffset()
        for d in (-1, 0, 1)
        for h in (0, 12, 23)
    }
    if len(offsets) != 1:
        return
    wall = due.astimezone(tz).time()
    inside = (start <= wall < end) if start <= end else (wall >= start or wall < end)
    quiet = QuietHours(start, end, mode)
    assert (quiet_span_end(due, zone, quiet) is not None) == (inside and start != end)
    verdict = quiet_verdict(due, zone, quiet)
    if not inside or start == end:
        assert verdict == LOUD
    elif mode is QuietMode.SILENT:
        assert verdict == SILENT
    else:
        assert isinstance(verdict, HoldUntil)
        assert verdict.instant.astimezone(tz).time() == end
