"""The couple rhythm, two people end to end: propose, accept, suggest another, decline,
lessons at the agreed local time in two zones, and leaving it."""

from __future__ import annotations

from datetime import time, timedelta

from lessons.telegram_html import plain_text
from scheduler.model import EVERY_DAY, WEEKDAYS
from tests.e2e.conftest import Harness
from tests.e2e.partners import (
    MONDAY,
    agreed_pair,
    course_of,
    invite_link,
    lessons,
    linked_pair,
    opt_in,
    propose,
    tick_at,
    ui,
)


async def test_a_proposal_reaches_the_partner_exactly_and_waits_for_them(
    harness: Harness,
) -> None:
    alex, sam = await linked_pair(harness)
    await opt_in(alex, "Every day", "07:30", "Europe/London")

    await propose(alex, "Weekdays", "12:30")

    words = {"days": "on weekdays", "time": "12:30"}
    assert sam.last.text == ui(harness, "couple.proposal", **words)
    assert sam.last.labels == ["Accept", "Suggest another", "Not now"]
    assert alex.last.text.startswith(ui(harness, "couple.proposed", **words))
    # Nothing moves until the partner accepts.
    course = await course_of(harness, alex)
    assert course.days == EVERY_DAY and course.local_time == time(7, 30)
    [shown] = await sam.send("/partner")
    assert ui(harness, "couple.rhythm.theirs_waiting", **words) in shown.text
    assert shown.labels[:3] == ["Accept", "Suggest another", "Not now"]


async def test_accepted_both_get_their_own_lesson_at_the_agreed_local_time(
    harness: Harness,
) -> None:
    alex, sam = await agreed_pair(harness)

    words = {"days": "on weekdays", "time": "12:30"}
    assert alex.last.text == ui(harness, "couple.accepted.partner", **words)
    for person in (alex, sam):
        course = await course_of(harness, person)
        assert course.days == WEEKDAYS and course.local_time == time(12, 30)
    # 12:30 in Berlin is 11:30 UTC; 12:30 in London is 12:30 UTC.
    await tick_at(harness, MONDAY.replace(hour=11, minute=30))
    assert (lessons(harness, sam), lessons(harness, alex)) == (1, 0)
    await tick_at(harness, MONDAY.replace(hour=12, minute=30))
    assert (lessons(harness, sam), lessons(harness, alex)) == (1, 1)
    # A week on: Saturday and Sunday are off the rhythm for both, whatever their own
    # schedules said (every day at 07:30 and at 18:00).
    for day in range(24, 30):
        for hour in (6, 7, 11, 12, 17):
            await tick_at(harness, MONDAY.replace(day=day, hour=hour, minute=30))
    assert (lessons(harness, sam), lessons(harness, alex)) == (5, 5)
    [shown] = await sam.send("/partner")
    assert ui(harness, "couple.rhythm.agreed", **words) in shown.text
    # Each keeps their own track and zone; neither sees the other's.
    assert "18:00" not in alex.last.text and "07:30" not in shown.text


async def test_suggest_another_is_a_new_proposal_and_the_old_one_is_gone(
    harness: Harness,
) -> None:
    alex, sam = await linked_pair(harness)
    await propose(alex, "Weekdays", "12:30")
    first = sam.last

    await sam.tap("Suggest another")
    await sam.tap("Every day")
    await sam.tap("20:00")

    assert alex.last.text == ui(harness, "couple.proposal", days="every day", time="20:00")
    await alex.tap("Accept")
    # Sam never chose daily lessons: the rhythm is agreed, and waits for their own.
    agreed = ui(harness, "couple.accepted.partner.no_lesson", days="every day", time="20:00")
    assert sam.last.text == agreed
    # Alex's first proposal is no longer there to accept.
    await sam.tap_on(first.message_id, "Accept")
    answer = sam.last_callback_answer
    assert answer is not None and answer.text == ui(harness, "button.stale")
    assert (await course_of(harness, sam)).local_time == time(20, 0)


async def test_declined_nothing_changes_and_the_proposer_hears_only_that(
    harness: Harness,
) -> None:
    alex, sam = await linked_pair(harness)
    await opt_in(sam, "Every day", "18:00", "Europe/Berlin")
    await propose(alex, "Weekdays", "12:30")

    [shown] = await sam.tap("Not now")

    assert shown.text.startswith(ui(harness, "couple.declined"))
    assert alex.last.text == ui(harness, "couple.declined.partner")
    course = await course_of(harness, sam)
    assert course.days == EVERY_DAY and course.local_time == time(18, 0)


