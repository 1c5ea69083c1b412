"""``/phrases``: situations, one phrase at a time, "Another one", and sharing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.standin import Button, ChatDriver
from lessons import Phrase, Situation
from lessons.telegram_html import plain_text

if TYPE_CHECKING:
    from tests.e2e.conftest import Harness

LABELS = {
    Situation.BEFORE: "Before",
    Situation.IN_THE_MOMENT: "In the moment",
    Situation.COMFORTING: "Comforting a partner",
    Situation.AFTER: "Afterwards",
    Situation.SIGNALS: "Signals",
}


def shows(text: str, phrase: Phrase) -> bool:
    return plain_text(phrase.text) in text


async def test_the_menu_offers_every_situation(person: ChatDriver) -> None:
    await person.send("/phrases")

    assert person.last.labels == list(LABELS.values())
    assert [b.value for row in person.last.buttons for b in row] == [
        f"phr:sit:{number}" for number in range(len(LABELS))
    ]


async def test_each_situation_shows_one_of_its_own_phrases(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    await person.send("/phrases")
    menu = person.last

    for situation, label in LABELS.items():
        await person.tap(label)
        own = catalog.phrases_for(situation)
        others = [phrase for phrase in catalog.phrases if phrase.situation != situation]
        assert person.last.message_id == menu.message_id
        assert label in person.last.text
        assert any(shows(person.last.text, phrase) for phrase in own)
        assert not any(shows(person.last.text, phrase) for phrase in others)
        assert "Share with partner" in person.last.labels

        await person.tap("Other situations")
        assert person.last.text == menu.text


async def test_another_one_cycles_through_the_situation(
    harness: Harness, person: ChatDriver
) -> None:
    phrases = harness.catalog.phrases_for(Situation.COMFORTING)
    assert len(phrases) > 1
    await person.send("/phrases")
    await person.tap("Comforting a partner")
    seen = [person.last.text]

    for _ in phrases:
        await person.tap("Another one")
        assert person.last.text != seen[-1]
        seen.append(person.last.text)

    # Every phrase once, then back to the first.
    assert len(set(seen[:-1])) == len(phrases)
    assert seen[-1] == seen[0]
    for phrase in phrases:
        assert any(shows(text, phrase) for text in seen)


async def test_without_inline_mode_share_sends_the_words_alone(
    harness_without_inline: Harness,
) -> None:
    harness = harness_without_inline
    person = harness.person()
    catalog = harness.catalog
    first = catalog.phrases_for(Situation.AFTER)[0]
    await person.send("/phrases")
    await person.tap("Afterwards")

    note, card = await person.tap("Share with partner")

    assert note.text == plain_text(catalog.text("phrases.share.note"))
    assert shows(card.text, first)
    link = f"https://t.me/SoftLandingBot?start=p-{first.id}"
    assert card.buttons == ((Button(catalog.text("share.button.open"), link),),)
    assert "Afterwards" not in card.text


async def test_stale_phrase_buttons_get_a_polite_answer(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/phrases")
    menu = person.last

    for data in ("phr:sit:99", "phr:more:x:1", "phr:share:no-such-phrase", "phr:jump"):
        assert await person.tap_data(data) == []
        answer = person.last_callback_answer
        assert answer is not None
        assert answer.text == harness.catalog.text("phrases.unknown")
    assert person.last == menu
