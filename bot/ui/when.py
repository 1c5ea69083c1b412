"""How the schedule questions look: the day, time and zone keyboards, and how days and
instants read in a person's own words and wall clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from enum import StrEnum

from telegram import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.buttons import Button, Button1
from bot.context import Speaks
from bot.ui.keyboards import Row, in_rows, keyboard
from scheduler.model import EVERY_DAY, WEEKDAYS
from scheduler.timing import format_local_time, zone_info
from scheduler.zones import ZoneChoice

COMMON_TIMES: tuple[time, ...] = (time(7, 30), time(12, 30), time(18, 0), time(20, 0), time(21, 30))
COMMON_ZONES: tuple[str, ...] = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Kyiv",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
)


class Cadence(StrEnum):
    EVERY = "every"
    WEEKDAYS = "weekdays"
    PICK = "pick"


CADENCE_DAYS: dict[Cadence, frozenset[int]] = {Cadence.EVERY: EVERY_DAY, Cadence.WEEKDAYS: WEEKDAYS}


def nav_row(context: Speaks, back: str | None, cancel: str) -> Row:
    """Back (to the screen before, when there is one) and Cancel (nothing is changed): the
    last row of every screen of a flow that takes more than one step."""
    row = [] if back is None else [(context.text("when.nav.back"), back)]
    return [*row, (context.text("when.nav.cancel"), cancel)]


def time_keyboard(
    button: Button1[time], *extra: Row, times: Sequence[time] = COMMON_TIMES
) -> InlineKeyboardMarkup:
    rows = in_rows([(format_local_time(at), button.data(at)) for at in times], 3)
    return keyboard(*rows, *extra)


def zone_keyboard(
    context: Speaks, button: Button1[str], keep: Button, current: str | None, *extra: Row
) -> InlineKeyboardMarkup:
    rows: list[Row] = []
    if current is not None:
        rows.append([(context.text("when.zone.keep", zone=current), keep.data())])
    # The current zone is offered once, as "keep", not a second time in the list.
    others = [name for name in COMMON_ZONES if name != current]
    rows += in_rows([(name, button.data(name)) for name in others], 2)
    return keyboard(*rows, *extra)


def place_keyboard(button: Button1[str], choices: Sequence[ZoneChoice]) -> InlineKeyboardMarkup:
    """One button per zone a typed name could mean, labelled with its place."""
    return keyboard(*[[(choice.label, button.data(choice.zone))] for choice in choices])


def location_keyboard(context: Speaks) -> ReplyKeyboardMarkup:
    """Telegram's own "send my location" button; it sends nothing until the person taps it."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(context.text("when.zone.location_button"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def cadence_keyboard(
    context: Speaks, button: Button1[Cadence], *extra: Row
) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("when.days.every"), button.data(Cadence.EVERY))],
        [(context.text("when.days.weekdays"), button.data(Cadence.WEEKDAYS))],
        [(context.text("when.days.pick"), button.data(Cadence.PICK))],
        *extra,
    )


def days_keyboard(
    context: Speaks,
    toggle: Button1[int],
    done: Button,
    chosen: frozenset[int],
    *extra: Row,
) -> InlineKeyboardMarkup:
    """Seven toggles and a done button; a tick marks each chosen day."""
    names = day_names(context)
    toggles = [(("✓ " if day in chosen else "") + names[day], toggle.data(day)) for day in range(7)]
    return keyboard(*in_rows(toggles, 4), [(context.text("when.days.done"), done.data())], *extra)


def describe_days(context: Speaks, days: frozenset[int]) -> str:
    if days == EVERY_DAY:
        return context.text("when.days.every")
    if days == WEEKDAYS:
        return context.text("when.days.weekdays")
    names = day_names(context)
    return ", ".join(names[day] for day in sorted(days))


def day_names(context: Speaks) -> list[str]:
    return context.text("when.days.short").split(",")


def describe_instant(context: Speaks, instant: datetime, zone: str) -> str:
    """An instant as the person's own wall clock shows it, in their words: ``Monday 23
    March, 20:00``. Day and month names come from the content, never from the process's
    locale."""
    local = instant.astimezone(zone_info(zone))
    weekday = context.text("export.days.names").split(",")[local.weekday()]
    month = context.text("when.months").split(",")[local.month - 1]
    at = format_local_time(local.time())
    return context.text("when.instant", weekday=weekday, day=local.day, month=month, time=at)
