"""``/lesson``: the next lesson of a person's course, right now, and sharing one with a partner.

The course position is shared with the daily delivery: a lesson read here is not sent again
by the schedule. Reaching the end of a track never stops silently: the person is offered the
other track or a review from day 1, and either choice resumes daily lessons for a person who
has them switched on.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import callbacks, render, replies, sharing
from bot.context import BotContext
from bot.keyboards import Row, keyboard
from lessons.model import Catalog, Lesson, Track
from scheduler.model import Course
from scheduler.planning import save_course

FEATURE = "les"

log = logging.getLogger(__name__)


async def next_lesson(update: Update, context: BotContext) -> None:
    """The command, and the "Next lesson" button: always a new message."""
    subscriber = await context.store.ensure_subscriber(replies.chat_id(update))
    await _deliver(update, context, await context.store.course(subscriber.id))


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = callbacks.parse(query.data)
    if data is None:
        await replies.stale(update, context)
    elif data.action == "next":
        await query.answer()
        await next_lesson(update, context)
    elif data.action == "track" and (track := _track(data.arg())) is not None:
        await _restart(update, context, track)
    elif data.action == "review":
        await _restart(update, context, None)
    elif data.action == "share":
        await _share(update, context, data.arg())
    else:
        await replies.stale(update, context)


async def _deliver(update: Update, context: BotContext, course: Course) -> None:
    lesson = context.catalog.lesson_for_day(course.track, course.position)
    if lesson is None:
        await replies.send(
            update,
            context.text(f"course.complete.{course.track.value}"),
            complete_keyboard(context.catalog, course.track),
        )
        return
    await replies.send(
        update,
        render.lesson_html(lesson, context.catalog),
        lesson_keyboard(context.catalog, lesson, sharing.Share.of(context.bot)),
    )
    await context.store.save_course(
        replace(course, position=course.position + 1, last_lesson_id=lesson.id)
    )
    log.debug("subscriber %s read lesson %s on demand", course.subscriber_id, lesson.id)


async def _restart(update: Update, context: BotContext, track: Track | None) -> None:
    """After the last lesson: the other track, or the same one again, from day 1.

    ``track`` is None for a review of the current track.
    """
    query = update.callback_query
    assert query is not None
    await query.answer()
    store = context.store
    subscriber = await store.ensure_subscriber(replies.chat_id(update))
    course = await store.course(subscriber.id)
    # A finished course rests its daily deliveries; a fresh start brings them back.
    course = replace(course, track=track or course.track, position=1, paused=False)
    course = await save_course(store, subscriber, course, context.services.clock.now())
    await _deliver(update, context, course)


async def _share(update: Update, context: BotContext, lesson_id: str | None) -> None:
    """Without inline mode: a forwardable card, with no word about who sends it."""
    lesson = _lesson(context, lesson_id)
    query = update.callback_query
    assert query is not None
    if lesson is None:
        await replies.stale(update, context)
        return
    await query.answer()
    await sharing.send_copy(update, context, lesson, context.text("course.share.note"))


async def share_last(update: Update, context: BotContext) -> None:
    """``/share``: the last lesson the person received, ready to send to a partner."""
    subscriber = await context.store.find_subscriber(replies.chat_id(update))
    course = await context.store.course(subscriber.id) if subscriber is not None else None
    lesson = _lesson(context, course.last_lesson_id if course is not None else None)
    if lesson is None:
        await replies.send(update, context.text("share.command.nothing"))
        return
    share = sharing.Share.of(context.bot)
    if not share.inline:
        await sharing.send_copy(update, context, lesson, context.text("course.share.note"))
        return
    button = _share_button(context.catalog, lesson, share)
    text = context.text("share.command.pick", title=lesson.title)
    await replies.send(update, text, keyboard([button]))


def lesson_keyboard(catalog: Catalog, lesson: Lesson, share: sharing.Share) -> InlineKeyboardMarkup:
    """Next, a related technique, and sharing: the same under every lesson, sent on demand
    or by the schedule."""
    rows: list[Row] = [[_button(catalog, "course.button.next", FEATURE, "next")]]
    if lesson.technique is not None:
        rows.append([_button(catalog, "course.button.technique", "tech", "open", lesson.technique)])
    rows.append([_share_button(catalog, lesson, share)])
    return keyboard(*rows)


def _share_button(catalog: Catalog, lesson: Lesson, share: sharing.Share) -> InlineKeyboardButton:
    fallback = callbacks.build(FEATURE, "share", lesson.id)
    return sharing.share_button(catalog.text("course.button.share"), lesson, share, fallback)


def complete_keyboard(catalog: Catalog, finished: Track) -> InlineKeyboardMarkup:
    """The two ways on after a finished track: the other track, or this one again."""
    other = Track.PARTNER if finished == Track.SELF else Track.SELF
    return keyboard(
        [_button(catalog, f"course.button.track.{other.value}", FEATURE, "track", other.value)],
        [_button(catalog, "course.button.review", FEATURE, "review")],
    )


def _button(catalog: Catalog, label: str, feature: str, *parts: str) -> tuple[str, str]:
    """A (label, callback data) pair: the label's ui key, then the data's parts."""
    return catalog.text(label), callbacks.build(feature, *parts)


def _lesson(context: BotContext, lesson_id: str | None) -> Lesson | None:
    if lesson_id is None:
        return None
    try:
        return context.catalog.lesson(lesson_id)
    except KeyError:
        return None


def _track(value: str | None) -> Track | None:
    return Track(value) if value in {track.value for track in Track} else None
