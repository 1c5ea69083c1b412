"""``/settings``: time, time zone, discreet previews, quiet hours, pause and resume.

Each button shows the current value, so the message is the settings page itself; a tap
changes one thing, stores it, re-plans the next delivery and redraws the page. The time and
the zone are asked with the same steps as ``/daily``'s.
"""

from __future__ import annotations

from datetime import time

from telegram import ReplyKeyboardRemove, Update

from bot import buttons, pending, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.flows import TimeStep, ZoneStep
from bot.ui import settings as ui
from scheduler.actions import Refusal
from scheduler.actions import settings as actions
from scheduler.actions.settings import SettingsView
from scheduler.model import QuietMode
from scheduler.timing import format_local_time


async def overview(update: Update, context: BotContext) -> None:
    view = await actions.settings_view(context.store, replies.chat_id(update))
    text, markup = ui.page(context, view)
    await replies.send(update, text, markup)


async def _redraw(press: Press, result: SettingsView | Refusal) -> None:
    if result is Refusal.LESSONS_OFF:
        press.say("settings.not_subscribed")
        result = await actions.settings_view(press.context.store, press.chat_id)
    if isinstance(result, Refusal):
        press.stale()
        return
    text, markup = ui.page(press.context, result)
    await press.edit(text, markup)


async def _discreet(press: Press, on: bool) -> None:
    await _redraw(press, await actions.set_discreet(press.context.store, press.chat_id, on=on))


async def _quiet(press: Press, mode: QuietMode) -> None:
    await _redraw(press, await actions.set_quiet_mode(press.context.store, press.chat_id, mode))


async def _pause(press: Press, paused: bool) -> None:
    store = press.context.store
    await _redraw(
        press, await actions.pause_lessons(store, press.now, press.chat_id, paused=paused)
    )


async def _ask_time(press: Press) -> None:
    if await _stored(press):
        await TIME.ask(press.update, press.context, in_place=False)


async def _ask_zone(press: Press) -> None:
    if await _stored(press):
        await ZONE.ask(press.update, press.context, None)


async def _stored(press: Press) -> bool:
    """Whether there is anyone to change; the stale answer otherwise."""
    if (await actions.settings_view(press.context.store, press.chat_id)).stored:
        return True
    press.stale()
    return False


async def _time_chosen(update: Update, context: BotContext, press: Press | None, at: time) -> None:
    pending.done(context)
    now = context.services.clock.now()
    result = await actions.set_lesson_time(context.store, now, replies.chat_id(update), at)
    saved = context.text("settings.saved_time", time=format_local_time(at))
    if isinstance(result, actions.SettingsView) and result.course.local_time != at:
        # A couple rhythm sets the time: the choice waits as the person's own.
        saved = context.text("couple.kept")
    await _saved(update, context, press, result, saved, None)


async def _zone_chosen(update: Update, context: BotContext, press: Press | None, zone: str) -> None:
    pending.done(context)
    now = context.services.clock.now()
    result = await actions.set_zone(context.store, now, replies.chat_id(update), zone)
    saved = context.text("settings.saved_zone", zone=zone)
    await _saved(update, context, press, result, saved, ReplyKeyboardRemove())


async def _saved(
    update: Update,
    context: BotContext,
    press: Press | None,
    result: SettingsView | Refusal,
    saved: str,
    markup: ReplyKeyboardRemove | None,
) -> None:
    if isinstance(result, Refusal):
        # Typed after the person was erased: nobody to change, and nothing is stored.
        if press is not None:
            press.stale()
        else:
            await replies.send(update, context.text(buttons.STALE), ReplyKeyboardRemove())
        return
    await replies.send(update, ui.saved_note(context, result, saved), markup)


TIME = TimeStep(ui.SETTINGS, _time_chosen)
ZONE = ZoneStep(ui.SETTINGS, _zone_chosen)

BUTTONS = buttons.router(
    ui.SETTINGS,
    on(ui.ASK_TIME, _ask_time),
    on(ui.ASK_ZONE, _ask_zone),
    on(ui.DISCREET, _discreet),
    on(ui.QUIET, _quiet),
    on(ui.PAUSE, _pause),
    *TIME.routes(),
    *ZONE.routes(),
)
