"""``/settings``: course, days, time, zone, reminders, discreet previews, quiet hours, pause
and resume, each changed in one short step on the same message.

The page's buttons show the current values; a tap either changes one thing at once (a
toggle) or moves the message on to one short screen (the course, the days, a time, the
zone, quiet hours) that has Back and Cancel. After a change the page (or the quiet hours
screen) comes back, saying what changed and what is now true, read from the store. A time
or a zone may also be typed; the page then comes as a new message.
"""

from __future__ import annotations

from datetime import time

from telegram import Update

from bot import buttons, pending, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.flows import TimeStep, ZoneStep
from bot.ui import settings as ui
from bot.ui.settings import Screen
from bot.ui.when import describe_days
from lessons.model import Track
from scheduler.actions import Refusal
from scheduler.actions import quiet as quiet_actions
from scheduler.actions import settings as actions
from scheduler.actions.settings import SettingsView
from scheduler.model import QuietMode
from scheduler.timing import format_local_time

QUIET_STARTS = (time(21, 0), time(22, 0), time(22, 30), time(23, 0), time(0, 0))
QUIET_ENDS = (time(6, 0), time(7, 0), time(7, 30), time(8, 0), time(9, 0))

# Refusals that leave the page as it is, with a word on why.
_SAID = {
    Refusal.LESSONS_OFF: "settings.not_subscribed",
    Refusal.REMINDERS_OFF: "settings.reminders_off",
    Refusal.QUIET_SPAN_EMPTY: "settings.quiet_hours.empty",
}


async def overview(update: Update, context: BotContext) -> None:
    view = await actions.settings_view(context.store, replies.chat_id(update))
    text, markup = ui.page(context, view)
    await replies.send(update, text, markup)


async def _show(
    update: Update,
    context: BotContext,
    press: Press | None,
    result: SettingsView | Refusal,
    saved: str | None = None,
    screen: Screen = Screen.PAGE,
) -> None:
    """The page (or the quiet hours screen) after a change: the tapped message, edited;
    a new message after something typed."""
    if result in _SAID:
        key = _SAID[Refusal(result)]
        if press is not None:
            press.say(key, alert=True)
        else:
            await replies.send(update, context.text(key))
        result = await actions.settings_view(context.store, replies.chat_id(update))
        saved = None
    if isinstance(result, Refusal) or not result.stored:
        # Nobody to change (erased since the button was sent): nothing is stored.
        if press is not None:
            press.stale()
        else:
            await replies.send(update, context.text(buttons.STALE))
        return
    render = ui.quiet_screen if screen is Screen.QUIET else ui.page
    text, markup = render(context, result, saved)
    await replies.edit(update, text, markup)


async def _tapped(
    press: Press, result: SettingsView | Refusal, saved: str | None, screen: Screen = Screen.PAGE
) -> None:
    await _show(press.update, press.context, press, result, saved, screen)


async def _view(press: Press) -> SettingsView | None:
    """The page as stored, or None after the stale answer for someone not stored."""
    view = await actions.settings_view(press.context.store, press.chat_id)
    if view.stored:
        return view
    press.stale()
    return None


# --- toggles: one tap, one change ----------------------------------------------------------


async def _discreet(press: Press, on: bool) -> None:
    result = await actions.set_discreet(press.context.store, press.chat_id, on=on)
    await _tapped(press, result, press.text("settings.saved_discreet_" + ("on" if on else "off")))


async def _pause(press: Press, paused: bool) -> None:
    store = press.context.store
    result = await actions.pause_lessons(store, press.now, press.chat_id, paused=paused)
    await _tapped(
        press, result, press.text("settings.saved_" + ("paused" if paused else "resumed"))
    )


async def _reminders(press: Press, paused: bool) -> None:
    store = press.context.store
    result = await actions.set_reminders_paused(store, press.now, press.chat_id, paused=paused)
    saved = "settings.saved_reminders_" + ("paused" if paused else "resumed")
    await _tapped(press, result, press.text(saved))


# --- the course and the days ---------------------------------------------------------------


async def _ask_track(press: Press) -> None:
    view = await _view(press)
    if view is not None:
        await press.edit(*ui.track_screen(press.context, view))


async def _track(press: Press, track: Track) -> None:
    result = await actions.set_track(press.context.store, press.now, press.chat_id, track)
    label = press.text(f"daily.track.{track.value}")
    await _tapped(press, result, press.text("settings.saved_course", track=label))


async def _ask_days(press: Press) -> None:
    view = await _view(press)
    if view is not None:
        await press.edit(*ui.days_screen(press.context, view.course.days))


async def _days(press: Press, mask: int) -> None:
    """A day ticked or unticked: the screen carries the choice, nothing is stored yet."""
    await press.edit(*ui.days_screen(press.context, ui.mask_days(mask)))


async def _save_days(press: Press, mask: int) -> None:
    days = ui.mask_days(mask)
    if not days:
        press.say("settings.days.none", alert=True)
        return
    result = await actions.set_days(press.context.store, press.now, press.chat_id, days)
    described = describe_days(press.context, days)
    await _tapped(press, result, press.text("settings.saved_days", days=described))


# --- the lesson time and the zone ----------------------------------------------------------


