"""``/lesson`` and ``/share``: the next lesson of a person's course right now, and the last
one received, ready for a partner; and the buttons under a lesson.

Reaching the end of a track never stops silently: the person is offered the other track or
a review from day 1 (``scheduler.actions.course`` holds the rules).
"""

from __future__ import annotations

from telegram import Update

from bot import buttons, replies, sharing
from bot.buttons import Press, on
from bot.context import BotContext
from bot.ui import lessons, render
from bot.ui.keyboards import keyboard
from lessons.model import Lesson, Track
from scheduler.actions import Refusal, tailoring
from scheduler.actions import course as actions


async def next_lesson(update: Update, context: BotContext) -> None:
    """The command: always a new message."""
    reading = await actions.read_next_lesson(
        context.store, context.catalog, replies.chat_id(update)
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
    """ "Next lesson" under ``shown``: a new message, once."""
    context = press.context
    reading = await actions.read_lesson_after(
        context.store, context.catalog, press.chat_id, shown.id
    )
    await _show_or_refuse(press, reading)


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


async def _show_or_refuse(press: Press, reading: actions.Reading | Refusal) -> None:
    if reading is Refusal.ALREADY_DONE:
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
    markup = lessons.lesson_keyboard(catalog, reading.lesson, sharing.Share.of(context.bot))
    body = render.lesson_html(reading.lesson, catalog, solo=reading.solo)
    await replies.send(update, body, markup)


BUTTONS = buttons.router(
    lessons.LESSONS,
    on(lessons.NEXT, _next),
    on(lessons.RESTART, _restart),
    on(lessons.SHARE, _share),
    on(lessons.FOR_LATER, _for_later),
    on(lessons.READ, _read),
)
