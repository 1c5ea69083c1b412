"""``/techniques``: the menu, a technique's card, back to the menu, and sharing one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.standin import Button, ChatDriver
from bot.ui import render
from lessons.telegram_html import plain_text

if TYPE_CHECKING:
    from tests.e2e.conftest import Harness


async def test_the_menu_lists_every_technique_two_to_a_row(
    harness: Harness, person: ChatDriver
) -> None:
    techniques = harness.catalog.techniques

    await person.send("/techniques")

    assert person.last.labels == [technique.name for technique in techniques]
    assert all(len(row) <= 2 for row in person.last.buttons)
    assert [button.value for row in person.last.buttons for button in row] == [
        f"tech:open:{technique.id}" for technique in techniques
    ]


async def test_opening_a_technique_shows_its_steps_then_back_to_the_menu(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    technique = catalog.techniques[-1]
    await person.send("/techniques")
    menu = person.last

    replies = await person.tap(technique.name)

    card = replies[-1]
    assert card.message_id == menu.message_id and card.edited
    assert card.text == plain_text(render.technique_html(technique, catalog))
    for step in technique.steps:
        assert plain_text(step) in card.text
    assert card.labels == ["All techniques", "Share with partner"]

    await person.tap("All techniques")
    assert person.last.message_id == menu.message_id
    assert person.last.text == menu.text
    assert person.last.buttons == menu.buttons


async def test_the_welcome_button_sends_the_menu_and_keeps_the_welcome(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/start")
    welcome = person.last

    replies = await person.tap(harness.catalog.text("start.button.now"))

    assert len(replies) == 1 and not replies[0].edited
    assert replies[0].labels == [t.name for t in harness.catalog.techniques]
    assert person.messages[-2] == welcome


async def test_without_inline_mode_share_sends_a_clean_card_to_forward(
    harness_without_inline: Harness,
) -> None:
    harness = harness_without_inline
    person = harness.person()
    catalog = harness.catalog
    technique = catalog.techniques[0]
    await person.send("/techniques")
    await person.tap(technique.name)
    card_in_menu = person.last

    note, card = await person.tap("Share with partner")

    assert note.text == plain_text(catalog.text("techniques.share.note"))
    intro = plain_text(catalog.text("share.card.intro"))
    assert card.text == f"{intro}\n\n{card_in_menu.text}"
    link = f"https://t.me/SoftLandingBot?start=t-{technique.id}"
    assert card.buttons == ((Button(catalog.text("share.button.open"), link),),)
    assert "Alex" not in card.text


async def test_an_unknown_technique_gets_a_polite_answer(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/techniques")
    menu = person.last

    for data in ("tech:open:nonexistent", "tech:share:nonexistent", "tech:open", "tech:jump"):
        assert await person.tap_data(data) == []
        answer = person.last_callback_answer
        assert answer is not None and answer.show_alert
        assert answer.text == harness.catalog.text("techniques.unknown")
    assert person.last == menu
