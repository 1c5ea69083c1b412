"""What a lock screen or chat list shows of every scheduled message and every shared card.

The content check (lessons/rules.py) reads entries field by field; here the real messages
are composed as the bot sends them, in discreet and in plain mode, and their first
characters (about three lines of a preview) are read for the explicit words of rules.yaml.
"""

from __future__ import annotations

import pytest

from bot import sharing
from bot.delivery import compose
from lessons import Catalog, Track, load_catalog
from lessons.rules import words
from lessons.search import shareable
from lessons.telegram_html import plain_text
from scheduler.delivery import COURSE_COMPLETE, Delivery
from scheduler.model import Course, Kind
from scheduler.progress import Place, review_lessons


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def shown_first(catalog: Catalog, html: str) -> str:
    """The start of a message as a preview shows it: line breaks fold into spaces."""
    text = " ".join(plain_text(html).split())
    cut = text.find(" ", catalog.rules.preview_characters)
    return text if cut < 0 else text[:cut]


def explicit_in(catalog: Catalog, html: str) -> list[str]:
    shown = words(shown_first(catalog, html))
    joined = f" {' '.join(shown)} "
    return [word for word in catalog.rules.explicit_words if f" {word} " in joined]


def scheduled(catalog: Catalog, discreet: bool) -> list[Delivery]:
    def delivery(
        kind: Kind, item_id: str, track: Track | None = None, place: Place | None = None
    ) -> Delivery:
        return Delivery(
            1, 1, kind, item_id, discreet=discreet, silent=False, track=track, place=place
        )

    # Every lesson as the schedule sends it, with its place in the course ("Lesson 7 of
    # 30") under the first line, and every lesson the weekly review can send.
    found = [
        delivery(Kind.LESSON, lesson.id, track, Place(number, len(catalog.track(track))))
        for track in Track
        for number, lesson in enumerate(catalog.track(track), start=1)
    ]
    found += [
        delivery(Kind.LESSON, lesson.id, track, Place(99, len(catalog.track(track)), review=True))
        for track in Track
        for lesson in review_lessons(catalog, Course(1, track=track))
    ]
    found += [delivery(Kind.REMINDER, routine.id) for routine in catalog.routines]
    found += [delivery(Kind.LESSON, COURSE_COMPLETE, track) for track in Track]
    found.append(delivery(Kind.TALK, "talk"))
    return found


def test_the_rules_name_words_and_a_preview_length(catalog):
    assert catalog.rules.preview_characters >= 150
    assert {"sex", "pain", "hurts", "flashback"} <= set(catalog.rules.explicit_words)


@pytest.mark.parametrize("discreet", [True, False], ids=["discreet", "plain"])
def test_no_scheduled_message_opens_with_an_explicit_word(catalog, discreet):
    found = {}
    for delivery in scheduled(catalog, discreet):
        text, _ = compose(delivery, catalog)
        if explicit := explicit_in(catalog, text):
            found[delivery.item_id] = explicit
    assert not found, f"explicit in a lock-screen preview: {found}"


def test_no_shared_card_opens_with_an_explicit_word(catalog):
    found = {}
    for entry in shareable(catalog):
        if explicit := explicit_in(catalog, sharing.card_html(catalog, entry)):
            found[entry.id] = explicit
    assert not found, f"explicit at the top of a shared card: {found}"


def test_the_invite_a_partner_receives_opens_discreetly(catalog):
    assert explicit_in(catalog, catalog.text("share.invite")) == []


def test_the_check_would_catch_an_explicit_opening(catalog):
    assert explicit_in(catalog, "<b>About sex</b>\n\nA lesson.") == ["sex"]
