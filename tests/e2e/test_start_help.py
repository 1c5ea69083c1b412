"""The welcome, /help, the command menu, and the answers of last resort."""

from __future__ import annotations

from bot import commands
from bot.standin import ChatDriver
from lessons.telegram_html import plain_text
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
    assert "/why" in reply.text


async def test_help_lists_each_command_once_under_its_group(
    harness: Harness, person: ChatDriver
) -> None:
    [reply] = await person.send("/help")
    catalog = harness.catalog
    headings = [plain_text(catalog.text(f"help.group.{group}")) for group in commands.Group]
    assert headings == ["Your daily course", "Help right now", "With a partner", "Your privacy"]
    lines = reply.text.splitlines()
    assert [line for line in lines if line in headings] == headings
    listed = [line.split(" - ")[0].lstrip("/") for line in lines if line.startswith("/")]
    assert sorted(listed) == sorted(commands.COMMANDS) and len(set(listed)) == len(listed)
    for declared in commands.DECLARED:
        # Each command sits below its own group's heading and above the next one.
        at = lines.index(f"/{declared.name} - {commands.description(catalog, declared.name)}")
        above = [line for line in lines[:at] if line in headings]
        assert above[-1] == plain_text(catalog.text(f"help.group.{declared.group}"))


async def test_an_unknown_command_points_to_help(person: ChatDriver) -> None:
    [reply] = await person.send("/dance")
    assert "/help" in reply.text


async def test_a_huge_message_still_gets_an_answer(harness: Harness, person: ChatDriver) -> None:
    [reply] = await person.send("word " * 800 + "and it hurts")
    assert reply.text.startswith("Thank you for telling me.")
    assert harness.catalog.support.title in reply.text


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
    note = harness.catalog.support
    assert note.title in reply.text
    assert "health-care provider" in reply.text
    assert not any(character.isdigit() for character in reply.text)  # no hotline numbers
