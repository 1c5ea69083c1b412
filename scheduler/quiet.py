"""Quiet hours: the one rule for when a scheduled message may make a sound.

Every kind of scheduled message (lessons, the finished-course note, reminders and their
snoozes, partner prompts) asks ``quiet_verdict`` at the moment it would go out: send now
with sound, send now silently, or hold until the quiet hours end. The delivery engine
applies it for every kind, and the settings screens apply it to the stored next delivery to
say truthfully when it will arrive.

Quiet hours are a span of the person's wall clock, such as 22:00 to 08:00, which may cross
midnight. On the instant line they run from the first moment the wall clock shows the start
to the first moment it shows the end, both read with the rule of ``scheduler.timing`` (a
skipped time moves to the next minute that exists, a repeated one counts at its first
occurrence). So a range whose end a spring-forward change skips ends at the first minute
after the gap, and on a fall-back night the repeated hour after the end is not quiet again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from scheduler.model import QuietMode, Subscriber
from scheduler.timing import local_date, wall_clock_instant


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A person's quiet hours: the wall-clock span and what it does to a message."""

    start: time = time(22, 0)
    end: time = time(8, 0)
    mode: QuietMode = QuietMode.SILENT

    @classmethod
    def of(cls, subscriber: Subscriber) -> QuietHours:
        return cls(subscriber.quiet_start, subscriber.quiet_end, subscriber.quiet_mode)

    @property
    def on(self) -> bool:
        """Off, or a span of no length (start equal to end), never changes anything."""
        return self.mode is not QuietMode.OFF and self.start != self.end


@dataclass(frozen=True, slots=True)
class SendNow:
    silent: bool


@dataclass(frozen=True, slots=True)
class HoldUntil:
    instant: datetime
    """The end of the quiet hours the message fell in: when it may go, with sound."""


QuietVerdict = SendNow | HoldUntil
LOUD = SendNow(silent=False)
SILENT = SendNow(silent=True)


def quiet_verdict(due: datetime, zone: str, quiet: QuietHours) -> QuietVerdict:
    """What a message due at ``due`` (a UTC instant) does for a person in ``zone``: go now
    with sound, go now silently, or wait until the instant the quiet hours end."""
    end = quiet_span_end(due, zone, quiet)
    if end is None:
        return LOUD
    if quiet.mode is QuietMode.WAIT:
        return HoldUntil(end)
    return SILENT


def quiet_span_end(instant: datetime, zone: str, quiet: QuietHours) -> datetime | None:
    """The end of the quiet span that ``instant`` falls in, or None when it is outside them
    (or they are off)."""
    if not quiet.on:
        return None
    today = local_date(instant, zone)
    # A span that crosses midnight and covers this instant began yesterday or today; one
    # that does not began today.
    for began in (today - timedelta(days=1), today):
        start = wall_clock_instant(began, quiet.start, zone)
        ends_on = began + timedelta(days=1) if quiet.end < quiet.start else began
        end = wall_clock_instant(ends_on, quiet.end, zone)
        if start <= instant < end:
            return end
    return None


@dataclass(frozen=True, slots=True)
class Upcoming:
    """The next scheduled message as it will really arrive, quiet hours applied."""

    arrives: datetime
    planned: datetime
    """When it is planned, before quiet hours: later than this only when it is held."""
    silent: bool

    @property
    def held(self) -> bool:
        return self.arrives != self.planned


def upcoming(due: datetime | None, subscriber: Subscriber) -> Upcoming | None:
    """When a message planned for ``due`` will really arrive, and how: what a screen says
    about the next delivery, by the same rule the delivery engine applies."""
    if due is None:
        return None
    verdict = quiet_verdict(due, subscriber.timezone, QuietHours.of(subscriber))
    if isinstance(verdict, HoldUntil):
        return Upcoming(verdict.instant, due, silent=False)
    return Upcoming(due, due, verdict.silent)
