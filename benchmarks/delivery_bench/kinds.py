"""Every kind a tick claims, not only lessons: who has reminders, who is a same-days pair
with an evening talk prompt, and the minutes of the day the tick is timed at.

The lesson population stays exactly as ``population.people`` draws it; reminders and pairs
are drawn per person from a seed of their own, so adding them changes no lesson.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

import sqlalchemy as sa

from benchmarks.delivery_bench.common import BENCH_DAY, JSON, MINUTE
from benchmarks.delivery_bench.population import (
    Person,
    Rows,
    _instant_on,
    _local_time,
    _next_after,
)
from lessons import Catalog
from scheduler.crypto import DataKey
from scheduler.delivery import TALK_TIME
from scheduler.model import Reminders
from scheduler.store.rows import reminders_values
from scheduler.tables import partner_links
from scheduler.tables import reminders as reminders_table

REMINDER_SHARE = 0.4
"""People who also chose reminders (at a time of their own, drawn like lesson times)."""
PAIR_EVERY = 20
"""Persons 1 and 2 of every 20 are linked partners who both chose "same days": a tenth of
everyone gets the evening talk prompt."""


def reminder_time(person: Person) -> time | None:
    rng = random.Random(f"reminder-{person.id}")
    return _local_time(rng) if rng.random() < REMINDER_SHARE else None


def paired(person: Person) -> bool:
    return person.id % PAIR_EVERY in (1, 2)


def inviter(person: Person) -> bool:
    """The first of a pair holds the link row; the next person is the partner."""
    return person.id % PAIR_EVERY == 1


def _minute(instant: datetime) -> int:
    return instant.hour * 60 + instant.minute


def due_per_minute(persons: Iterable[Person]) -> list[int]:
    """Items of every kind due in each UTC minute of BENCH_DAY: lessons, reminders and
    talk prompts (the tick's whole workload)."""
    counts = [0] * (24 * 60)
    for person in persons:
        counts[_minute(_instant_on(BENCH_DAY, person.at, person.zone))] += 1
        at = reminder_time(person)
        if at is not None:
            counts[_minute(_instant_on(BENCH_DAY, at, person.zone))] += 1
        if paired(person):
            counts[_minute(_instant_on(BENCH_DAY, TALK_TIME, person.zone))] += 1
    return counts


@dataclass(frozen=True, slots=True)
class Window:
    """``ticks`` one-minute ticks from ``first_tick``, at a minute the day has ``due`` due."""

    name: str
    first_tick: datetime
    ticks: int
    due: int

    @property
    def last_tick(self) -> datetime:
        return self.first_tick + (self.ticks - 1) * MINUTE

    def holds(self, instant: datetime) -> bool:
        return self.first_tick - MINUTE < instant <= self.last_tick


@dataclass(frozen=True, slots=True)
class Day:
    """The three windows the tick is timed in, and the day's shape."""

    windows: tuple[Window, ...]
    median: int
    mean: float
    peak: int

    @property
    def populated_at(self) -> datetime:
        """As if a tick had just run a minute before the first window."""
        return min(window.first_tick for window in self.windows) - MINUTE

    def ticked(self, instant: datetime) -> bool:
        """Whether a timed tick claims an item due at ``instant``. One due between windows
        is planned for the next day instead, as if the ticks between had sent it."""
        return any(window.holds(instant) for window in self.windows)


def choose_day(per_minute: Sequence[int], ticks: int) -> Day:
    """Windows starting at a minute with the median due count, one nearest the mean, and
    the peak minute, none overlapping another (or the day's first minute, which the
    population needs before them)."""
    median = int(statistics.median_low(per_minute))
    mean = statistics.fmean(per_minute)
    peak = max(per_minute)
    taken: list[range] = []
    windows = []
    for name, wanted in (("peak", peak), ("median", median), ("mean", mean)):
        order = sorted(range(1, len(per_minute) - ticks), key=lambda m: abs(per_minute[m] - wanted))
        start = next(m for m in order if all(m + ticks <= r.start or m >= r.stop for r in taken))
        taken.append(range(start - 1, start + ticks + 1))
        first = datetime.combine(BENCH_DAY, time(), UTC) + start * MINUTE
        windows.append(Window(name, first, ticks, per_minute[start]))
    ordered = tuple(sorted(windows, key=lambda window: window.first_tick))
    return Day(ordered, median, mean, peak)


class AllKindsRows(Rows):
    """``Rows``, plus reminders, couples on a rhythm and their talk prompts, with every item
    due in a timed window or else on the next day (see ``Day.ticked``)."""

    def __init__(self, catalog: Catalog, day: Day, key: DataKey) -> None:
        super().__init__(catalog, day.populated_at, key)
        self._day = day
        self._routines = tuple(routine.id for routine in catalog.routines)

    def tables(self) -> tuple[tuple[sa.Table, Callable[[Person], JSON | None]], ...]:
        return (
            *super().tables(),
            (reminders_table, self.reminders),
            (partner_links, self.link),
        )

    def _placed(self, zone: str, at: time) -> datetime:
        due = _next_after(self._after, zone, at)
        return due if self._day.ticked(due) else _next_after(due, zone, at)

    def due(self, person: Person) -> datetime:
        return self._placed(person.zone, person.at)

    def course(self, person: Person) -> JSON:
        talk = _next_after(self._after, person.zone, TALK_TIME) if paired(person) else None
        return {
            **super().course(person),
            "talk_due": talk if talk is not None and self._day.ticked(talk) else None,
        }

    def reminders(self, person: Person) -> JSON | None:
        at = reminder_time(person)
        if at is None:
            return None
        rotation = person.id % len(self._routines)
        chosen = Reminders(
            person.id,
            active=True,
            routines=self._routines,
            local_time=at,
            rotation=rotation,
            next_due=self._placed(person.zone, at),
        )
        return reminders_values(chosen)

    def link(self, person: Person) -> JSON | None:
        if not inviter(person):
            return None
        return {
            "id": person.id,
            "subscriber_id": person.id,
            "partner_id": person.id + 1,
            "code_hash": None,
            "linked": True,
            "expires_at": None,
            # A couple rhythm both accepted: what makes the evening prompt due.
            "rhythm_days": self._days,
            "rhythm_time": f"{person.at:%H:%M}",
        }
