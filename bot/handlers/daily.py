"""``/daily``: opt in to the daily lesson, or change it: track, days, time, time zone."""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot import callbacks, replies
from bot.context import BotContext
from bot.handlers import presence, when
from bot.keyboards import keyboard
from lessons.model import Track
from scheduler.planning import change_zone, save_course
from scheduler.timing import format_local_time

FEATURE = "daily"


async def begin(update: Update, context: BotContext) -> None:
    """The command: a summary with choices when already subscribed, else the first step."""
    subscriber = await context.store.find_subscriber(replies.chat_id(update))
    course = await context.store.course(subscriber.id) if subscriber is not None else None
    if subscriber is None or course is None or not course.active:
        await _ask_track(update, context)
        return
    if course.paused or course.next_due is None:
        next_line = context.text("daily.summary.paused")
    else:
        arrives = when.describe_instant(course.next_due, subscriber.timezone)
        next_line = context.text("daily.summary.next", when=arrives)
    text = context.text(
        "daily.summary",
        track=context.text(f"daily.track.{course.track.value}"),
        days=when.describe_days(context, course.days),
        time=format_local_time(course.local_time),
        zone=subscriber.timezone,
        next=next_line,
    )
    buttons = keyboard(
        [(context.text("daily.button.change"), callbacks.build(FEATURE, "begin"))],
        [(context.text("daily.button.stop"), callbacks.build(FEATURE, "stop"))],
    )
    await replies.send(update, text, buttons)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = callbacks.parse(query.data)
    if data is None:
        await replies.expired(update, context)
    elif data.action == "begin":
        await replies.answer(update)
        await _ask_track(update, context)
    elif data.action == "track":
        await _choose_track(update, context, data.arg())
    elif data.action == "stop":
        await _stop(update, context)
    elif not await QUESTIONS.on_step(update, context, data.action, data.arg()):
        await replies.expired(update, context)


async def _ask_track(update: Update, context: BotContext) -> None:
    QUESTIONS.open(context)
    await replies.send(update, context.text("daily.track.ask"), _track_keyboard(context))


async def _choose_track(update: Update, context: BotContext, arg: str | None) -> None:
    draft = await QUESTIONS.draft_or_expired(update, context)
    if draft is None:
        return
    if arg not in {track.value for track in Track}:
        await replies.expired(update, context)
        return
    draft["track"] = arg
    await QUESTIONS.ask_cadence(update, context)


async def _confirm(update: Update, context: BotContext, draft: when.Draft, zone: str) -> None:
    """Store the choices, plan the first delivery and say when it will arrive."""
    store = context.store
    subscriber = await presence.bring_back(
        context, await store.ensure_subscriber(replies.chat_id(update))
    )
    subscriber = await change_zone(store, subscriber, zone, context.services.clock.now())
    course = await store.course(subscriber.id)
    track = Track(draft.get("track", course.track))
    course = replace(
        course,
        track=track,
        # Switching track starts the new one at its first lesson; otherwise progress stays.
        position=course.position if track == course.track else 1,
        days=when.draft_days(draft),
        local_time=when.draft_time(draft),
        active=True,
        paused=False,
    )
    course = await save_course(store, subscriber, course, context.services.clock.now())
    assert course.next_due is not None  # active, not paused, at least one day
    text = context.text(
        "daily.confirm",
        days=when.describe_days(context, course.days),
        time=format_local_time(course.local_time),
        zone=zone,
        first=when.describe_instant(course.next_due, zone),
    )
    await replies.send(update, text, ReplyKeyboardRemove())


async def _stop(update: Update, context: BotContext) -> None:
    subscriber = await context.store.find_subscriber(replies.chat_id(update))
    if subscriber is not None:
        course = await context.store.course(subscriber.id)
        await context.store.save_course(replace(course, active=False, next_due=None))
    await replies.edit(update, context.text("daily.stopped"), None)


def _track_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        *[
            [
                (
                    context.text(f"daily.track.{track.value}"),
                    callbacks.build(FEATURE, "track", track.value),
                )
            ]
            for track in Track
        ]
    )


QUESTIONS = when.ScheduleQuestions(FEATURE, _confirm)
