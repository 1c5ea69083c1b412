"""``/daily``: opt in to the daily lesson, or change it: track, days, time, time zone.

Someone already set up sees where they stand first: the summary while lessons are on, an
offer to resume as before after a stop, the ways on once the course is finished.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.flows import Answers, Draft, ScheduleQuestions
from bot.handlers import tailor
from bot.ui import lessons
from bot.ui import tailor as tailor_ui
from bot.ui.daily import BEGIN, DAILY, RESUME, SHOW, STOP, TRACK, track_keyboard
from bot.ui.keyboards import Row, keyboard
from bot.ui.progress import schedule_values, standing, weekly
from bot.ui.when import describe_days
from lessons.model import Track
from scheduler.actions import Refusal, schedule
from scheduler.actions.schedule import Overview, Standing
from scheduler.timing import format_local_time


async def begin(update: Update, context: BotContext) -> None:
    """The command: where the person stands with choices, else the first step."""
    overview = await schedule.course_overview(
        context.store, context.catalog, replies.chat_id(update)
    )
    if overview is None or overview.standing is Standing.NEW:
        await ask_track(update, context)
        return
    text, markup = summary(context, overview)
    await replies.send(update, text, markup)


def summary(context: BotContext, overview: Overview) -> tuple[str, InlineKeyboardMarkup]:
    """/daily's answer for someone set up already, by where they stand."""
    catalog = context.catalog
    if overview.standing is Standing.STOPPED:
        if overview.place is not None and overview.place.review:
            text = context.text("progress.resume.ask_review", **weekly(context, overview))
        else:
            text = context.text("progress.resume.ask", **schedule_values(context, overview))
        return text, _resume_keyboard(context)
    if overview.standing is Standing.FINISHED:
        text = standing(context, overview) + "\n\n" + context.text("progress.finished.ask")
        return text, lessons.complete_keyboard(catalog, overview.course.track, overview.rested)
    return _summary(context, overview), _summary_keyboard(context, overview)


async def _show(press: Press) -> None:
    await begin(press.update, press.context)


async def _resume(press: Press) -> None:
    context = press.context
    resumed = await schedule.resume_daily_lessons(
        context.store, context.catalog, press.now, press.chat_id
    )
    if resumed is Refusal.ALREADY_DONE:
        press.say("progress.resume.already")
        return
    if isinstance(resumed, Refusal):
        press.stale()
        return
    overview = resumed.overview
    markup: InlineKeyboardMarkup | None = None
    if overview.standing is Standing.FINISHED:
        text, markup = summary(context, overview)
    elif overview.standing is Standing.REVIEW:
        text = _confirmation(context, overview)
    else:
        text = press.text("progress.resumed", **schedule_values(context, overview))
    if resumed.reminders_stopped:
        # /stop silenced both; this brought back the lessons only, and says so.
        text += "\n\n" + press.text("progress.resumed.reminders_off")
    await press.edit(text, markup)


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
        context.store, now, replies.chat_id(update), choices, context.language
    )
    overview = schedule.overview_of(context.catalog, chosen.subscriber, chosen.course)
    text = _confirmation(context, overview)
    if (chosen.course.days, chosen.course.local_time) != (answers.days, answers.local_time):
        # A couple rhythm sets the days and time: the choice waits as the person's own.
        text = f"{text}\n\n{context.text('couple.kept')}"
    await replies.send(update, text, ReplyKeyboardRemove())
    if overview.standing is Standing.FINISHED:
        track = overview.course.track
        markup = lessons.complete_keyboard(context.catalog, track, overview.rested)
        await replies.send(update, context.text("progress.finished.ask"), markup)
    if chosen.ask_questions:
        await tailor.ask_first(update, context)


def _confirmation(context: BotContext, overview: Overview) -> str:
    """What is now true: the first lesson's arrival only for a course not yet begun."""
    values = schedule_values(context, overview)
    if overview.standing is Standing.FINISHED:
        return context.text("progress.confirm.finished", **values)
    if overview.standing is Standing.REVIEW:
        return context.text("progress.confirm.review", **weekly(context, overview))
    place = overview.place
    if place is not None and place.number > 1:
        return context.text("progress.confirm.again", **values)
    return context.text(
        "daily.confirm",
        days=values["days"],
        time=values["time"],
        zone=values["zone"],
        first=values["when"],
    )


def _summary(context: BotContext, overview: Overview) -> str:
    course = overview.course
    text = context.text(
        "daily.summary",
        track=context.text(f"daily.track.{course.track.value}"),
        days=describe_days(context, overview.days),
        time=format_local_time(course.local_time),
        zone=overview.zone,
        next=standing(context, overview),
    )
    why = _why_next(context, overview)
    return text if why is None else f"{text}\n\n{why}"


def _why_next(context: BotContext, overview: Overview) -> str | None:
    """Why the next lesson comes next, when the person's answers put it there."""
    upcoming = overview.next
    reason = None if upcoming is None else tailor_ui.reason_line(context.catalog, upcoming.reason)
    if upcoming is None or reason is None:
        return None
    return context.text("tailor.daily.next", title=upcoming.lesson.title, reason=reason)


def _summary_keyboard(context: BotContext, overview: Overview) -> InlineKeyboardMarkup:
    if overview.standing is Standing.REVIEW:
        end = (context.text("progress.review.end"), lessons.REST.data(overview.course.track))
        return keyboard([(context.text("daily.button.change"), BEGIN.data())], [end])
    rows: list[Row] = [
        [(context.text("daily.button.change"), BEGIN.data())],
        [(context.text("daily.button.stop"), STOP.data())],
    ]
    if _why_next(context, overview) is not None:
        rows.insert(1, tailor_ui.standard_row(context.catalog))
    return keyboard(*rows)


def _resume_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("progress.resume.button"), RESUME.data())],
        [(context.text("progress.resume.change"), BEGIN.data())],
    )


QUESTIONS = ScheduleQuestions(DAILY, _confirm, _track_again)

BUTTONS = buttons.router(
    DAILY,
    on(BEGIN, _begin),
    on(TRACK, _track),
    on(STOP, _stop),
    on(SHOW, _show),
    on(RESUME, _resume),
    *QUESTIONS.routes(),
)
