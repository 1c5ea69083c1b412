"""When the evening nudge goes, once both lessons of a day have arrived: the person's own
evening, or half an hour after the second lesson, and never on a later local day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from scheduler.couple import Rhythm, evening_before_lessons, evening_of

DAY = date(2026, 3, 23)


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_the_evening_itself_when_both_lessons_came_before_it() -> None:
    assert evening_of(DAY, time(20), "Europe/London", at(12, 30)) == at(20)


def test_half_an_hour_after_the_second_lesson_when_the_evening_had_passed() -> None:
    assert evening_of(DAY, time(20), "Europe/London", at(21, 30)) == at(22)
    # 23:20 in Berlin: 23:50 is still that day.
    assert evening_of(DAY, time(20), "Europe/Berlin", at(22, 20)) == at(22, 50)


def test_none_once_that_would_be_after_local_midnight() -> None:
    # 23:40 in Berlin: half an hour on is the next day there.
    assert evening_of(DAY, time(20), "Europe/Berlin", at(22, 40)) is None
    # Los Angeles's 21:30 lesson arrives at 05:30 in Berlin the next morning.
    assert evening_of(DAY, time(20), "Europe/Berlin", at(4, 30, day=24)) is None
    assert evening_of(DAY, time(20), "America/Los_Angeles", at(4, 30, day=24)) == at(5, day=24)


def test_an_evening_at_or_before_the_rhythm_can_only_follow_the_lessons() -> None:
    rhythm = Rhythm(frozenset(range(7)), time(21, 30))
    assert evening_before_lessons(time(20), rhythm)
    assert evening_before_lessons(time(21, 30), rhythm)
    assert not evening_before_lessons(time(22), rhythm)
