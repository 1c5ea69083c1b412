"""``/lesson`` and ``/share``: the next lesson of a person's course right now, and the last
one received, ready for a partner; and the buttons under a lesson.

"Next lesson" while lessons arrive on a schedule asks before reading ahead. Reaching the
end of a track never stops silently: the person is offered the other track, a lesson a
week to look back on, or rest (``scheduler.actions.course`` and ``ending`` hold the rules).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import buttons, replies, sharing
from bot.buttons import Press, on
from bot.context import BotContext
from bot.ui import lessons, render
from bot.ui.keyboards import keyboard
from bot.ui.progress import arrives, schedule_values, weekly
from lessons.model import Lesson, Track
from scheduler.actions import Refusal, ending, schedule, tailoring
from scheduler.actions import course as actions


async def next_lesson(update: Update, context: BotContext) -> None:
    """The command: always a new message."""
    reading = await actions.read_next_lesson(
        context.store, context.catalog, replies.chat_id(update), context.language
    )
    await _show(update, context, reading)


async def share_last(update: Update, context: BotContext) -> None:
    """``/share``: the last lesson the person received, ready to send to a partner."""
    lesson = await actions.last_lesson(context.store, context.catalog, replies.chat_id(update))
    if lesson is None:
        await replies.send(update, context.text("share.command.nothing"))
        return
    share = sharing.Share.of(context.bot)
    if not share.inline:
        await sharing.send_copy(update, context, lesson, context.text("course.share.note"))
        return
    button = lessons.share_button(context.catalog, lesson, share)
    text = context.text("share.command.pick", title=lesson.title)
    await replies.send(update, text, keyboard([button]))


async def _next(press: Press, shown: Lesson) -> None:
    """ "Next lesson" under ``shown``: a new message, once; first a question when it
    would read ahead of the schedule."""
    context = press.context
    reading = await actions.read_lesson_after(
        context.store, context.catalog, press.chat_id, shown.id
    )
    await _show_or_refuse(press, reading)


def _ask_text(press: Press, ask: actions.AskFirst) -> str:
    when = arrives(press.context, ask.next_due, ask.zone)
    return press.text(
        "progress.ahead.ask", number=ask.place.number, total=ask.place.total, when=when
    )


def _ask_keyboard(press: Press, ask: actions.AskFirst) -> InlineKeyboardMarkup:
    return lessons.ahead_keyboard(press.context.catalog, ask.shown)


async def _ahead(press: Press, shown: Lesson, remember: bool) -> None:
    """ "Yes, read it now": the question turns into the lesson, once."""
    context = press.context
    reading = await actions.read_lesson_after(
        context.store, context.catalog, press.chat_id, shown.id, chosen=True, remember=remember
    )
    if isinstance(reading, actions.LessonRead):
        text, markup = _lesson_message(context, reading)
        await press.edit(text, markup)
        return
    await _show_or_refuse(press, reading)


async def _wait(press: Press, shown: Lesson) -> None:
    """ "No, I'll wait": the question says when the next lesson comes instead."""
    context = press.context
    overview = await schedule.course_overview(context.store, context.catalog, press.chat_id)
    if overview is None:
        press.stale()
        return
    if overview.place is None or overview.course.next_due is None:
        await press.edit(press.text("course.next.already"))
        return
    await press.edit(press.text("progress.ahead.waiting", **schedule_values(context, overview)))


async def _review(press: Press, finished: Track) -> None:
    """A lesson a week to look back on, from the finished course."""
    context = press.context
    started = await ending.start_review(
        context.store, context.catalog, press.now, press.chat_id, finished
    )
    if started is Refusal.LESSONS_OFF:
        await replies.send(press.update, press.text("progress.review.needs_time"))
    elif started is Refusal.ALREADY_DONE:
        press.say("progress.moved_on")
    elif isinstance(started, Refusal):
        press.stale()
    else:
        await replies.send(
            press.update, press.text("progress.review.started", **weekly(context, started))
        )


async def _rest(press: Press, finished: Track) -> None:
    """Nothing more for now: the course stays finished, or the weekly review ends."""
    context = press.context
    rested = await ending.rest(context.store, context.catalog, press.chat_id, finished)
    if rested is Refusal.ALREADY_DONE:
        press.say("progress.moved_on")
        return
    if isinstance(rested, Refusal):
        press.stale()
        return
    key = "progress.rested.review" if rested.was_review else "progress.rested"
    await replies.send(press.update, press.text(key), lessons.for_later_button(context.catalog))


async def _restart(press: Press, finished: Track, track: Track) -> None:
    context = press.context
    reading = await actions.restart_track(
        context.store, context.catalog, press.now, press.chat_id, finished, track
    )
    await _show_or_refuse(press, reading)


async def _share(press: Press, lesson: Lesson) -> None:
    """Without inline mode: a forwardable card, with no word about who sends it."""
    await sharing.send_copy(press.update, press.context, lesson, press.text("course.share.note"))


async def _for_later(press: Press) -> None:
    """The set to come back to, led by the lessons the person marked helpful."""
    catalog = press.context.catalog
    kept = await tailoring.lessons_to_review(press.context.store, catalog, press.chat_id)
    text = catalog.text("course.for_later.intro")
    if any(isinstance(lesson.track, Track) for lesson in kept):
        text += "\n\n" + catalog.text("tailor.review.helpful_first")
    await replies.send(press.update, text, lessons.for_later_keyboard(catalog, kept))


async def _read(press: Press, lesson: Lesson) -> None:
    """A lesson of the set for later: content only, so nothing is stored or moved on."""
    catalog = press.context.catalog
    markup = lessons.kept_lesson_keyboard(catalog, lesson, sharing.Share.of(press.context.bot))
    await replies.send(press.update, render.lesson_html(lesson, catalog), markup)


async def _show_or_refuse(
    press: Press, reading: actions.Reading | actions.AskFirst | Refusal
) -> None:
    if isinstance(reading, actions.AskFirst):
        await replies.send(press.update, _ask_text(press, reading), _ask_keyboard(press, reading))
    elif reading is Refusal.ALREADY_DONE:
        press.say("course.next.already")
    elif isinstance(reading, Refusal):
        press.stale()
    else:
        await _show(press.update, press.context, reading)


async def _show(update: Update, context: BotContext, reading: actions.Reading) -> None:
    catalog = context.catalog
    if isinstance(reading, actions.TrackFinished):
        markup = lessons.complete_keyboard(catalog, reading.track)
        await replies.send(update, lessons.complete_text(catalog, reading.track), markup)
        return
    text, markup = _lesson_message(context, reading)
    await replies.send(update, text, markup)


def _lesson_message(
    context: BotContext, reading: actions.LessonRead
) -> tuple[str, InlineKeyboardMarkup]:
    """A lesson read on demand, with its place in the course under its title."""
    catalog, lesson, place = context.catalog, reading.lesson, reading.place
    share = sharing.Share.of(context.bot)
    if place.review:
        markup = lessons.review_keyboard(catalog, lesson, share, reading.track)
    else:
        markup = lessons.lesson_keyboard(catalog, lesson, share)
    line = lessons.progress_line(catalog, place)
    return render.lesson_html(lesson, catalog, line, solo=reading.solo), markup


BUTTONS = buttons.router(
    lessons.LESSONS,
    on(lessons.NEXT, _next),
    on(lessons.RESTART, _restart),
    on(lessons.AHEAD, _ahead),
    on(lessons.WAIT, _wait),
    on(lessons.REVIEW, _review),
    on(lessons.REST, _rest),
    on(lessons.SHARE, _share),
    on(lessons.FOR_LATER, _for_later),
    on(lessons.READ, _read),
)
