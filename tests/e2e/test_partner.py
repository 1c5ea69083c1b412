"""/partner: a personal invite link, joining through it, and ending the link from either side."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.standin import ChatDriver
from lessons.model import Track
from lessons.telegram_html import plain_text
from scheduler.model import WEEKDAYS
from tests.e2e.conftest import Harness

INVITE = re.compile(r"https://t\.me/SoftLandingBot\?start=(inv-[A-Za-z0-9_-]+)")


def ui(harness: Harness, key: str) -> str:
    return plain_text(harness.services.catalog.text(key))


async def invite_link(person: ChatDriver) -> str:
    """The start parameter of a fresh invite: what the partner's tap would send."""
    await person.send("/partner")
    [shown] = await person.tap("Create an invite link")
    found = INVITE.search(shown.text)
    assert found is not None, shown.text
    return found.group(1)


async def linked_pair(harness: Harness) -> tuple[ChatDriver, ChatDriver]:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    payload = await invite_link(alex)
    await sam.send(f"/start {payload}")
    return alex, sam


async def partner_of(harness: Harness, person: ChatDriver) -> int | None:
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return await harness.services.store.partner_chat(subscriber.id)


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

    assert shown.text == ui(harness, "partner.linked")
    assert shown.labels == ["Same days as my partner", "End sharing"]


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
    assert await partner_of(harness, alex) is None and await partner_of(harness, sam) is None
    for person in (alex, sam):
        assert (await harness.services.store.rows_about(person.chat_id))["partner_links"] == 0


@pytest.mark.parametrize("deleting", ["inviter", "partner"])
async def test_delete_on_either_side_removes_the_link_for_both(
    harness: Harness, deleting: str
) -> None:
    alex, sam = await linked_pair(harness)
    leaver, other = (alex, sam) if deleting == "inviter" else (sam, alex)

    await leaver.send("/delete")
    await leaver.tap("Yes, erase it all")

    assert other.last.text == ui(harness, "partner.ended")
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


# Same days, and the evening prompt. The clock starts on Monday 23 March 2026, 09:00 UTC:
# Berlin is an hour ahead of UTC that week, London is on UTC.
MONDAY = datetime(2026, 3, 23, tzinfo=UTC)


async def opt_in(person: ChatDriver, cadence: str, at: str, zone: str) -> None:
    await person.send("/daily")
    for label in ("For me", cadence, at, zone):
        await person.tap(label)


async def same_days(person: ChatDriver) -> str:
    await person.send("/partner")
    [shown] = await person.tap("Same days as my partner")
    return shown.text


async def synced_pair_with_lessons(harness: Harness) -> tuple[ChatDriver, ChatDriver]:
    """Sam: weekdays at 12:30 in Berlin; Alex: every day at 07:30 in London, until Alex
    chooses Sam's days. Both then choose the same days."""
    alex, sam = await linked_pair(harness)
    await opt_in(sam, "Weekdays", "12:30", "Europe/Berlin")
    await opt_in(alex, "Every day", "07:30", "Europe/London")
    assert await same_days(alex) == ui(harness, "partner.same_days.on")
    assert await same_days(sam) == ui(harness, "partner.same_days.on")
    return alex, sam


async def tick_at(harness: Harness, instant: datetime) -> None:
    harness.clock.set(instant)
    await harness.tick()


def talks(harness: Harness, person: ChatDriver) -> int:
    prompt = ui(harness, "partner.talk")
    return sum(m.text == prompt for m in harness.api.messages(person.chat_id))


async def test_same_days_takes_the_partners_days_and_time_but_keeps_ones_own(
    harness: Harness,
) -> None:
    alex, sam = await synced_pair_with_lessons(harness)
    store = harness.services.store
    mine = await store.find_subscriber(alex.chat_id)
    assert mine is not None
    course = await store.course(mine.id)

    assert course.days == WEEKDAYS and course.local_time == time(12, 30)
    assert mine.timezone == "Europe/London" and course.track is Track.SELF
    # 12:30 on Alex's own wall clock, the same Monday.
    assert course.next_due == MONDAY.replace(hour=12, minute=30)
    [shown] = await alex.send("/partner")
    assert shown.labels == ["Stop matching my partner's days", "End sharing"]
    assert all("Alex" not in m.text for m in sam.messages)


