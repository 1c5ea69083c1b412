"""The settings screens: the page, where every button shows its current value, and the
short screens one of them opens (course, days, quiet hours). One function renders each
part, so a part can change without touching the others.

After a change the page says what changed and what is now true, read from the stored
schedule: "Next lesson: Thursday 26 March, 07:30 (Europe/Berlin)".
"""

from __future__ import annotations

from enum import StrEnum

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import BotContext, Speaks
from bot.ui import language, tailor
from bot.ui.keyboards import Row, in_rows, keyboard
from bot.ui.progress import standing
from bot.ui.when import day_names, describe_days, describe_instant, nav_row
from lessons.model import Track
from scheduler.actions.schedule import Overview, Standing, overview_of
from scheduler.actions.settings import SettingsView
from scheduler.model import QuietMode
from scheduler.quiet import Upcoming
from scheduler.timing import format_local_time, zone_info


class Screen(StrEnum):
    """Where Back goes from a time or zone question."""

    PAGE = "page"
    QUIET = "quiet"


SETTINGS = buttons.Feature("set", stale=buttons.EXPIRED)
ASK_TIME = SETTINGS.button("asktime")
ASK_ZONE = SETTINGS.button("askzone")
ASK_TRACK = SETTINGS.button("asktrack")
TRACK = SETTINGS.button1("track", buttons.enum_arg(Track))
ASK_DAYS = SETTINGS.button("askdays")
DAYS = SETTINGS.button1("days", buttons.int_arg(0, 127))
"""The days screen redrawn with these days ticked (bit 0 is Monday); nothing is stored."""
SAVE_DAYS = SETTINGS.button1("savedays", buttons.int_arg(0, 127))
REMINDERS = SETTINGS.button1("rem", buttons.flag_arg)
"""Pause (True) or resume (False) the reminders."""
DISCREET = SETTINGS.button1("discreet", buttons.flag_arg)
ASK_QUIET = SETTINGS.button("askquiet")
QUIET = SETTINGS.button1("quiet", buttons.enum_arg(QuietMode))
ASK_QUIET_START = SETTINGS.button("askqstart")
ASK_QUIET_END = SETTINGS.button("askqend")
PAUSE = SETTINGS.button1("pause", buttons.flag_arg)
BACK = SETTINGS.button1("back", buttons.enum_arg(Screen))
CANCEL = SETTINGS.button("cancel")


def days_mask(days: frozenset[int]) -> int:
    return sum(1 << day for day in days)


def mask_days(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask >> day & 1)


def compose(title: str, saved: str | None, lines: list[str]) -> str:
    """A screen's text: its title, what just changed (if anything), then what is true."""
    blocks = [title, *([saved] if saved else []), "\n".join(lines)]
    return "\n\n".join(blocks)


def nav(context: Speaks, back: Screen = Screen.PAGE) -> Row:
    """Back to the screen before; Cancel to the page, nothing changed."""
    return nav_row(context, BACK.data(back), CANCEL.data())


# --- the page ------------------------------------------------------------------------------


