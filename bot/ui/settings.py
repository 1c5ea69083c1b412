"""The settings page: every button shows its current value and sets the other one."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import BotContext
from bot.ui import tailor
from bot.ui.keyboards import Row, keyboard
from bot.ui.progress import standing
from bot.ui.when import describe_instant
from scheduler.actions.schedule import Standing, overview_of
from scheduler.actions.settings import SettingsView
from scheduler.model import QuietMode
from scheduler.timing import format_local_time

SETTINGS = buttons.Feature("set", stale=buttons.EXPIRED)
ASK_TIME = SETTINGS.button("asktime")
ASK_ZONE = SETTINGS.button("askzone")
DISCREET = SETTINGS.button1("discreet", buttons.flag_arg)
QUIET = SETTINGS.button1("quiet", buttons.enum_arg(QuietMode))
PAUSE = SETTINGS.button1("pause", buttons.flag_arg)


def page(context: BotContext, view: SettingsView) -> tuple[str, InlineKeyboardMarkup]:
    subscriber, course = view.subscriber, view.course
    quiet = context.text(
        f"settings.quiet.{subscriber.quiet_mode.value}",
        start=format_local_time(subscriber.quiet_start),
        end=format_local_time(subscriber.quiet_end),
    )
    other_mode = QuietMode.WAIT if subscriber.quiet_mode is QuietMode.SILENT else QuietMode.SILENT
    discreet = "settings.button.discreet_" + ("on" if subscriber.discreet else "off")
    lesson_time = format_local_time(course.local_time)
    rows: list[Row] = [
        [(context.text("settings.button.time", time=lesson_time), ASK_TIME.data())],
        [(context.text("settings.button.zone", zone=subscriber.timezone), ASK_ZONE.data())],
        [(context.text(discreet), DISCREET.data(not subscriber.discreet))],
        [(quiet, QUIET.data(other_mode))],
    ]
    overview = overview_of(context.catalog, subscriber, course)
    # A finished course is neither on nor paused: nothing to pause or resume.
    finished = overview.standing is Standing.FINISHED
    if course.active and not finished:
        pause = "settings.button." + ("pause" if view.lessons_on else "resume")
        rows.append([(context.text(pause), PAUSE.data(view.lessons_on))])
    if view.stored:
        rows.append(tailor.settings_row(context.catalog))
    state = "on" if view.lessons_on else "paused" if course.active else "off"
    lines = [context.text("settings.title")]
    if view.stored and overview.standing is not Standing.NEW:
        lines.append(standing(context, overview))
    # The standing line says it all for these; "daily lessons are on" would be untrue.
    if overview.standing not in (Standing.FINISHED, Standing.STOPPED, Standing.REVIEW):
        lines.append(context.text(f"settings.lessons_{state}"))
    return "\n\n".join(lines), keyboard(*rows)


def saved_note(context: BotContext, view: SettingsView, saved: str) -> str:
    """What changed, and when the next lesson now arrives if there is one."""
    if view.course.next_due is None:
        return saved
    arrives = describe_instant(view.course.next_due, view.subscriber.timezone)
    return saved + "\n" + context.text("settings.next_lesson", when=arrives)
