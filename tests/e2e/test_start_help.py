"""The welcome, /help, the command menu, and the answers of last resort."""

from __future__ import annotations

from bot import commands
from bot.standin import ChatDriver
from tests.e2e.conftest import Harness


async def test_start_welcomes_without_storing_anything(
    harness: Harness, person: ChatDriver
) -> None:
    [welcome] = await person.send("/start")
    assert "Soft Landing" in welcome.text
    assert "not medical advice" in welcome.text
    assert "/delete" in welcome.text
    assert welcome.labels == ["Get a daily lesson", "Something to try now", "What is stored"]
    assert await harness.services.store.find_subscriber(person.chat_id) is None


async def test_start_with_an_unknown_or_malformed_payload_falls_back_to_the_welcome(
    person: ChatDriver,
) -> None:
    [plain] = await person.send("/start")
    for payload in ("nothing-here", "bad!payload", "x" * 80):
        [reply] = await person.send(f"/start {payload}")
        assert reply.text == plain.text


async def test_the_command_menu_and_help_list_the_same_commands(
    harness: Harness, person: ChatDriver
) -> None:
    menu = [name for name, _ in harness.api.commands]
    assert menu == list(commands.COMMANDS)
    [reply] = await person.send("/help")
    for name, description in harness.api.commands:
        assert f"/{name} - {description}" in reply.text


async def test_an_unknown_command_points_to_help(person: ChatDriver) -> None:
    [reply] = await person.send("/dance")
    assert "/help" in reply.text


async def test_free_text_gets_a_gentle_pointer_and_is_not_stored(
    harness: Harness, person: ChatDriver
) -> None:
    [reply] = await person.send("I cried again last night and I don't know why")
    assert "/help" in reply.text
    assert await harness.services.store.export(person.chat_id) == {}


async def test_a_huge_message_still_gets_an_answer(person: ChatDriver) -> None:
    [reply] = await person.send("word " * 800)
    assert "/help" in reply.text


async def test_a_location_outside_any_flow_is_not_kept(
    harness: Harness, person: ChatDriver
) -> None:
    [reply] = await person.send_location(52.52, 13.40)
    assert "time zone" in reply.text
    assert await harness.services.store.find_subscriber(person.chat_id) is None


async def test_a_group_chat_is_told_once_and_nothing_is_stored(harness: Harness) -> None:
    group = harness.group()
    [reply] = await group.send("/start")
    assert "private" in reply.text
    assert await group.send("/lesson") == []
    assert await group.send("/daily") == []
    assert await harness.services.store.find_subscriber(group.chat_id) is None


async def test_a_malformed_button_gets_a_polite_answer(person: ChatDriver) -> None:
    await person.send("/start")
    for data in ("garbage", "nofeature:x", "daily:track:nobody", "set:time:9999", "rem:tog:99"):
        await person.tap_data(data)
        answer = person.last_callback_answer
        assert answer is not None and answer.text, data


async def test_support_says_where_to_find_help_calmly(harness: Harness, person: ChatDriver) -> None:
    [reply] = await person.send("/support")
    note = harness.services.catalog.support
    assert note.title in reply.text
    assert "health-care provider" in reply.text
    assert not any(character.isdigit() for character in reply.text)  # no hotline numbers