def page(
    context: BotContext, view: SettingsView, saved: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    overview = overview_of(context.catalog, view.subscriber, view.course)
    lines = [*standing_lines(context, view, overview), *now_true(context, view, overview)]
    text = compose(context.text("settings.title"), saved, lines)
    rows = [
        *course_rows(context, view),
        time_row(context, view),
        zone_row(context, view),
        *reminders_rows(context, view),
        discreet_row(context, view),
        quiet_row(context, view),
        language.settings_row(context),
        *pause_rows(context, view, overview),
    ]
    if view.stored:
        rows.append(tailor.settings_row(context.catalog))
    return text, keyboard(*rows)


def standing_lines(context: Speaks, view: SettingsView, overview: Overview) -> list[str]:
    """Where the course stands. While it runs, the next lesson's line below says it."""
    state = "on" if view.lessons_on else "paused" if view.course.active else "off"
    status = context.text(f"settings.lessons_{state}")
    if not view.stored or overview.standing in (Standing.NEW, Standing.ON):
        return [status]
    # The standing line says it all for these; "daily lessons are on" would be untrue.
    if overview.standing in (Standing.FINISHED, Standing.STOPPED, Standing.REVIEW):
        return [standing(context, overview)]
    return [standing(context, overview), status]


def now_true(context: Speaks, view: SettingsView, overview: Overview | None = None) -> list[str]:
    """When the next lesson (with its place in the course) and the next reminder really
    arrive, quiet hours applied."""
    lines = []
    zone = view.subscriber.timezone
    overview = overview or overview_of(context.catalog, view.subscriber, view.course)
    lesson, place = view.next_lesson, overview.place
    if lesson is not None and place is not None and overview.standing is Standing.ON:
        when = _arrives(context, lesson, zone)
        numbers = {"number": place.number, "total": place.total}
        lines.append(context.text("settings.now.lesson", when=when, **numbers))
    if (reminder := view.next_reminder) is not None:
        lines.append(context.text("settings.now.reminder", when=_arrives(context, reminder, zone)))
    elif view.reminders.stopped:
        lines.append(context.text("settings.now.reminders_stopped"))
    elif not view.reminders.active:
        lines.append(context.text("settings.now.no_reminders"))
    return lines


def _arrives(context: Speaks, upcoming: Upcoming, zone: str) -> str:
    when = context.text(
        "settings.now.when", at=describe_instant(context, upcoming.arrives, zone), zone=zone
    )
    if upcoming.held:
        planned = format_local_time(upcoming.planned.astimezone(zone_info(zone)).time())
        return when + " " + context.text("settings.now.held", planned=planned)
    if upcoming.silent:
        return when + " " + context.text("settings.now.silent")
    return when


def course_rows(context: Speaks, view: SettingsView) -> list[Row]:
    if not view.course.active:
        return []
    track = context.text(f"daily.track.{view.course.track.value}")
    days = describe_days(context, view.course.days)
    return [
        [(context.text("settings.button.course", track=track), ASK_TRACK.data())],
        [(context.text("settings.button.days", days=days), ASK_DAYS.data())],
    ]


def time_row(context: Speaks, view: SettingsView) -> Row:
    lesson_time = format_local_time(view.course.local_time)
    return [(context.text("settings.button.time", time=lesson_time), ASK_TIME.data())]


def zone_row(context: Speaks, view: SettingsView) -> Row:
    zone = view.subscriber.timezone
    return [(context.text("settings.button.zone", zone=zone), ASK_ZONE.data())]


def reminders_rows(context: Speaks, view: SettingsView) -> list[Row]:
    reminders = view.reminders
    if not reminders.active:
        return []
    label = "settings.button.reminders_" + ("paused" if reminders.paused else "on")
    return [[(context.text(label), REMINDERS.data(not reminders.paused))]]


def discreet_row(context: Speaks, view: SettingsView) -> Row:
    discreet = "settings.button.discreet_" + ("on" if view.subscriber.discreet else "off")
    return [(context.text(discreet), DISCREET.data(not view.subscriber.discreet))]


def quiet_row(context: Speaks, view: SettingsView) -> Row:
    return [
        (
            context.text("settings.button.quiet", quiet=quiet_summary(context, view)),
            ASK_QUIET.data(),
        )
    ]


def quiet_summary(context: Speaks, view: SettingsView) -> str:
    subscriber = view.subscriber
    return context.text(
        f"settings.quiet.{subscriber.quiet_mode.value}",
        start=format_local_time(subscriber.quiet_start),
        end=format_local_time(subscriber.quiet_end),
    )


def pause_rows(context: Speaks, view: SettingsView, overview: Overview) -> list[Row]:
    # A finished course is neither on nor paused: nothing to pause or resume.
    if not view.course.active or overview.standing is Standing.FINISHED:
        return []
    pause = "settings.button." + ("pause" if view.lessons_on else "resume")
    return [[(context.text(pause), PAUSE.data(view.lessons_on))]]


# --- the short screens -----------------------------------------------------------------


def track_screen(context: Speaks, view: SettingsView) -> tuple[str, InlineKeyboardMarkup]:
    current = view.course.track
    rows = [
        _choice(track is current, context.text(f"daily.track.{track.value}"), TRACK.data(track))
        for track in Track
    ]
    return context.text("settings.course.ask"), keyboard(*rows, nav(context))


def days_screen(context: Speaks, days: frozenset[int]) -> tuple[str, InlineKeyboardMarkup]:
    names = day_names(context)
    toggles = [
        (_ticked(day in days) + names[day], DAYS.data(days_mask(days ^ {day}))) for day in range(7)
    ]
    save = [(context.text("settings.days.save"), SAVE_DAYS.data(days_mask(days)))]
    return context.text("settings.days.ask"), keyboard(*in_rows(toggles, 4), save, nav(context))


def quiet_screen(
    context: BotContext, view: SettingsView, saved: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """Its own small page, like the main one: each tap is a change, and Back leads home.
    Only the start and end questions under it are steps, with Back and Cancel."""
    mode, span = view.subscriber.quiet_mode, _span(view)
    lines = [
        context.text(f"settings.quiet_hours.now_{mode.value}", **span),
        *now_true(context, view),
    ]
    text = compose(context.text("settings.quiet_hours.title"), saved, lines)
    modes = [
        _choice(
            mode is choice, context.text(f"settings.quiet_hours.{choice.value}"), QUIET.data(choice)
        )
        for choice in QuietMode
    ]
    times = [
        (context.text("settings.quiet_hours.start", time=span["start"]), ASK_QUIET_START.data()),
        (context.text("settings.quiet_hours.end", time=span["end"]), ASK_QUIET_END.data()),
    ]
    back = [(context.text("when.nav.back"), BACK.data(Screen.PAGE))]
    return text, keyboard(*modes, times, back)


def _span(view: SettingsView) -> dict[str, str]:
    subscriber = view.subscriber
    return {
        "start": format_local_time(subscriber.quiet_start),
        "end": format_local_time(subscriber.quiet_end),
    }


def _choice(current: bool, label: str, data: str) -> Row:
    """One choice a row, the current one ticked."""
    return [(_ticked(current) + label, data)]


def _ticked(on: bool) -> str:
    return "✓ " if on else ""
