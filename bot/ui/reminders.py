"""Reminders as they look: the buttons under a reminder, the routine picker, the summary
and, after a stop, the offer to resume them as they were."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import Speaks
from bot.ui.keyboards import Row, in_rows, keyboard
from bot.ui.when import describe_days, describe_instant
from lessons.model import Catalog, Routine
from scheduler.actions.reminders import ReminderSchedule
from scheduler.quiet import upcoming
from scheduler.timing import format_local_time


def _find(context: Speaks, routine_id: str) -> Routine | None:
    return next((r for r in context.catalog.routines if r.id == routine_id), None)


routine_arg = buttons.catalog_arg(_find, lambda routine: routine.id)

REMINDERS = buttons.Feature("rem", stale=buttons.EXPIRED)
BEGIN = REMINDERS.button("begin")
TOGGLE = REMINDERS.button1("tog", buttons.int_arg(0, 99))
"""A routine in the picker, by its place in the catalog's list."""
NEXT = REMINDERS.button("next")
PAUSE = REMINDERS.button1("pause", buttons.flag_arg)
STOP = REMINDERS.button("stop")
RESUME = REMINDERS.button("resume")
"""After a stop: the kept routines, days and time back on, as they were."""
DONE = REMINDERS.button1("done", routine_arg)
LATER = REMINDERS.button1("later", routine_arg)


def reminder_keyboard(catalog: Catalog, routine: Routine, *, later: bool) -> InlineKeyboardMarkup:
    """Under a reminder: "done", and "later" unless it was put off once already."""
    row = [(catalog.text("delivery.reminder.done"), DONE.data(routine))]
    if later:
        row.append((catalog.text("delivery.reminder.later"), LATER.data(routine)))
    return keyboard(row)


def routine_keyboard(catalog: Catalog, chosen: list[str], *extra: Row) -> InlineKeyboardMarkup:
    toggles = [
        (("✓ " if routine.id in chosen else "") + routine.name, TOGGLE.data(index))
        for index, routine in enumerate(catalog.routines)
    ]
    done = [(catalog.text("reminders.routines.done"), NEXT.data())]
    return keyboard(*in_rows(toggles, 2), done, *extra)


def _names(context: Speaks, schedule: ReminderSchedule) -> str:
    routines = schedule.reminders.routines
    return ", ".join(context.catalog.routine(routine_id).name for routine_id in routines)


def stopped(context: Speaks, schedule: ReminderSchedule) -> str:
    """After a stop: what is kept, as it would come back. When it would arrive is said once
    it is resumed, planned from that moment."""
    reminders = schedule.reminders
    return context.text(
        "reminders.resume.ask",
        routines=_names(context, schedule),
        days=describe_days(context, reminders.days),
        time=format_local_time(reminders.local_time),
        zone=schedule.subscriber.timezone,
    )


def stopped_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("reminders.resume.button"), RESUME.data())],
        [(context.text("reminders.resume.change"), BEGIN.data())],
    )


def summary(context: Speaks, schedule: ReminderSchedule) -> str:
    reminders, zone = schedule.reminders, schedule.subscriber.timezone
    names = _names(context, schedule)
    if reminders.paused or reminders.next_due is None:
        next_line = context.text("reminders.summary.paused")
    else:
        # As it will really arrive: held reminders come when quiet hours end.
        due = upcoming(reminders.next_due, schedule.subscriber)
        assert due is not None
        arrives = describe_instant(context, due.arrives, zone)
        next_line = context.text("reminders.summary.next", when=arrives)
    return context.text(
        "reminders.summary",
        routines=names,
        days=describe_days(context, reminders.days),
        time=format_local_time(reminders.local_time),
        zone=zone,
        next=next_line,
    )


def summary_keyboard(context: Speaks, schedule: ReminderSchedule) -> InlineKeyboardMarkup:
    paused = schedule.reminders.paused
    pause = "reminders.button.resume" if paused else "reminders.button.pause"
    return keyboard(
        [(context.text("reminders.button.change"), BEGIN.data())],
        [(context.text(pause), PAUSE.data(not paused))],
        [(context.text("reminders.button.stop"), STOP.data())],
    )
