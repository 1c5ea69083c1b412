"""``/daily``: opt in to the daily lesson, or change it: track, days, time, time zone."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.flows import Answers, ScheduleQuestions
from bot.handlers import tailor
from bot.ui import tailor as tailor_ui
from bot.ui.daily import BEGIN, DAILY, STOP, TRACK, track_keyboard
from bot.ui.keyboards import Row, keyboard
from bot.ui.when import describe_days, describe_instant
from lessons.model import Track
from scheduler.actions import Refusal, schedule
from scheduler.timing import format_local_time


async def begin(update: Update, context: BotContext) -> None:
    """The command: a summary with choices when already subscribed, else the first step."""
    current = await schedule.daily_lessons(context.store, replies.chat_id(update), context.catalog)
    if current is None:
        await ask_track(update, context)
        return
    await replies.send(update, _summary(context, current), _summary_keyboard(context, current))


async def ask_track(update: Update, context: BotContext, prompt: str = "daily.track.ask") -> None:
    """Open the flow at its first question: which course."""
    QUESTIONS.open(context)
    await replies.send(update, context.text(prompt), track_keyboard(context, prompt))


async def _begin(press: Press) -> None:
    await ask_track(press.update, press.context)


async def _track(press: Press, track: Track) -> None:
    draft = QUESTIONS.open_draft(press)
    if draft is None:
        return
    draft["track"] = track.value
    await QUESTIONS.ask_cadence(press.update, press.context)


async def _stop(press: Press) -> None:
    if await schedule.stop_daily_lessons(press.context.store, press.chat_id) is Refusal.NOT_STORED:
        press.stale()
        return
    await press.edit(press.text("daily.stopped"))


async def _confirm(update: Update, context: BotContext, answers: Answers) -> None:
    """Store the choices, plan the first delivery and say when it will arrive."""
    track = answers.draft.get("track")
    choices = schedule.Choices(
        track=Track(track) if track is not None else None,
        days=answers.days,
        local_time=answers.local_time,
        zone=answers.zone,
    )
    now = context.services.clock.now()
    chosen = await schedule.choose_daily_lessons(
        context.store, now, replies.chat_id(update), choices
    )
    course = chosen.course
    assert course.next_due is not None  # active, not paused, at least one day
    text = context.text(
        "daily.confirm",
        days=describe_days(context, course.days),
        time=format_local_time(course.local_time),
        zone=answers.zone,
        first=describe_instant(course.next_due, answers.zone),
    )
    await replies.send(update, text, ReplyKeyboardRemove())
    if chosen.ask_questions:
        await tailor.ask_first(update, context)


def _summary(context: BotContext, current: schedule.DailyLessons) -> str:
    course, zone = current.course, current.subscriber.timezone
    if course.paused or course.next_due is None:
        next_line = context.text("daily.summary.paused")
    else:
        next_line = context.text("daily.summary.next", when=describe_instant(course.next_due, zone))
    summary = context.text(
        "daily.summary",
        track=context.text(f"daily.track.{course.track.value}"),
        days=describe_days(context, course.days),
        time=format_local_time(course.local_time),
        zone=zone,
        next=next_line,
    )
    why = _why_next(context, current)
    return summary if why is None else f"{summary}\n\n{why}"


def _why_next(context: BotContext, current: schedule.DailyLessons) -> str | None:
    """Why the next lesson comes next, when the person's answers put it there."""
    upcoming = current.next
    if upcoming is None:
        return None
    reason = tailor_ui.reason_line(context.catalog, upcoming.reason)
    if reason is None:
        return None
    return context.text("tailor.daily.next", title=upcoming.lesson.title, reason=reason)


def _summary_keyboard(context: BotContext, current: schedule.DailyLessons) -> InlineKeyboardMarkup:
    rows: list[Row] = [
        [(context.text("daily.button.change"), BEGIN.data())],
        [(context.text("daily.button.stop"), STOP.data())],
    ]
    if _why_next(context, current) is not None:
        rows.insert(1, tailor_ui.standard_row(context.catalog))
    return keyboard(*rows)


QUESTIONS = ScheduleQuestions(DAILY, _confirm)

BUTTONS = buttons.router(
    DAILY,
    on(BEGIN, _begin),
    on(TRACK, _track),
    on(STOP, _stop),
    *QUESTIONS.routes(),
)
