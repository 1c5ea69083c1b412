"""``/daily``: opt in to the daily lesson, or change it: track, days, time, time zone."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.flows import Answers, Draft, ScheduleQuestions
from bot.ui.daily import BEGIN, DAILY, STOP, TRACK, track_keyboard
from bot.ui.keyboards import keyboard
from bot.ui.when import describe_days, describe_instant
from lessons.model import Track
from scheduler.actions import Refusal, schedule
from scheduler.timing import format_local_time


async def begin(update: Update, context: BotContext) -> None:
    """The command: a summary with choices when already subscribed, else the first step."""
    current = await schedule.daily_lessons(context.store, replies.chat_id(update))
    if current is None:
        await ask_track(update, context)
        return
    await replies.send(update, _summary(context, current), _summary_keyboard(context))


async def ask_track(update: Update, context: BotContext, prompt: str = "daily.track.ask") -> None:
    """Open the flow at its first question: which course."""
    QUESTIONS.open(context)
    # Opened by /daily, the flow can be cancelled; after a shared card or an invite, the
    # question is an offer, which the person may simply leave.
    cancel = [QUESTIONS.nav(context, None)] if prompt == "daily.track.ask" else []
    markup = track_keyboard(context, prompt, *cancel)
    await replies.send(update, context.text(prompt), markup)


async def _track_again(press: Press, _: Draft) -> None:
    """Back from how often: the course question again, in place."""
    prompt = "daily.track.ask"
    markup = track_keyboard(press.context, prompt, QUESTIONS.nav(press.context, None))
    await press.edit(press.text(prompt), markup)


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


def _summary(context: BotContext, current: schedule.DailyLessons) -> str:
    course, zone = current.course, current.subscriber.timezone
    if course.paused or course.next_due is None:
        next_line = context.text("daily.summary.paused")
    else:
        next_line = context.text("daily.summary.next", when=describe_instant(course.next_due, zone))
    return context.text(
        "daily.summary",
        track=context.text(f"daily.track.{course.track.value}"),
        days=describe_days(context, course.days),
        time=format_local_time(course.local_time),
        zone=zone,
        next=next_line,
    )


def _summary_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("daily.button.change"), BEGIN.data())],
        [(context.text("daily.button.stop"), STOP.data())],
    )


QUESTIONS = ScheduleQuestions(DAILY, _confirm, _track_again)

BUTTONS = buttons.router(
    DAILY,
    on(BEGIN, _begin),
    on(TRACK, _track),
    on(STOP, _stop),
    *QUESTIONS.routes(),
)
