"""Rendering entries as Telegram HTML, and that HTML as terminal text."""

from __future__ import annotations

import pytest

from bot.terminal import html_to_text
from bot.ui import render
from lessons import (
    Audience,
    Catalog,
    Lesson,
    Phrase,
    Routine,
    Section,
    Situation,
    SupportNote,
    Technique,
    Track,
    load_catalog,
)
from lessons.telegram_html import html_problems

LABELS = {
    "render.lesson.try": "<b>Try:</b> {text}",
    "render.lesson.try_solo": "<b>Alone:</b> {text}",
    "render.lesson.reflect": "<b>Think:</b> <i>{text}</i>",
    "render.technique.when": "<b>When:</b> {text}",
    "render.technique.duration": "<b>Takes:</b> {text}",
    "render.routine.duration": "<b>Takes:</b> {minutes} min",
    "render.phrase.text": "«{text}»",
}

LESSON = Lesson(
    id="calm-start",
    track=Track.SELF,
    day=1,
    title="A calm <i>start</i>",
    body="First paragraph.\n\nSecond &amp; last.",
    try_="Breathe out slowly.",
    source=("intro",),
    audience=Audience.SELF,
    reflect="What helps?",
)
TECHNIQUE = Technique(
    id="slow-breath",
    name="Slow breathing",
    when="When it all feels fast.",
    steps=("Breathe in for four.", "Breathe out for six."),
    source=("intro",),
    duration="one minute",
)
PHRASE = Phrase(
    id="gentle-check",
    situation=Situation.BEFORE,
    text="Can we go slowly?",
    source=("intro",),
    note="Say it early.",
)
ROUTINE = Routine(
    id="short-walk",
    name="A short walk",
    reminder="A few minutes outside?",
    how=("Step outside.", "Walk slowly."),
    minutes=10,
    source=("intro",),
)
SUPPORT = SupportNote(
    id="more-help", title="More help", body="A doctor can help.", source=("intro",)
)


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        sections=(Section("intro", "Introduction"),),
        tracks={Track.SELF: (LESSON,)},
        techniques=(TECHNIQUE,),
        phrases=(PHRASE,),
        routines=(ROUTINE,),
        support=SUPPORT,
        ui=LABELS,
    )


def test_lesson(catalog):
    assert render.lesson_html(LESSON, catalog) == (
        "<b>A calm <i>start</i></b>\n\n"
        "First paragraph.\n\nSecond &amp; last.\n\n"
        "<b>Try:</b> Breathe out slowly.\n\n"
        "<b>Think:</b> <i>What helps?</i>"
    )


def test_lesson_without_reflect(catalog):
    lesson = Lesson(**{**{f: getattr(LESSON, f) for f in LESSON.__slots__}, "reflect": None})
    assert render.lesson_html(lesson, catalog).endswith("<b>Try:</b> Breathe out slowly.")


def test_lesson_with_a_solo_version_shows_it_after_try(catalog):
    fields = {f: getattr(LESSON, f) for f in LESSON.__slots__}
    lesson = Lesson(**{**fields, "try_solo": "Breathe out slowly, on your own."})
    assert render.lesson_html(lesson, catalog) == (
        "<b>A calm <i>start</i></b>\n\n"
        "First paragraph.\n\nSecond &amp; last.\n\n"
        "<b>Try:</b> Breathe out slowly.\n\n"
        "<b>Alone:</b> Breathe out slowly, on your own.\n\n"
        "<b>Think:</b> <i>What helps?</i>"
    )


def test_technique(catalog):
    assert render.technique_html(TECHNIQUE, catalog) == (
        "<b>Slow breathing</b>\n<b>When:</b> When it all feels fast.\n\n"
        "1. Breathe in for four.\n2. Breathe out for six.\n\n"
        "<b>Takes:</b> one minute"
    )


def test_phrase(catalog):
    assert render.phrase_html(PHRASE, catalog) == "«Can we go slowly?»\n\n<i>Say it early.</i>"


def test_routine(catalog):
    assert render.routine_html(ROUTINE, catalog) == (
        "<b>A short walk</b>\nA few minutes outside?\n\n"
        "1. Step outside.\n2. Walk slowly.\n\n<b>Takes:</b> 10 min"
    )


def test_support():
    assert render.support_html(SUPPORT) == "<b>More help</b>\n\nA doctor can help."


def test_entry_html_picks_the_kind(catalog):
    for entry in catalog.entries():
        assert render.entry_html(entry, catalog).startswith("<b>") or entry is PHRASE


def test_renders_are_valid_telegram_html(catalog):
    for entry in catalog.entries():
        assert html_problems(render.entry_html(entry, catalog)) == []


def test_real_content_has_every_label():
    ui = load_catalog().ui
    missing = [key for key in render.UI_KEYS if key not in ui]
    assert not missing


def test_every_real_entry_renders_as_valid_html():
    catalog = load_catalog()
    for entry in catalog.entries():
        assert html_problems(render.entry_html(entry, catalog)) == [], entry.id


def test_terminal_text_without_colour():
    text = html_to_text("<b>Tom</b> &amp; <i>Jerry</i> &lt;3 &#8212; <code>x</code>", color=False)
    assert text == "Tom & Jerry <3 — x"


def test_terminal_text_with_colour_restores_outer_styles():
    text = html_to_text("<b>bold <i>both</i> bold</b> plain", color=True)
    assert text == "\x1b[1mbold \x1b[0m\x1b[1;3mboth\x1b[0m\x1b[1m bold\x1b[0m plain"


def test_terminal_text_keeps_line_breaks():
    assert html_to_text("<b>Title</b>\n\nBody", color=False) == "Title\n\nBody"
