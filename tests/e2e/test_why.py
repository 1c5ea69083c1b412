"""``/why``: a card for each reason tears come, and the lesson behind it, read without
moving the course on."""

from __future__ import annotations

from bot.standin import ChatDriver
from lessons.telegram_html import plain_text
from tests.e2e.conftest import Harness, choose_lessons

TITLES = [
    "When it means a lot",
    "A release, like a long sigh",
    "The dip after a high",
    "A tense week catching up",
    "When something hurts",
    "When old memories stir",
]


async def test_why_lists_the_reasons_and_each_opens_in_place(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    [menu] = await person.send("/why")
    assert menu.text == plain_text(catalog.text("why.menu"))
    assert menu.labels == TITLES
    for reason in catalog.reasons:
        [card] = await person.tap(reason.title)
        assert card.message_id == menu.message_id
        assert card.text.startswith(reason.title)
        assert card.labels == ["Read the lesson on this", "Other reasons"]
        [back] = await person.tap("Other reasons")
        assert back.message_id == menu.message_id and back.labels == TITLES
    assert await harness.services.store.export(person.chat_id) == {}


async def test_the_pain_and_memories_cards_keep_the_care_rules(person: ChatDriver) -> None:
    await person.send("/why")
    [pain] = await person.tap("When something hurts")
    assert "stop or pause" in pain.text and "health-care provider" in pain.text
    assert "/support" in pain.text
    await person.tap("Other reasons")
    [memories] = await person.tap("When old memories stir")
    assert "/support" in memories.text


async def test_the_lesson_behind_a_card_is_read_without_moving_the_course_on(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    await person.send("/lesson")
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    before = await store.course(subscriber.id)

    await person.send("/why")
    [card] = await person.tap("The dip after a high")
    [lesson] = await person.tap("Read the lesson on this")

    deeper = harness.catalog.lesson("self-07-the-dip-afterwards")
    assert lesson.message_id != card.message_id
    assert lesson.text.startswith(deeper.title)
    assert "Next lesson" not in lesson.labels
    assert await store.course(subscriber.id) == before


async def test_why_is_in_the_menu_and_a_gone_card_gets_its_own_answer(
    harness: Harness, person: ChatDriver
) -> None:
    assert "why" in [name for name, _ in harness.api.commands]
    await person.send("/why")
    await person.tap_data("why:open:no-such-reason")
    answer = person.last_callback_answer
    assert answer is not None
    assert answer.text == harness.catalog.text("why.unknown")
