"""``/reminders``: gentle nudges toward stress-lowering routines, on chosen days and time."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot import callbacks, replies
from bot.context import BotContext
from bot.delivery import reminder_keyboard
from bot.handlers import presence, when
from bot.keyboards import in_rows, keyboard
from scheduler.model import Reminders, Subscriber
from scheduler.planning import change_zone, save_reminders
from scheduler.timing import format_local_time

FEATURE = "rem"
SNOOZE = timedelta(hours=1)


async def overview(update: Update, context: BotContext) -> None:
    subscriber = await context.store.find_subscriber(replies.chat_id(update))
    reminders = await context.store.reminders(subscriber.id) if subscriber is not None else None
    if subscriber is None or reminders is None or not reminders.active:
        await _ask_routines(update, context)
        return
    await replies.send(
        update, _summary(context, subscriber, reminders), _summary_buttons(context, reminders)
    )


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = callbacks.parse(query.data)
    if data is None:
        await replies.expired(update, context)
    elif data.action == "begin":
        await replies.answer(update)
        await _ask_routines(update, context)
    elif data.action == "tog":
        await _toggle_routine(update, context, data.arg())
    elif data.action == "next":
        await _routines_done(update, context)
    elif data.action in {"pause", "stop"}:
        await _pause_or_stop(update, context, data.action)
    elif data.action == "done":
        await _done(update, context)
    elif data.action == "later":
        await _later(update, context, data.arg())
    elif not await QUESTIONS.on_step(update, context, data.action, data.arg()):
        await replies.expired(update, context)


async def _ask_routines(update: Update, context: BotContext) -> None:
    draft = QUESTIONS.open(context, routines=[])
    await replies.send(
        update, context.text("reminders.routines.ask"), _routine_keyboard(context, draft)
    )


async def _toggle_routine(update: Update, context: BotContext, arg: str | None) -> None:
    draft = await QUESTIONS.draft_or_expired(update, context)
    if draft is None:
        return
    routines = context.catalog.routines
    if arg is None or not arg.isdigit() or int(arg) >= len(routines):
        await replies.expired(update, context)
        return
    chosen: list[str] = draft["routines"]
    routine_id = routines[int(arg)].id
    if routine_id in chosen:
        chosen.remove(routine_id)
    else:
        chosen.append(routine_id)
    await replies.edit(
        update, context.text("reminders.routines.ask"), _routine_keyboard(context, draft)
    )


async def _routines_done(update: Update, context: BotContext) -> None:
    draft = await QUESTIONS.draft_or_expired(update, context)
    if draft is None:
        return
    if not draft["routines"]:
        query = update.callback_query
        assert query is not None
        await query.answer(context.text("reminders.routines.none"), show_alert=True)
        return
    await QUESTIONS.ask_cadence(update, context)


async def _confirm(update: Update, context: BotContext, draft: when.Draft, zone: str) -> None:
    store = context.store
    subscriber = await presence.bring_back(
        context, await store.ensure_subscriber(replies.chat_id(update))
    )
    subscriber = await change_zone(store, subscriber, zone, context.services.clock.now())
    # Keep the catalog's order, so the rotation runs through routines predictably.
    chosen = tuple(r.id for r in context.catalog.routines if r.id in draft["routines"])
    reminders = replace(
        await store.reminders(subscriber.id),
        routines=chosen,
        days=when.draft_days(draft),
        local_time=when.draft_time(draft),
        active=True,
        paused=False,
        rotation=0,
    )
    await _save(context, subscriber, reminders)
    await replies.send(update, context.text("reminders.saved"), ReplyKeyboardRemove())
    saved = await store.reminders(subscriber.id)
    await replies.send(
        update, _summary(context, subscriber, saved), _summary_buttons(context, saved)
    )


async def _pause_or_stop(update: Update, context: BotContext, action: str) -> None:
    store = context.store
    subscriber = await store.find_subscriber(replies.chat_id(update))
    reminders = await store.reminders(subscriber.id) if subscriber is not None else None
    if subscriber is None or reminders is None or not reminders.active:
        await replies.expired(update, context)
        return
    if action == "stop":
        await _save(context, subscriber, replace(reminders, active=False))
        await replies.edit(update, context.text("reminders.stopped"), None)
        return
    reminders = await _save(context, subscriber, replace(reminders, paused=not reminders.paused))
    await replies.edit(
        update, _summary(context, subscriber, reminders), _summary_buttons(context, reminders)
    )


async def _done(update: Update, context: BotContext) -> None:
    """A kind word and nothing more: no streaks, no score."""
    query = update.callback_query
    assert query is not None
    await query.answer(context.text("reminders.done"))
    await query.edit_message_reply_markup(None)


async def _later(update: Update, context: BotContext, routine_id: str | None) -> None:
    """Ask again in an hour, once: the snoozed reminder comes back with "done" only."""
    query = update.callback_query
    assert query is not None
    subscriber = await context.store.find_subscriber(replies.chat_id(update))
    known = routine_id is not None and any(r.id == routine_id for r in context.catalog.routines)
    if subscriber is None or not known or routine_id is None:
        await replies.expired(update, context)
        return
    until = context.services.clock.now() + SNOOZE
    if not await context.store.snooze(subscriber.id, routine_id, until):
        await query.answer(context.text("reminders.later.once"), show_alert=True)
        return
    await query.answer(context.text("reminders.later.ok"))
    await query.edit_message_reply_markup(
        reminder_keyboard(context.catalog, routine_id, later=False)
    )


async def _save(context: BotContext, subscriber: Subscriber, reminders: Reminders) -> Reminders:
    return await save_reminders(context.store, subscriber, reminders, context.services.clock.now())


def _summary(context: BotContext, subscriber: Subscriber, reminders: Reminders) -> str:
    names = ", ".join(context.catalog.routine(routine_id).name for routine_id in reminders.routines)
    if reminders.paused or reminders.next_due is None:
        next_line = context.text("reminders.summary.paused")
    else:
        arrives = when.describe_instant(reminders.next_due, subscriber.timezone)
        next_line = context.text("reminders.summary.next", when=arrives)
    return context.text(
        "reminders.summary",
        routines=names,
        days=when.describe_days(context, reminders.days),
        time=format_local_time(reminders.local_time),
        zone=subscriber.timezone,
        next=next_line,
    )


def _summary_buttons(context: BotContext, reminders: Reminders) -> InlineKeyboardMarkup:
    pause = "reminders.button.resume" if reminders.paused else "reminders.button.pause"
    return keyboard(
        [(context.text("reminders.button.change"), callbacks.build(FEATURE, "begin"))],
        [(context.text(pause), callbacks.build(FEATURE, "pause"))],
        [(context.text("reminders.button.stop"), callbacks.build(FEATURE, "stop"))],
    )


def _routine_keyboard(context: BotContext, draft: when.Draft) -> InlineKeyboardMarkup:
    toggles = [
        (
            ("✓ " if routine.id in draft["routines"] else "") + routine.name,
            callbacks.build(FEATURE, "tog", index),
        )
        for index, routine in enumerate(context.catalog.routines)
    ]
    done = [(context.text("reminders.routines.done"), callbacks.build(FEATURE, "next"))]
    return keyboard(*in_rows(toggles, 2), done)


QUESTIONS = when.ScheduleQuestions(FEATURE, _confirm)
