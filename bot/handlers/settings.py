"""``/settings``: time, time zone, discreet previews, quiet hours, pause and resume.

Each button shows the current value, so the message is the settings page itself; a tap
changes one thing, stores it, re-plans the next delivery and redraws the page.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot import callbacks, pending, replies
from bot.context import BotContext
from bot.handlers import when
from bot.keyboards import keyboard
from scheduler.model import Course, QuietMode, Subscriber
from scheduler.planning import change_zone, save_course
from scheduler.timing import format_local_time

FEATURE = "set"
TIME_INPUT = "set.time"
ZONE_INPUT = "set.zone"


async def overview(update: Update, context: BotContext) -> None:
    text, markup = await _page(context, replies.chat_id(update))
    await replies.send(update, text, markup)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = callbacks.parse(query.data)
    action = _ACTIONS.get(data.action) if data is not None else None
    if data is None or action is None:
        await replies.expired(update, context)
        return
    await action(update, context, data.arg())


async def _page(context: BotContext, chat_id: int) -> tuple[str, InlineKeyboardMarkup]:
    store = context.store
    subscriber = await store.find_subscriber(chat_id) or Subscriber(id=0, chat_id=chat_id)
    course = await store.course(subscriber.id)
    lessons_on = course.active and not course.paused
    quiet = context.text(
        f"settings.quiet.{subscriber.quiet_mode.value}",
        start=format_local_time(subscriber.quiet_start),
        end=format_local_time(subscriber.quiet_end),
    )
    rows = [
        [
            (
                context.text("settings.button.time", time=format_local_time(course.local_time)),
                _cb("asktime"),
            )
        ],
        [(context.text("settings.button.zone", zone=subscriber.timezone), _cb("askzone"))],
        [
            (
                context.text(
                    "settings.button.discreet_" + ("on" if subscriber.discreet else "off")
                ),
                _cb("discreet"),
            )
        ],
        [(quiet, _cb("quiet"))],
    ]
    if course.active:
        rows.append(
            [
                (
                    context.text("settings.button." + ("pause" if lessons_on else "resume")),
                    _cb("pause"),
                )
            ]
        )
    text = (
        context.text("settings.title")
        + "\n\n"
        + context.text(
            "settings.lessons_" + ("on" if lessons_on else "paused" if course.active else "off")
        )
    )
    return text, keyboard(*rows)


def _cb(action: str, *args: str) -> str:
    return callbacks.build(FEATURE, action, *args)


async def _redraw(update: Update, context: BotContext, note: str | None = None) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    text, markup = await _page(context, update.effective_chat.id)
    await query.answer(note)
    await query.edit_message_text(text, reply_markup=markup)


async def _toggle_discreet(update: Update, context: BotContext, _: str | None) -> None:
    subscriber = await context.store.ensure_subscriber(replies.chat_id(update))
    await context.store.save_subscriber(replace(subscriber, discreet=not subscriber.discreet))
    await _redraw(update, context)


async def _toggle_quiet(update: Update, context: BotContext, _: str | None) -> None:
    """Quiet hours either send silently or hold reminders until they end."""
    subscriber = await context.store.ensure_subscriber(replies.chat_id(update))
    mode = QuietMode.WAIT if subscriber.quiet_mode is QuietMode.SILENT else QuietMode.SILENT
    await context.store.save_subscriber(replace(subscriber, quiet_mode=mode))
    await _redraw(update, context)


async def _toggle_pause(update: Update, context: BotContext, _: str | None) -> None:
    subscriber = await context.store.ensure_subscriber(replies.chat_id(update))
    course = await context.store.course(subscriber.id)
    if not course.active:
        await _redraw(update, context, context.text("settings.not_subscribed"))
        return
    await _save_course(context, subscriber, replace(course, paused=not course.paused))
    await _redraw(update, context)


async def _ask_time(update: Update, context: BotContext, _: str | None) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    pending.expect(context, TIME_INPUT)
    await replies.send(update, context.text("when.time.ask"), when.time_keyboard(FEATURE))


async def _time_button(update: Update, context: BotContext, arg: str | None) -> None:
    chosen = when.time_from_button(arg)
    query = update.callback_query
    assert query is not None
    if chosen is None:
        await replies.expired(update, context)
        return
    await query.answer()
    await _time_chosen(update, context, chosen)


async def on_time_typed(update: Update, context: BotContext) -> None:
    chosen = await when.typed_time(update, context)
    if chosen is not None:
        await _time_chosen(update, context, chosen)


async def _time_chosen(update: Update, context: BotContext, at: time) -> None:
    pending.done(context)
    subscriber = await context.store.ensure_subscriber(replies.chat_id(update))
    course = await context.store.course(subscriber.id)
    course = await _save_course(context, subscriber, replace(course, local_time=at))
    saved = context.text("settings.saved_time", time=format_local_time(at))
    await replies.send(update, _saved_note(context, subscriber, course, saved))


async def _ask_zone(update: Update, context: BotContext, _: str | None) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    pending.expect(context, ZONE_INPUT)
    await replies.send(
        update, context.text("when.zone.ask"), when.zone_keyboard(context, FEATURE, None)
    )
    await replies.send(
        update, context.text("when.zone.location_hint"), when.location_keyboard(context)
    )


async def _zone_button(update: Update, context: BotContext, arg: str | None) -> None:
    query = update.callback_query
    assert query is not None
    zone = when.zone_from_button(arg)
    if zone is None:
        await replies.expired(update, context)
        return
    await query.answer()
    await _zone_chosen(update, context, zone)


async def on_zone_typed(update: Update, context: BotContext) -> None:
    zone = await when.typed_zone(update, context)
    if zone is not None:
        await _zone_chosen(update, context, zone)


async def on_location(update: Update, context: BotContext) -> None:
    zone = await when.shared_zone(update, context)
    if zone is not None:
        await _zone_chosen(update, context, zone)


async def _zone_chosen(update: Update, context: BotContext, zone: str) -> None:
    pending.done(context)
    store = context.store
    subscriber = await change_zone(
        store,
        await store.ensure_subscriber(replies.chat_id(update)),
        zone,
        context.services.clock.now(),
    )
    course = await store.course(subscriber.id)
    saved = context.text("settings.saved_zone", zone=zone)
    await replies.send(
        update, _saved_note(context, subscriber, course, saved), ReplyKeyboardRemove()
    )


def _saved_note(context: BotContext, subscriber: Subscriber, course: Course, saved: str) -> str:
    """What changed, and when the next lesson now arrives if there is one."""
    if course.next_due is None:
        return saved
    arrives = when.describe_instant(course.next_due, subscriber.timezone)
    return saved + "\n" + context.text("settings.next_lesson", when=arrives)


async def _save_course(context: BotContext, subscriber: Subscriber, course: Course) -> Course:
    """Store the course with its next delivery planned for the new settings."""
    return await save_course(context.store, subscriber, course, context.services.clock.now())


_ACTIONS = {
    "asktime": _ask_time,
    "time": _time_button,
    "askzone": _ask_zone,
    "zone": _zone_button,
    "discreet": _toggle_discreet,
    "quiet": _toggle_quiet,
    "pause": _toggle_pause,
}
