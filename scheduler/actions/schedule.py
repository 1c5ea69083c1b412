"""The daily lesson's schedule: where the person stands, opting in, changing it, stopping
it and resuming it as it was.

Every change goes through ``scheduler.planning``, which keeps "never two lessons in one
local day"; the lessons and the reminders share the person's zone. Screens read the days,
time and next delivery from ``course_overview`` here, never from the store's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time
from enum import StrEnum

from lessons.model import Catalog, Track
from lessons.planner import Planned
from scheduler.actions.presence import bring_back
from scheduler.actions.refusals import Refusal
from scheduler.actions.rhythm import keep_to_rhythm
from scheduler.actions.tailoring import first_time_asked
from scheduler.course_plan import course_restarted, planned_at
from scheduler.model import Course, Stage, Subscriber
from scheduler.planning import change_zone, save_course
from scheduler.profile import Profile
from scheduler.progress import Place, delivery_days, is_finished, place_of
from scheduler.quiet import upcoming as quiet_upcoming
from scheduler.store import Store


class Standing(StrEnum):
    """Where a person stands with their course, as every screen tells it."""

    NEW = "new"
    """No schedule was ever chosen."""
    ON = "on"
    PAUSED = "paused"
    STOPPED = "stopped"
    """Days and a time were chosen, then switched off: they can come back as they were."""
    FINISHED = "finished"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Overview:
    """The person's course as it stands: the next lesson's place, and when it arrives."""

    subscriber: Subscriber
    course: Course
    standing: Standing
    place: Place | None
    """The next lesson's place in the course; None once it is finished."""
    next: Planned | None = None
    """The next lesson of the course and why it comes next, when asked for."""

    @property
    def days(self) -> frozenset[int]:
        """The days lessons arrive on (one a week on the review)."""
        return delivery_days(self.course)

    @property
    def zone(self) -> str:
        return self.subscriber.timezone

    @property
    def rested(self) -> bool:
        """Finished, and the person chose rest already: it is not offered again."""
        return self.course.stage is Stage.RESTED

    @property
    def arrives(self) -> datetime | None:
        """When the next lesson really arrives: later than planned when quiet hours hold it."""
        upcoming = quiet_upcoming(self.course.next_due, self.subscriber)
        return None if upcoming is None else upcoming.arrives


async def course_overview(store: Store, catalog: Catalog, chat_id: int) -> Overview | None:
    """The course as it stands, for /start, /daily and /settings; None for someone not
    stored. Reading it stores nobody."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return None
        course = await tx.course(subscriber.id)
        return overview_of(catalog, subscriber, course, await tx.profile(subscriber.id))


async def arrive(store: Store, catalog: Catalog, now: datetime, chat_id: int) -> Overview | None:
    """``/start``: someone still marked as having blocked the bot is plainly back (a safety
    net for a lost unblock update), then the course as it stands; None for someone not
    stored, and nobody is created. One transaction for both."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return None
        subscriber = await bring_back(tx, now, subscriber)
        course = await tx.course(subscriber.id)
        return overview_of(catalog, subscriber, course, await tx.profile(subscriber.id))


def overview_of(
    catalog: Catalog, subscriber: Subscriber, course: Course, profile: Profile | None = None
) -> Overview:
    """``profile``: also the next lesson and why it comes next (``Overview.next``)."""
    finished = is_finished(catalog, course)
    place = None if finished else place_of(catalog, course, course.position)
    upcoming = None
    if profile is not None and not finished and course.stage is Stage.COURSE:
        upcoming = planned_at(catalog, course, profile)
    return Overview(subscriber, course, _standing(course, finished), place, upcoming)


def _standing(course: Course, finished: bool) -> Standing:
    if finished:
        return Standing.FINISHED
    if course.stage is Stage.REVIEW and course.active:
        return Standing.REVIEW if not course.paused else Standing.PAUSED
    if course.active:
        return Standing.PAUSED if course.paused else Standing.ON
    return Standing.STOPPED if course.chosen else Standing.NEW


@dataclass(frozen=True, slots=True)
class ResumedLessons:
    """The lessons back on as they were, and whether the reminders, stopped with them by
    ``/stop``, stay off: resuming one never brings back the other."""

    overview: Overview
    reminders_stopped: bool


async def resume_daily_lessons(
    store: Store, catalog: Catalog, now: datetime, chat_id: int
) -> ResumedLessons | Refusal:
    """After a stop: the lessons back on the days, time and zone they had, with no
    set-up. Only for a stopped schedule; a repeated tap is ``Refusal.ALREADY_DONE``."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        if course.active or not course.chosen:
            return Refusal.ALREADY_DONE
        subscriber = await bring_back(tx, now, subscriber)
        course = replace(course, active=True, paused=False)
        course = await save_course(tx, subscriber, course, now)
        reminders = await tx.reminders(subscriber.id)
        return ResumedLessons(overview_of(catalog, subscriber, course), reminders.stopped)


@dataclass(frozen=True, slots=True)
class DailyLessons:
    """The person and their course, as stored after the action."""

    subscriber: Subscriber
    course: Course
    ask_questions: bool = False
    """The first opt-in: the course questions are offered now, once."""


@dataclass(frozen=True, slots=True)
class Choices:
    """What a person picks in ``/daily``; ``track`` None keeps the current one."""

    track: Track | None
    days: frozenset[int]
    local_time: time
    zone: str


async def daily_lessons(store: Store, chat_id: int) -> DailyLessons | None:
    """The person's daily lessons while they are on, else None."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return None
        course = await tx.course(subscriber.id)
        return DailyLessons(subscriber, course) if course.active else None


async def stored_zone(store: Store, chat_id: int) -> str | None:
    """The zone a flow offers to keep; None for someone not stored."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        return None if subscriber is None else subscriber.timezone


async def choose_daily_lessons(
    store: Store, now: datetime, chat_id: int, choices: Choices, language: str
) -> DailyLessons:
    """Opt in, or change the schedule: this is a start, so it stores a new person (speaking
    ``language``), and brings back one still marked as having blocked the bot. Switching
    track starts the new one at its first lesson; otherwise progress stays."""
    async with store.transaction() as tx:
        subscriber = await bring_back(tx, now, await tx.ensure_subscriber(chat_id, language))
        subscriber = await change_zone(tx, subscriber, choices.zone, now)
        course = await tx.course(subscriber.id)
        track = choices.track or course.track
        if track != course.track:
            await course_restarted(tx, subscriber.id)
            course = replace(course, stage=Stage.COURSE, read_ahead=False)
        course = replace(
            course,
            track=track,
            position=course.position if track == course.track else 1,
            days=choices.days,
            local_time=choices.local_time,
            active=True,
            paused=False,
            chosen=True,
        )
        saved = await save_course(tx, subscriber, course, now)
        ask = await first_time_asked(tx, subscriber.id)
        kept = await keep_to_rhythm(tx, subscriber, saved, now)
        return DailyLessons(subscriber, kept, ask_questions=ask)


async def stop_daily_lessons(store: Store, chat_id: int) -> Refusal | None:
    """Switch the daily lessons off, keeping progress; None when done."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Refusal.NOT_STORED
        course = await tx.course(subscriber.id)
        await tx.save_course(replace(course, active=False, next_due=None))
        return None
