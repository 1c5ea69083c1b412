"""The evening nudge and the weekly check-in, two people end to end over simulated weeks:
a prompt only on days the delivery log shows both received the lesson, each at their own
evening or soon after the second lesson, never past one's midnight, quiet hours applied;
the check-in revealed only once both answered, then gone."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.standin import ChatDriver
from scheduler.model import QuietMode
from tests.e2e.conftest import Harness
from tests.e2e.partners import (
    MONDAY,
    agreed_pair,
    count,
    lessons,
    linked_pair,
    opt_in,
    propose,
    talks,
    tick_at,
    ui,
)

DAY_HOURS = ((11, 30), (12, 30), (19, 0), (20, 0), (21, 0))
"""Sam's lesson (12:30 Berlin), Alex's (12:30 London), Sam's evening, Alex's, one more."""


async def a_day(harness: Harness, day: int) -> None:
    for hour, minute in DAY_HOURS:
        await tick_at(harness, MONDAY.replace(day=day, hour=hour, minute=minute))


async def rows(harness: Harness, person: ChatDriver, table: str) -> int:
    return (await harness.services.store.rows_about(person.chat_id))[table]


async def test_both_had_the_lesson_so_each_gets_one_prompt_in_their_own_evening(
    harness: Harness,
) -> None:
    alex, sam = await agreed_pair(harness)
    for hour in (11, 12):
        await tick_at(harness, MONDAY.replace(hour=hour, minute=30))

    await tick_at(harness, MONDAY.replace(hour=18, minute=59))
    assert (talks(harness, sam), talks(harness, alex)) == (0, 0)
    await tick_at(harness, MONDAY.replace(hour=19))  # 20:00 in Berlin
    assert (talks(harness, sam), talks(harness, alex)) == (1, 0)
    await tick_at(harness, MONDAY.replace(hour=20))  # 20:00 in London
    await tick_at(harness, MONDAY.replace(hour=21))
    assert (talks(harness, sam), talks(harness, alex)) == (1, 1)

    prompt = sam.last
    assert prompt.labels == [] and alex.last.labels == []
    # The first line is all a lock screen shows, and it gives nothing away.
    assert prompt.text.splitlines()[0] == "A small moment for the two of you"


@pytest.mark.parametrize("what", ["pause", "block", "erase"])
async def test_no_prompt_on_a_day_one_of_the_two_had_no_lesson(harness: Harness, what: str) -> None:
    alex, sam = await agreed_pair(harness)
    await a_day(harness, 23)
    assert (talks(harness, sam), talks(harness, alex)) == (1, 1)
    harness.clock.set(MONDAY.replace(day=24, hour=9))

    if what == "pause":
        await sam.send("/daily")
        await sam.tap("Stop daily lessons")
    elif what == "block":
        harness.api.block(sam.chat_id)
    else:
        await sam.send("/delete")
        await sam.tap("Yes, erase it all")
    for day in (24, 25, 26):
        await a_day(harness, day)

    assert talks(harness, alex) == 1
    assert talks(harness, sam) == 1 or what == "erase"


async def late_rhythm_pair(harness: Harness, zone: str, at: str) -> tuple[ChatDriver, ChatDriver]:
    """Alex in ``zone``, Sam in Berlin, both on a rhythm of every day at ``at``, each keeping
    the default evening (20:00)."""
    alex, sam = await linked_pair(harness)
    await opt_in(alex, "Every day", "07:30", zone)
    await opt_in(sam, "Every day", "07:30", "Europe/Berlin")
    await propose(alex, "Every day", at)
    await sam.tap("Accept")
    return alex, sam


async def test_a_rhythm_after_the_evening_brings_the_nudge_soon_after_the_second_lesson(
    harness: Harness,
) -> None:
    alex, sam = await late_rhythm_pair(harness, "Europe/London", "21:30")
    # The lessons come at 21:30 on each clock: 20:30 UTC in Berlin, 21:30 UTC in London,
    # both after the 20:00 evenings, so each nudge follows half an hour after Alex's.
    for day in (23, 24):
        for hour, minute in ((20, 30), (21, 30), (21, 59)):
            await tick_at(harness, MONDAY.replace(day=day, hour=hour, minute=minute))
        assert (talks(harness, alex), talks(harness, sam)) == (day - 23, day - 23)
        await tick_at(harness, MONDAY.replace(day=day, hour=22))
        assert (talks(harness, alex), talks(harness, sam)) == (day - 22, day - 22)
    await tick_at(harness, MONDAY.replace(day=25, hour=8))

    assert (lessons(harness, alex), lessons(harness, sam)) == (2, 2)
    assert (talks(harness, alex), talks(harness, sam)) == (2, 2)
    # 22:00 in London and 23:00 in Berlin are inside quiet hours: silent, but sent that day.
    assert all(m.disable_notification for m in (alex.last, sam.last))
    # The screen says the nudge follows the lessons, not that it comes at 20:00.
    [shown] = await alex.send("/partner")
    assert ui(harness, "couple.evening.after", time="20:00") in shown.text
    assert ui(harness, "couple.evening.at", time="20:00") not in shown.text


async def test_a_late_rhythm_still_starts_the_check_in_that_evening(harness: Harness) -> None:
    alex, sam = await late_rhythm_pair(harness, "Europe/London", "21:30")
    await both_opt_in(alex, sam)

    for hour, minute in ((20, 30), (21, 30), (22, 0)):
        await tick_at(harness, MONDAY.replace(hour=hour, minute=minute))

    asked = ui(harness, "couple.checkin.ask")
    assert alex.last.text == asked and sam.last.text == asked
    assert (talks(harness, alex), talks(harness, sam)) == (0, 0)
    assert await rows(harness, alex, "checkin_answers") == 1


async def test_across_los_angeles_and_berlin_no_nudge_once_ones_day_has_ended(
    harness: Harness,
) -> None:
    alex, sam = await late_rhythm_pair(harness, "America/Los_Angeles", "21:30")
    await both_opt_in(alex, sam)
    # 21:30 in Berlin is 20:30 UTC; 21:30 in Los Angeles is 04:30 UTC the next morning,
    # when Sam's day has ended: Alex's nudge comes at 22:00 there, Sam's not at all.
    for day in (23, 24):
        for hour, minute in ((20, 30), (28, 30), (29, 0), (31, 0)):
            at = MONDAY.replace(day=day) + timedelta(hours=hour, minutes=minute)
            await tick_at(harness, at)

    assert (lessons(harness, alex), lessons(harness, sam)) == (2, 2)
    assert (talks(harness, alex), talks(harness, sam)) == (2, 0)
    # With one side's evening never possible, the check-in (for both or neither) waits.
    assert count(harness, alex, "couple.checkin.ask") == 0
    # Sam's screen never promised a nudge at 20:00.
    [shown] = await sam.send("/partner")
    assert ui(harness, "couple.evening.after", time="20:00") in shown.text
    assert ui(harness, "couple.evening.at", time="20:00") not in shown.text


async def test_across_los_angeles_and_berlin_a_midday_rhythm_starts_the_check_in(
    harness: Harness,
) -> None:
    alex, sam = await late_rhythm_pair(harness, "America/Los_Angeles", "12:30")
    await both_opt_in(alex, sam)
    # Sam's lesson at 11:30 UTC; Alex's at 19:30 UTC (20:30 in Berlin, past Sam's evening):
    # Sam's check-in at 21:00 in Berlin, Alex's at 20:00 in Los Angeles (03:00 UTC).
    for hour, minute in ((11, 30), (19, 30), (20, 0)):
        await tick_at(harness, MONDAY.replace(hour=hour, minute=minute))
    asked = ui(harness, "couple.checkin.ask")
    assert sam.last.text == asked and count(harness, alex, "couple.checkin.ask") == 0
    await tick_at(harness, MONDAY.replace(day=24, hour=3))

    assert alex.last.text == asked
    [shown] = await sam.send("/partner")
    assert ui(harness, "couple.evening.at", time="20:00") in shown.text


async def test_an_evening_inside_quiet_hours_arrives_silently(harness: Harness) -> None:
    alex, sam = await agreed_pair(harness)
    await sam.send("/partner")
    await sam.tap("Evening nudge time")
    await sam.tap("22:00")  # quiet hours begin at 22:00

    await a_day(harness, 23)
    await tick_at(harness, MONDAY.replace(hour=21, minute=1))  # 22:00 in Berlin

    [prompt] = [m for m in sam.messages if m.text == ui(harness, "partner.talk")]
    assert prompt.disable_notification
    assert talks(harness, alex) == 1


async def test_a_prompt_that_would_wait_out_quiet_hours_is_dropped(harness: Harness) -> None:
    alex, sam = await agreed_pair(harness)
    store = harness.services.store
    subscriber = await store.find_subscriber(sam.chat_id)
    assert subscriber is not None
    await store.save_subscriber(replace(subscriber, quiet_mode=QuietMode.WAIT))
    await sam.send("/partner")
    await sam.tap("Evening nudge time")
    await sam.tap("22:00")

    for day in (23, 24):
        await a_day(harness, day)
        for hour in (21, 22, 23):
            await tick_at(harness, MONDAY.replace(day=day, hour=hour, minute=1))
    await tick_at(harness, MONDAY.replace(day=25, hour=7, minute=1))  # 08:01 in Berlin

    # Held until the morning it would no longer be about "today": never sent.
    assert talks(harness, sam) == 0 and talks(harness, alex) == 2


async def test_no_evening_nudge_when_one_turned_it_off(harness: Harness) -> None:
    alex, sam = await agreed_pair(harness)
    await alex.send("/partner")
    await alex.tap("Evening nudge time")
    [shown] = await alex.tap("No evening nudge")

    await a_day(harness, 23)

    assert ui(harness, "couple.evening.off") in shown.text
    assert (talks(harness, alex), talks(harness, sam)) == (0, 1)


# -- the weekly check-in ------------------------------------------------------------------


async def both_opt_in(alex: ChatDriver, sam: ChatDriver) -> None:
    for person in (alex, sam):
        await person.send("/partner")
        await person.tap("Turn on the weekly check-in")


async def test_the_check_in_is_revealed_only_once_both_answered_then_deleted(
    harness: Harness,
) -> None:
    alex, sam = await agreed_pair(harness)
    await both_opt_in(alex, sam)

    await a_day(harness, 23)
    asked = ui(harness, "couple.checkin.ask")
    assert (count(harness, alex, "couple.checkin.ask"), talks(harness, alex)) == (1, 0)
    assert sam.last.text == asked and alex.last.text == asked
    assert await rows(harness, alex, "checkin_answers") == 1

    await alex.tap("Feeling close")
    [waiting] = await alex.tap("A slower pace")
    assert waiting.text == ui(harness, "couple.checkin.waiting")
    # Sam learns nothing: no message, no edit.
    assert sam.last.text == asked and not sam.last.edited

    await sam.tap("Talking it through")
    [revealed] = await sam.tap("More talking before")

    assert revealed.text.split("\n")[0] == "Your weekly check-in"
    assert "You: talking it through; and next time, more talking before." in revealed.text
    assert "Your partner: feeling close; and next time, a slower pace." in revealed.text
    assert "You: feeling close; and next time, a slower pace." in alex.last.text
    for person in (alex, sam):
        assert await rows(harness, person, "checkin_answers") == 0
    # The rest of the week brings the ordinary nudge; the next week, a check-in again.
    await a_day(harness, 24)
    assert (talks(harness, alex), talks(harness, sam)) == (1, 1)
    # (Europe's clocks go forward on the 29th; each lesson and evening follows its own
    # wall clock, and the ticks still catch them within the grace.)
    for day in range(25, 31):
        await a_day(harness, day)
    # The first one became Alex's answer; the new week's is asked afresh.
    assert alex.last.text == asked and sam.last.text == asked
    assert await rows(harness, alex, "checkin_answers") == 1


async def test_an_unanswered_check_in_goes_after_two_days_without_a_trace(
    harness: Harness,
) -> None:
    alex, sam = await agreed_pair(harness)
    await both_opt_in(alex, sam)
    await a_day(harness, 23)
    checkin = sam.last
    await alex.tap("Feeling close")
    await alex.tap("A slower pace")
    seen_by_sam = len(sam.messages)

    await tick_at(harness, MONDAY.replace(day=25, hour=19, minute=59))
    assert await rows(harness, alex, "checkin_answers") == 1
    await tick_at(harness, MONDAY.replace(day=25, hour=20, minute=1))

    for person in (alex, sam):
        assert await rows(harness, person, "checkin_answers") == 0
    await sam.tap_on(checkin.message_id, "Feeling close")
    [closed] = await sam.tap("A slower pace")
    assert closed.text == ui(harness, "couple.checkin.closed")
    # Nothing told Sam that Alex had answered: Sam's chat is as it was, but for the tap.
    assert len(sam.messages) == seen_by_sam
    assert all("Your partner:" not in m.text for m in sam.messages + alex.messages)


async def test_the_check_in_needs_both_to_turn_it_on(harness: Harness) -> None:
    alex, sam = await agreed_pair(harness)
    await alex.send("/partner")
    [shown] = await alex.tap("Turn on the weekly check-in")
    assert ui(harness, "couple.checkin.on") in shown.text

    await a_day(harness, 23)

    assert count(harness, alex, "couple.checkin.ask") == 0
    assert (talks(harness, alex), talks(harness, sam)) == (1, 1)
    # Sam's screen does not say whether Alex turned it on.
    [theirs] = await sam.send("/partner")
    assert ui(harness, "couple.checkin.off") in theirs.text


async def test_export_shows_the_link_and_rhythm_and_delete_clears_both_answers(
    harness: Harness,
) -> None:
    alex, sam = await agreed_pair(harness)
    await both_opt_in(alex, sam)
    await a_day(harness, 23)
    await alex.tap("Feeling close")
    await alex.tap("A slower pace")
    store = harness.services.store
    [link] = (await store.export(sam.chat_id))["partner_links"]
    assert (link["rhythm_days"], link["rhythm_time"]) == (0b11111, "12:30")
    assert set(link) >= {"subscriber_id", "partner_id", "proposal_days", "checkin_week"}

    await sam.send("/delete")
    await sam.tap("Yes, erase it all")

    assert await rows(harness, alex, "checkin_answers") == 0
    assert await rows(harness, alex, "partner_links") == 0
    harness.clock.advance(timedelta(minutes=1))
