"""A lesson as sent, on demand or by the schedule: its text, its buttons, and the note at
the end of a track."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import buttons, sharing
from bot.context import Speaks
from bot.ui import tailor, techniques
from bot.ui.keyboards import Row, keyboard
from lessons.model import Catalog, Collection, Lesson, Track
from scheduler.progress import Place


def _find(context: Speaks, lesson_id: str) -> Lesson | None:
    entry = context.catalog.entry(lesson_id)
    return entry if isinstance(entry, Lesson) else None


lesson_arg = buttons.catalog_arg(_find, lambda lesson: lesson.id)
track_arg = buttons.enum_arg(Track)

LESSONS = buttons.Feature("les")
NEXT = LESSONS.button1("next", lesson_arg)
"""Under a lesson, naming it: only the first tap moves the course on."""
RESTART = LESSONS.button2("track", track_arg, track_arg)
"""After the last lesson of a track: the other one from day 1."""
AHEAD = LESSONS.button2("ahead", lesson_arg, buttons.flag_arg)
"""Under the question before reading ahead, naming the lesson it sits under: read the next
one now, and whether to stop asking for this course."""
WAIT = LESSONS.button1("wait", lesson_arg)
"""The same question's "no": the next lesson keeps to the schedule."""
REVIEW = LESSONS.button1("review", track_arg)
"""After a finished track: a lesson a week to look back on."""
REST = LESSONS.button1("rest", track_arg)
"""After a finished track, or under a review lesson: nothing more for now."""
SHARE = LESSONS.button1("share", lesson_arg)
FOR_LATER = LESSONS.button("later")
"""After a finished course: the short set to come back to when it is needed."""
READ = LESSONS.button1("read", lesson_arg)
"""One lesson of that set; reading it moves no course on."""


def lesson_keyboard(catalog: Catalog, lesson: Lesson, share: sharing.Share) -> InlineKeyboardMarkup:
    """Next, a related technique, and sharing: the same under every lesson, sent on demand
    or by the schedule."""
    next_row: Row = [(catalog.text("course.button.next"), NEXT.data(lesson))]
    return keyboard(next_row, *_technique_and_share(catalog, lesson, share))


def _technique_and_share(catalog: Catalog, lesson: Lesson, share: sharing.Share) -> list[Row]:
    """The rows under any lesson: "helpful / not for me", its related technique, if it has
    one, and sharing."""
    rows: list[Row] = [tailor.feedback_row(catalog, lesson)]
    if lesson.technique is not None:
        related = catalog.technique(lesson.technique)
        rows.append([(catalog.text("course.button.technique"), techniques.OPEN.data(related))])
    rows.append([share_button(catalog, lesson, share)])
    return rows


def share_button(catalog: Catalog, lesson: Lesson, share: sharing.Share) -> InlineKeyboardButton:
    label = catalog.text("course.button.share")
    return sharing.share_button(label, lesson, share, SHARE.data(lesson))


def complete_keyboard(catalog: Catalog, finished: Track) -> InlineKeyboardMarkup:
    """The three ways on after a finished track: the other track, a lesson a week to look
    back on, or rest."""
    other = Track.PARTNER if finished == Track.SELF else Track.SELF
    return keyboard(
        [(catalog.text(f"course.button.track.{other.value}"), RESTART.data(finished, other))],
        [(catalog.text("progress.way.review"), REVIEW.data(finished))],
        [(catalog.text("progress.way.rest"), REST.data(finished))],
    )


def review_keyboard(
    catalog: Catalog, lesson: Lesson, share: sharing.Share, track: Track
) -> InlineKeyboardMarkup:
    """Under a weekly review lesson: its technique and sharing, and a way to end the review;
    no "Next", since the review's pace is one a week."""
    end: Row = [(catalog.text("progress.review.end"), REST.data(track))]
    return keyboard(*_technique_and_share(catalog, lesson, share), end)


def ahead_keyboard(catalog: Catalog, shown: Lesson) -> InlineKeyboardMarkup:
    return keyboard(
        [(catalog.text("progress.ahead.once"), AHEAD.data(shown, False))],
        [(catalog.text("progress.ahead.always"), AHEAD.data(shown, True))],
        [(catalog.text("progress.ahead.wait"), WAIT.data(shown))],
    )


def for_later_button(catalog: Catalog) -> InlineKeyboardMarkup:
    return keyboard([(catalog.text("course.button.for_later"), FOR_LATER.data())])


def progress_line(catalog: Catalog, place: Place) -> str:
    """The line that says where a lesson stands in the person's course."""
    if place.review:
        return catalog.text("progress.review")
    return catalog.text("progress.lesson", number=place.number, total=place.total)


def for_later_keyboard(
    catalog: Catalog, kept: tuple[Lesson, ...] | None = None
) -> InlineKeyboardMarkup:
    """The lessons to come back to, one button each: ``kept`` as ordered for the person
    (``lessons.planner.review_lessons``), else the maintenance set in its written order."""
    shown = catalog.collection(Collection.MAINTENANCE) if kept is None else kept
    return keyboard(*([(lesson.title, READ.data(lesson))] for lesson in shown))


def kept_lesson_keyboard(
    catalog: Catalog, lesson: Lesson, share: sharing.Share
) -> InlineKeyboardMarkup:
    """Under a lesson read on its own: its technique and sharing, no "Next"; one of the set
    for later also leads back to that set, so reading one is never the end of the way."""
    rows = _technique_and_share(catalog, lesson, share)
    if lesson in catalog.collection(Collection.MAINTENANCE):
        rows = [*rows, [(catalog.text("course.button.for_later"), FOR_LATER.data())]]
    return keyboard(*rows)


def complete_text(catalog: Catalog, finished: Track) -> str:
    return catalog.text(f"course.complete.{finished.value}")