async def _ask_time(press: Press) -> None:
    if await _view(press) is not None:
        await TIME.ask(press.update, press.context, in_place=True, nav=ui.nav(press.context))


async def _ask_zone(press: Press) -> None:
    view = await _view(press)
    if view is not None:
        current, nav = view.subscriber.timezone, ui.nav(press.context)
        await ZONE.ask(press.update, press.context, current, nav=nav, in_place=True)


async def _time_chosen(update: Update, context: BotContext, press: Press | None, at: time) -> None:
    pending.done(context)
    now = context.services.clock.now()
    result = await actions.set_lesson_time(context.store, now, replies.chat_id(update), at)
    saved = context.text("settings.saved_time", time=format_local_time(at))
    if isinstance(result, actions.SettingsView) and result.course.local_time != at:
        # A couple rhythm sets the time: the choice waits as the person's own.
        saved = context.text("couple.kept")
    await _show(update, context, press, result, saved)


async def _zone_chosen(update: Update, context: BotContext, press: Press | None, zone: str) -> None:
    pending.done(context)
    now = context.services.clock.now()
    result = await actions.set_zone(context.store, now, replies.chat_id(update), zone)
    await _show(update, context, press, result, context.text("settings.saved_zone", zone=zone))


# --- quiet hours ---------------------------------------------------------------------------


async def _ask_quiet(press: Press) -> None:
    view = await _view(press)
    if view is not None:
        await press.edit(*ui.quiet_screen(press.context, view))


async def _quiet(press: Press, mode: QuietMode) -> None:
    store = press.context.store
    result = await quiet_actions.set_quiet_mode(store, press.now, press.chat_id, mode)
    await _tapped(press, result, press.text("settings.saved_quiet"), Screen.QUIET)


async def _ask_quiet_start(press: Press) -> None:
    if await _view(press) is not None:
        nav = ui.nav(press.context, Screen.QUIET)
        question = "settings.quiet_hours.ask_start"
        await QUIET_START.ask(
            press.update, press.context, in_place=True, nav=nav, question=question
        )


async def _ask_quiet_end(press: Press) -> None:
    if await _view(press) is not None:
        nav = ui.nav(press.context, Screen.QUIET)
        question = "settings.quiet_hours.ask_end"
        await QUIET_END.ask(press.update, press.context, in_place=True, nav=nav, question=question)


async def _quiet_start_chosen(
    update: Update, context: BotContext, press: Press | None, at: time
) -> None:
    pending.done(context)
    now, chat_id = context.services.clock.now(), replies.chat_id(update)
    result = await quiet_actions.set_quiet_span(context.store, now, chat_id, start=at)
    await _show(update, context, press, result, context.text("settings.saved_quiet"), Screen.QUIET)


async def _quiet_end_chosen(
    update: Update, context: BotContext, press: Press | None, at: time
) -> None:
    pending.done(context)
    now, chat_id = context.services.clock.now(), replies.chat_id(update)
    result = await quiet_actions.set_quiet_span(context.store, now, chat_id, end=at)
    await _show(update, context, press, result, context.text("settings.saved_quiet"), Screen.QUIET)


# --- Back and Cancel -----------------------------------------------------------------------


async def _back(press: Press, screen: Screen) -> None:
    pending.done(press.context)
    view = await _view(press)
    if view is not None:
        render = ui.quiet_screen if screen is Screen.QUIET else ui.page
        await press.edit(*render(press.context, view))


async def _cancel(press: Press) -> None:
    pending.done(press.context)
    view = await _view(press)
    if view is not None:
        await press.edit(*ui.page(press.context, view, press.text("settings.saved_nothing")))


TIME = TimeStep(ui.SETTINGS, _time_chosen)
ZONE = ZoneStep(ui.SETTINGS, _zone_chosen)
QUIET_START = TimeStep(ui.SETTINGS, _quiet_start_chosen, "qstart", QUIET_STARTS)
QUIET_END = TimeStep(ui.SETTINGS, _quiet_end_chosen, "qend", QUIET_ENDS)
INPUTS = TIME.inputs() | ZONE.inputs() | QUIET_START.inputs() | QUIET_END.inputs()

BUTTONS = buttons.router(
    ui.SETTINGS,
    on(ui.ASK_TRACK, _ask_track),
    on(ui.TRACK, _track),
    on(ui.ASK_DAYS, _ask_days),
    on(ui.DAYS, _days),
    on(ui.SAVE_DAYS, _save_days),
    on(ui.ASK_TIME, _ask_time),
    on(ui.ASK_ZONE, _ask_zone),
    on(ui.REMINDERS, _reminders),
    on(ui.DISCREET, _discreet),
    on(ui.ASK_QUIET, _ask_quiet),
    on(ui.QUIET, _quiet),
    on(ui.ASK_QUIET_START, _ask_quiet_start),
    on(ui.ASK_QUIET_END, _ask_quiet_end),
    on(ui.PAUSE, _pause),
    on(ui.BACK, _back),
    on(ui.CANCEL, _cancel),
    *TIME.routes(),
    *ZONE.routes(),
    *QUIET_START.routes(),
    *QUIET_END.routes(),
)
