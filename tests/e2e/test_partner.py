"""/partner: a personal invite link with a share button, joining through it, the used invite
tapped again, and ending the link from either side with a way on."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from lessons.telegram_html import plain_text
from tests.e2e.conftest import Harness
from tests.e2e.partners import invite_link, linked_pair, partner_of, ui

LINKED = ["Suggest a rhythm", "Evening nudge time", "Turn on the weekly check-in", "End sharing"]
ENDED = ["My lessons", "Words for a partner", "Sharing options"]


async def test_an_invite_links_two_people_and_both_are_told(harness: Harness) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    payload = await invite_link(alex)

    joined, course = await sam.send(f"/start {payload}")

    assert joined.text == ui(harness, "partner.joined")
    assert course.labels == ["The course for partners", "The course for me"]
    assert alex.last.text == ui(harness, "partner.joined.inviter")
    assert await partner_of(harness, alex) == sam.chat_id
    assert await partner_of(harness, sam) == alex.chat_id
    # Neither side learns anything about the other beyond the link itself.
    assert all("Alex" not in m.text for m in sam.messages)
    assert all("Sam" not in m.text for m in alex.messages)
    # Only a hash of the code is kept, and no longer once it is used.
    code = payload.removeprefix("inv-")
    assert code not in json.dumps(await harness.services.store.export(alex.chat_id))
    [link] = (await harness.services.store.export(sam.chat_id))["partner_links"]
    assert link["code_hash"] is None and link["linked"] is True


async def test_partner_shows_the_link_and_a_way_to_end_it(harness: Harness) -> None:
    alex, _ = await linked_pair(harness)

    [shown] = await alex.send("/partner")

    assert shown.text.startswith(ui(harness, "partner.linked"))
    assert ui(harness, "couple.rhythm.none") in shown.text
    assert shown.text.endswith(ui(harness, "partner.linked.private"))
    assert shown.labels == LINKED


async def test_a_used_invite_does_not_work_twice(harness: Harness) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    payload = await invite_link(alex)
    await sam.send(f"/start {payload}")
    told_alex = len(alex.messages)
    kim = harness.person(3003, "Kim")

    invalid, welcome = await kim.send(f"/start {payload}")

    assert invalid.text == ui(harness, "partner.invalid")
    assert welcome.text == ui(harness, "start.welcome")
    assert len(alex.messages) == told_alex
    assert await partner_of(harness, alex) == sam.chat_id


async def test_an_expired_invite_does_not_work(harness: Harness) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    payload = await invite_link(alex)
    harness.clock.advance(timedelta(hours=48, minutes=1))

    invalid, _ = await sam.send(f"/start {payload}")

    assert invalid.text == ui(harness, "partner.invalid")
    assert await partner_of(harness, alex) is None
    assert (await harness.services.store.rows_about(alex.chat_id))["partner_links"] == 0


async def test_a_new_invite_replaces_the_old_one(harness: Harness) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    old = await invite_link(alex)
    new = await invite_link(alex)

    [invalid, _] = await sam.send(f"/start {old}")
    assert invalid.text == ui(harness, "partner.invalid")
    [joined, _] = await sam.send(f"/start {new}")
    assert joined.text == ui(harness, "partner.joined")


@pytest.mark.parametrize("payload", ["inv-", "inv-not-a-code", "inv-" + "x" * 70])
async def test_an_own_or_unknown_invite_gets_a_kind_note_and_the_welcome(
    harness: Harness, payload: str
) -> None:
    alex = harness.person(1001, "Alex")
    own = await invite_link(alex)

    for attempt in (payload, own):
        invalid, welcome = await alex.send(f"/start {attempt}")
        assert invalid.text == ui(harness, "partner.invalid")
        assert welcome.text == ui(harness, "start.welcome")
    assert await partner_of(harness, alex) is None


@pytest.mark.parametrize("ending", ["inviter", "partner"])
async def test_either_side_can_end_it_and_the_other_hears_only_that(
    harness: Harness, ending: str
) -> None:
    alex, sam = await linked_pair(harness)
    leaver, other = (alex, sam) if ending == "inviter" else (sam, alex)

    await leaver.send("/partner")
    [done] = await leaver.tap("End sharing")

    assert done.text == ui(harness, "partner.unlinked")
    assert other.last.text == ui(harness, "partner.ended")
    assert other.last.labels == ENDED
    assert await partner_of(harness, alex) is None and await partner_of(harness, sam) is None
    for person in (alex, sam):
        assert (await harness.services.store.rows_about(person.chat_id))["partner_links"] == 0
    # A way on: sharing again, alone.
    [about] = await other.tap("Sharing options")
    assert about.text == ui(harness, "partner.about") and about.labels == ["Create an invite link"]


@pytest.mark.parametrize("deleting", ["inviter", "partner"])
async def test_delete_on_either_side_removes_the_link_for_both(
    harness: Harness, deleting: str
) -> None:
    alex, sam = await linked_pair(harness)
    leaver, other = (alex, sam) if deleting == "inviter" else (sam, alex)

    await leaver.send("/delete")
    await leaver.tap("Yes, erase it all")

    assert other.last.text == ui(harness, "partner.ended")
    assert other.last.labels == ENDED
    assert (await harness.services.store.rows_about(other.chat_id))["partner_links"] == 0
    assert await partner_of(harness, other) is None
    [shown] = await other.send("/partner")
    assert shown.labels == ["Create an invite link"]


async def test_a_blocked_partner_does_not_stop_ending_the_link(harness: Harness) -> None:
    alex, sam = await linked_pair(harness)
    harness.api.block(sam.chat_id)

    await alex.send("/partner")
    [done] = await alex.tap("End sharing")

    assert done.text == ui(harness, "partner.unlinked")
    assert await partner_of(harness, alex) is None


async def test_partner_says_what_linking_gives_and_never_shares(harness: Harness) -> None:
    alex = harness.person(1001, "Alex")

    [shown] = await alex.send("/partner")

    gives, never = shown.text.split("\n")[2:4]
    assert "agree on one rhythm" in gives and "check-in" in gives
    assert never.startswith("It never shares your progress")


async def test_the_invite_comes_with_the_chat_picker_and_a_card_for_the_partner(
    harness: Harness,
) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    payload = await invite_link(alex)

    [button] = [b for row in alex.last.reply_markup["inline_keyboard"] for b in row]
    picker = button["switch_inline_query_chosen_chat"]
    assert button["text"] == "Send it to my partner"
    assert picker["query"] == payload and picker["allow_user_chats"] is True
    assert not picker["allow_group_chats"] and not picker["allow_bot_chats"]
    [card] = await alex.inline_query(payload)
    text = plain_text(card["input_message_content"]["message_text"])
    assert text.split("\n")[0] == "An invitation, just for you"
    [[open_button]] = card["reply_markup"]["inline_keyboard"]
    assert open_button["url"] == f"https://t.me/SoftLandingBot?start={payload}"
    # The card's link is the invite: opening it links the two.
    await sam.send(f"/start {payload}")
    assert await partner_of(harness, sam) == alex.chat_id


async def test_a_used_invite_tapped_again_by_the_partner_shows_their_link(
    harness: Harness,
) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    payload = await invite_link(alex)
    await sam.send(f"/start {payload}")
    told_alex = len(alex.messages)

    already, shown = await sam.send(f"/start {payload}")

    assert already.text == ui(harness, "partner.already_linked")
    assert shown.text.startswith(ui(harness, "partner.linked")) and shown.labels == LINKED
    assert len(alex.messages) == told_alex
    assert await partner_of(harness, sam) == alex.chat_id


async def test_without_inline_mode_the_invite_is_a_link_to_copy(
    harness_without_inline: Harness,
) -> None:
    alex = harness_without_inline.person(1001, "Alex")
    await alex.send("/partner")

    [shown] = await alex.tap("Create an invite link")

    assert shown.text.split("\n")[-1].startswith("Copy the link and send it to your partner.")
    assert shown.labels == []
