"""Where a person stands with their course, in words: shared by /start, /daily, /settings
and the answers to the ways on, so every screen tells the same truth about the schedule."""

from __future__ import annotations

from datetime import datetime

from bot.context import Speaks
from bot.ui.when import describe_days, describe_instant
from scheduler.actions.schedule import Overview, Standing
from scheduler.progress import course_lessons, review_day
from scheduler.timing import format_local_time


def arrives(context: Speaks, instant: datetime, zone: str) -> str:
    """A delivery's local day and time, with the zone it is read in."""
    return f"{describe_instant(context, instant, zone)} ({zone})"


def standing(context: Speaks, overview: Overview) -> str:
    """One or two lines: the next lesson's place and when it arrives, or why nothing does."""
    course, place, due = overview.course, overview.place, overview.arrives
    if overview.standing is Standing.FINISHED or place is None:
        total = len(course_lessons(context.catalog, course))
        return context.text("progress.standing.finished", total=total)
    if overview.standing is Standing.REVIEW and due is not None:
        return context.text("progress.standing.review", **weekly(context, overview))
    if overview.standing is Standing.PAUSED and place.review:
        return context.text("progress.standing.review_paused")
    if overview.standing is Standing.STOPPED and place.review:
        return context.text("progress.standing.review_stopped")
    numbers = {"number": place.number, "total": place.total}
    if overview.standing is Standing.ON and due is not None:
        return context.text(
            "progress.standing.on", when=arrives(context, due, overview.zone), **numbers
        )
    if overview.standing is Standing.PAUSED:
        return context.text("progress.standing.paused", **numbers)
    if overview.standing is Standing.NEW:
        return context.text("progress.standing.new")
    return context.text("progress.standing.stopped", **numbers)


def weekly(context: Speaks, overview: Overview) -> dict[str, str]:
    """The weekly review's day, time, zone and next delivery, for its sentences."""
    due = overview.arrives
    return {
        "day": context.text("progress.weekday." + str(review_day(overview.course))),
        "time": format_local_time(overview.course.local_time),
        "zone": overview.zone,
        "when": "" if due is None else arrives(context, due, overview.zone),
    }


def schedule_values(context: Speaks, overview: Overview) -> dict[str, object]:
    """Days, time and zone spelled out, and the next lesson's place and arrival."""
    place, due = overview.place, overview.arrives
    return {
        "days": describe_days(context, overview.days),
        "time": format_local_time(overview.course.local_time),
        "zone": overview.zone,
        "number": 0 if place is None else place.number,
        "total": 0 if place is None else place.total,
        "when": "" if due is None else arrives(context, due, overview.zone),
    }
