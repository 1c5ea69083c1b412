"""What the store keeps about a person: settings, course progress and reminder choices.

Every record is a frozen dataclass; a change is a ``dataclasses.replace`` followed by a save,
so no handler holds state of its own between updates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from lessons.library import DEFAULT_LANGUAGE
from lessons.model import Track

EVERY_DAY: frozenset[int] = frozenset(range(7))
WEEKDAYS: frozenset[int] = frozenset(range(5))
"""Days are ISO weekdays counted from Monday = 0, as ``date.weekday()`` gives them."""


class QuietMode(StrEnum):
    """What a scheduled message (any kind) does when it falls inside quiet hours."""

    SILENT = "silent"
    """It goes at its time, without sound (Telegram's ``disable_notification``)."""
    WAIT = "wait"
    """It is held until the quiet hours end, and goes then, with sound."""
    OFF = "off"
    """No quiet hours: the span is kept for when they are switched on again."""


class Stage(StrEnum):
    """Where a person is in their course: in it, done with it, or on the weekly review."""

    COURSE = "course"
    FINISHED = "finished"
    """The completion note went out (or was read): nothing more arrives until the person
    picks a way on. Never shown as paused."""
    REVIEW = "review"
    """A lesson a week, drawn from the finished course and the lessons for later."""
    RESTED = "rested"
    """Finished, and the person chose to rest (or ended the weekly review): as finished in
    every way, except that "rest" is no longer one of the ways on they are offered."""

    @property
    def finished(self) -> bool:
        """Past the course with nothing arriving, whether or not the person chose rest."""
        return self in (Stage.FINISHED, Stage.RESTED)


class Kind(StrEnum):
    """What is delivered on a schedule."""

    LESSON = "lesson"
    REMINDER = "reminder"
    SNOOZE = "snooze"
    """A reminder asked for again an hour later ("later"), at most once a day."""
    TALK = "talk"
    """The evening prompt to talk about the day's lesson, for partners on a couple rhythm
    once the delivery log shows both received it."""
    CHECKIN = "checkin"
    """The weekly "nobody goes first" check-in, on its evening instead of the prompt."""


class DeliveryStatus(StrEnum):
    """A row of the delivery log: how that day's item of one kind went for one person."""

    CLAIMED = "claimed"
    """Taken by a tick, its send not started: if the process dies, the claim's lease runs
    out and any process's next tick takes it over and sends it."""
    SENDING = "sending"
    """Its send started. Left so by a process that died mid-send: whether it arrived is
    unknown, and it is never sent again."""
    SENT = "sent"
    HELD = "held"
    """Due inside quiet hours the person chose to wait out: its day stays taken, so nothing
    else of its kind goes that day, and it goes once its ``due_at`` (the end of those quiet
    hours) comes, as any claim would."""
    SKIPPED = "skipped"
    """Missed during downtime, past the grace: not sent, and the course did not move on."""
    BLOCKED = "blocked"
    """The person blocked the bot."""
    UNKNOWN = "unknown"
    """Telegram may or may not have delivered it (a read timeout, a connection lost after
    the request was written, a send past its deadline): never sent again, and the course
    does not move on for it."""


@dataclass(frozen=True, slots=True)
class Subscriber:
    """A person who chose to store something: the bot knows nothing about anyone else."""

    id: int
    chat_id: int
    timezone: str = "UTC"
    discreet: bool = True
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)
    quiet_mode: QuietMode = QuietMode.SILENT
    blocked: bool = False
    language: str = DEFAULT_LANGUAGE
    """The content language everything is said to them in: picked from Telegram's
    ``language_code`` when they were first stored, then whatever they chose in /language."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone a message about another person's doing goes to (a linked partner): where to
    send it and the language to say it in."""

    chat_id: int
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class Course:
    """The daily lesson: which track, when, and how far along."""

    subscriber_id: int
    track: Track = Track.SELF
    active: bool = False
    paused: bool = False
    days: frozenset[int] = EVERY_DAY
    local_time: time = time(20, 0)
    position: int = 1
    """The day number of the next lesson to deliver in the track; past the last one, the
    weekly review counts on from there."""
    last_lesson_id: str | None = None
    next_due: datetime | None = None
    """UTC instant of the next delivery; None while inactive, paused or finished."""
    stage: Stage = Stage.COURSE
    read_ahead: bool = False
    """The person said to read ahead without being asked again, for this course."""
    chosen: bool = False
    """Days and a time were chosen once: after a stop, /daily offers them back."""


@dataclass(frozen=True, slots=True)
class Reminders:
    """Gentle routine reminders: which routines, on which days, at what time."""

    subscriber_id: int
    active: bool = False
    paused: bool = False
    routines: tuple[str, ...] = ()
    days: frozenset[int] = EVERY_DAY
    local_time: time = time(18, 0)
    rotation: int = 0
    """Index into ``routines`` of the next one to suggest."""
    next_due: datetime | None = None
    snooze_due: datetime | None = None
    snoozed_routine: str | None = None

    @property
    def stopped(self) -> bool:
        """Switched off (``/stop`` or "Stop reminders") with the routines, days and time
        still stored: ``/reminders`` offers them back as they were."""
        return not self.active and bool(self.routines)