async def test_after_a_lesson_both_get_one_prompt_at_eight_in_their_own_evening(
    harness: Harness,
) -> None:
    alex, sam = await synced_pair_with_lessons(harness)
    for hour in (11, 12):  # the lessons: 12:30 in Berlin, then 12:30 in London
        await tick_at(harness, MONDAY.replace(hour=hour, minute=30))
    before_sam, before_alex = len(sam.messages), len(alex.messages)

    await tick_at(harness, MONDAY.replace(hour=18, minute=59))
    assert (talks(harness, sam), talks(harness, alex)) == (0, 0)
    await tick_at(harness, MONDAY.replace(hour=19))  # 20:00 in Berlin
    assert (talks(harness, sam), talks(harness, alex)) == (1, 0)
    await tick_at(harness, MONDAY.replace(hour=20))  # 20:00 in London
    await tick_at(harness, MONDAY.replace(hour=21))
    assert (talks(harness, sam), talks(harness, alex)) == (1, 1)

    [prompt] = sam.messages[before_sam:]
    assert prompt.labels == [] and alex.messages[before_alex:][0].labels == []
    # The first line is all a lock screen shows, and it gives nothing away.
    assert prompt.text.splitlines()[0] == "A small moment for the two of you"


async def test_a_lesson_after_eight_brings_the_prompt_the_next_evening(
    harness: Harness,
) -> None:
    alex, sam = await linked_pair(harness)
    await opt_in(sam, "Every day", "21:30", "Europe/Berlin")
    await opt_in(alex, "Every day", "18:00", "Europe/Berlin")
    await same_days(alex)
    await same_days(sam)

    await tick_at(harness, MONDAY.replace(hour=20, minute=30))  # both lessons, 21:30 local
    await tick_at(harness, MONDAY.replace(hour=22))
    assert (talks(harness, sam), talks(harness, alex)) == (0, 0)
    await tick_at(harness, MONDAY.replace(day=24, hour=19))
    assert (talks(harness, sam), talks(harness, alex)) == (1, 1)


async def test_no_prompt_when_only_one_side_chose_the_same_days(harness: Harness) -> None:
    alex, sam = await linked_pair(harness)
    await opt_in(sam, "Weekdays", "12:30", "Europe/Berlin")
    await opt_in(alex, "Every day", "07:30", "Europe/London")
    await same_days(alex)

    for hour in (11, 12, 19, 20, 21):
        await tick_at(harness, MONDAY.replace(hour=hour, minute=30))

    assert (talks(harness, sam), talks(harness, alex)) == (0, 0)
    assert any("Your daily note is here" in m.text for m in harness.api.messages(alex.chat_id))


@pytest.mark.parametrize("ending", ["unlink", "delete"])
async def test_no_prompt_once_the_link_has_ended(harness: Harness, ending: str) -> None:
    alex, sam = await synced_pair_with_lessons(harness)
    for hour in (11, 12):
        await tick_at(harness, MONDAY.replace(hour=hour, minute=30))

    await alex.send("/partner" if ending == "unlink" else "/delete")
    await alex.tap("End sharing" if ending == "unlink" else "Yes, erase it all")
    for hour in (19, 20, 21):
        await tick_at(harness, MONDAY.replace(hour=hour))

    assert (talks(harness, sam), talks(harness, alex)) == (0, 0)
    [shown] = await sam.send("/partner")
    assert shown.labels == ["Create an invite link"]


async def test_same_days_needs_the_partners_lessons_running(harness: Harness) -> None:
    alex, _ = await linked_pair(harness)

    assert await same_days(alex) == ui(harness, "partner.same_days.none")
    [shown] = await alex.send("/partner")
    assert shown.labels == ["Same days as my partner", "End sharing"]


async def test_choosing_it_again_stops_following_and_stops_the_prompt(harness: Harness) -> None:
    alex, sam = await synced_pair_with_lessons(harness)
    await tick_at(harness, MONDAY.replace(hour=11, minute=30))  # Sam's lesson

    await sam.send("/partner")
    [shown] = await sam.tap("Stop matching my partner's days")
    await tick_at(harness, MONDAY.replace(hour=19))

    assert shown.text == ui(harness, "partner.same_days.off")
    assert shown.labels == ["Same days as my partner", "End sharing"]
    assert (talks(harness, sam), talks(harness, alex)) == (0, 0)
