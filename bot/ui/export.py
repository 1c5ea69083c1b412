"""``/export`` in plain words: the person's course, schedule and choices, with days and
times spelled out, above the JSON file that holds every stored row."""

from __future__ import annotations

from collections.abc import Sequence

from bot.context import Speaks
from bot.ui.when import describe_instant
from scheduler.actions.privacy import Export
from scheduler.model import EVERY_DAY, WEEKDAYS, Course
from scheduler.timing import format_local_time


def readable(context: Speaks, data: Export, language_name: str) -> str:
    """``language_name``: the stored language, named in its own words."""
    subscriber = data.subscriber
    lines = [
        context.text("export.title"),
        context.text("export.intro"),
        "",
        _course(context, data),
        _lessons(context, data),
        context.text("export.zone", zone=subscriber.timezone),
        _reminders(context, data),
        context.text("export.discreet." + ("on" if subscriber.discreet else "off")),
        context.text(
            f"export.quiet.{subscriber.quiet_mode.value}",
            start=format_local_time(subscriber.quiet_start),
            end=format_local_time(subscriber.quiet_end),
        ),
        context.text("export.language", language=language_name),
        context.text(f"export.partner.{data.partner.value}"),
        context.text("export.partner.keeps"),
        context.text("export.deliveries", count=data.deliveries),
        "",
        context.text("export.outro"),
    ]
    return "\n".join(lines)


def _course(context: Speaks, data: Export) -> str:
    course = data.course
    if not course.active and data.lessons_had == 0 and course.last_lesson_id is None:
        return context.text("export.course.none")
    if data.lessons_had == 0:
        progress = context.text("export.progress.start")
    elif data.lessons_had >= data.lessons_total:
        progress = context.text("export.progress.done", total=data.lessons_total)
    else:
        progress = context.text(
            "export.progress.middle",
            had=data.lessons_had,
            total=data.lessons_total,
            next=data.lessons_had + 1,
        )
    track = context.text(f"export.track.{course.track.value}")
    return context.text("export.course", track=track, progress=progress)


def _lessons(context: Speaks, data: Export) -> str:
    course: Course = data.course
    if not course.active:
        return context.text("export.lessons.off")
    state = "paused" if course.paused else "on"
    days, at = spell_days(context, course.days), format_local_time(course.local_time)
    line = context.text(f"export.lessons.{state}", days=days, time=at)
    if course.next_due is not None and not course.paused:
        when = describe_instant(context, course.next_due, data.subscriber.timezone)
        line += " " + context.text("export.lessons.next", when=when)
    return line


def _reminders(context: Speaks, data: Export) -> str:
    reminders = data.reminders
    if not reminders.active and not reminders.stopped:
        return context.text("export.reminders.off")
    names = [
        routine.name for routine in context.catalog.routines if routine.id in reminders.routines
    ]
    # Stopped, the choices are still stored, kept for /reminders to resume: they are named.
    state = "kept" if reminders.stopped else "paused" if reminders.paused else "on"
    return context.text(
        f"export.reminders.{state}",
        days=spell_days(context, reminders.days),
        time=format_local_time(reminders.local_time),
        routines=listed(context, names),
    )


def spell_days(context: Speaks, days: frozenset[int]) -> str:
    """Days in full words: "every day", "Monday to Friday", "Monday, Wednesday and Friday"."""
    if days == EVERY_DAY:
        return context.text("export.days.every")
    if days == WEEKDAYS:
        return context.text("export.days.weekdays")
    names = context.text("export.days.names").split(",")
    return listed(context, [names[day] for day in sorted(days)])


def listed(context: Speaks, items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {context.text('export.and')} {items[-1]}"