async def test_a_change_by_one_reaches_the_other_only_as_a_proposal(harness: Harness) -> None:
    alex, sam = await agreed_pair(harness)

    await propose(sam, "Every day", "21:30", "Suggest a change")
    # The agreed rhythm runs on until Alex accepts.
    for person in (alex, sam):
        course = await course_of(harness, person)
        assert course.days == WEEKDAYS and course.local_time == time(12, 30)
    assert alex.last.text == ui(harness, "couple.proposal", days="every day", time="21:30")
    # A schedule Alex picks in /daily meanwhile is kept as Alex's own, not the rhythm.
    await alex.send("/daily")
    for label in ("Change", "For me", "Weekdays", "18:00", "Europe/London"):
        await alex.tap(label)
    assert alex.last.text.endswith(ui(harness, "couple.kept"))
    course = await course_of(harness, alex)
    assert course.days == WEEKDAYS and course.local_time == time(12, 30)
    await alex.send("/partner")
    await alex.tap("Accept")
    assert (await course_of(harness, sam)).local_time == time(21, 30)

    await alex.send("/partner")
    await alex.tap("Leave the rhythm")

    assert sam.last.text == ui(harness, "couple.left.partner")
    alex_course, sam_course = await course_of(harness, alex), await course_of(harness, sam)
    assert (alex_course.days, alex_course.local_time) == (WEEKDAYS, time(18, 0))
    assert (sam_course.days, sam_course.local_time) == (EVERY_DAY, time(18, 0))


async def test_ending_the_link_returns_each_to_their_own_last_schedule(harness: Harness) -> None:
    alex, sam = await agreed_pair(harness)
    await tick_at(harness, MONDAY.replace(hour=12, minute=31))

    await sam.send("/partner")
    await sam.tap("End sharing")

    alex_course, sam_course = await course_of(harness, alex), await course_of(harness, sam)
    assert (alex_course.days, alex_course.local_time) == (EVERY_DAY, time(7, 30))
    assert (sam_course.days, sam_course.local_time) == (EVERY_DAY, time(18, 0))
    # Alex had Monday's lesson already: the next is Tuesday 07:30 in London.
    assert alex_course.next_due == MONDAY.replace(day=24, hour=7, minute=30)
    assert sam_course.position == 2 and alex_course.position == 2
    harness.clock.advance(timedelta(minutes=1))


async def test_a_typed_time_proposes_the_rhythm_and_a_malformed_one_says_what_works(
    harness: Harness,
) -> None:
    alex, sam = await linked_pair(harness)
    await alex.send("/partner")
    await alex.tap("Suggest a rhythm")
    [asked] = await alex.tap("Weekdays")
    assert "type" in asked.text
    heard = len(sam.messages)

    [refused] = await alex.send("nine-ish")
    assert refused.text == ui(harness, "when.time.invalid")
    assert len(sam.messages) == heard  # nothing proposed yet
    [screen] = await alex.send("9pm")

    words = {"days": "on weekdays", "time": "21:00"}
    assert screen.text.startswith(ui(harness, "couple.proposed", **words))
    assert sam.last.text == ui(harness, "couple.proposal", **words)
    assert sam.last.labels == ["Accept", "Suggest another", "Not now"]
    # The question is answered: more typing is ordinary text again, not another proposal.
    before = len(sam.messages)
    await alex.send("21:30")
    assert len(sam.messages) == before


async def test_a_spanish_speaker_types_the_rhythm_time_in_spanish(harness: Harness) -> None:
    alex = harness.person(1001, "Alex")
    sam = harness.person(2002, "Sam", language_code="es")
    await sam.send(f"/start {await invite_link(alex)}")
    spanish = harness.services.library.catalog("es")
    await sam.send("/partner")
    await sam.tap(spanish.text("couple.button.propose"))
    await sam.tap(spanish.text("couple.days.every"))

    [screen] = await sam.send("9 de la noche")

    words = {"days": spanish.text("couple.days.phrase.every"), "time": "21:00"}
    assert screen.text.startswith(plain_text(spanish.text("couple.proposed", **words)))
    assert alex.last.text == ui(harness, "couple.proposal", days="every day", time="21:00")
