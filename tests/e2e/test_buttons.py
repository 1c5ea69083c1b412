"""Buttons from old messages and repeated taps: after /delete no button stores anyone again,
a button that moves something on does so once, and every query is answered once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from telegram import Update

from bot.standin import ChatDriver
from lessons import Track
from lessons.planner import course_lessons
from lessons.telegram_html import plain_text
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders

# Buttons that open a flow anew: tapped after /delete, they start over on purpose, and the
# flow's confirm (a start) is what stores someone again.
OPENS_A_FLOW = ("daily:begin", "rem:begin")


def ui(harness: Harness, key: str) -> str:
    return plain_text(harness.catalog.text(key))


def callback_buttons(person: ChatDriver) -> list[tuple[int, str, str]]:
    """Every callback button this chat was ever shown: (message id, label, data)."""
    seen: list[tuple[int, str, str]] = []
    for view in person.api.outgoing:
        if view.chat_id != person.chat_id:
            continue
        for row in view.buttons:
            for button in row:
                found = (view.message_id, button.label, button.value)
                if ":" in button.value and found not in seen:
                    seen.append(found)
    return seen


async def everything_on(harness: Harness, alex: ChatDriver) -> None:
    """A person with a message of every feature in their chat, each with its buttons."""
    sam = harness.person(2002, "Sam")
    await choose_lessons(alex, at="12:30", zone="UTC")
    await choose_reminders(alex, "12:30", "A short walk", zone="UTC")
    await alex.send("/partner")
    [shown] = await alex.tap("Create an invite link")
    payload = shown.text.split("start=")[1].split()[0]
    await sam.send(f"/start {payload}")
    await alex.send("/partner")
    await harness.tick()  # not yet due
    harness.clock.advance(timedelta(hours=3, minutes=30))
    await harness.tick()  # today's lesson and reminder, with their buttons
    await alex.send("/lesson")
    store = harness.services.store
    subscriber = await store.find_subscriber(alex.chat_id)
    assert subscriber is not None
    course = await store.course(subscriber.id)
    last_day = len(course_lessons(harness.catalog, Track.SELF))
    await store.save_course(replace(course, position=last_day + 1))
    await alex.send("/lesson")  # the end of the track, with its two ways on
    for command in ("/settings", "/techniques", "/phrases", "/breathe", "/privacy", "/start"):
        await alex.send(command)
    await alex.tap("Something to try now")  # the welcome's technique menu
    await alex.send("/phrases")
    await alex.tap(alex.last.labels[0])  # a phrase, with "another one" and share
    await alex.send("/why")
    await alex.tap(alex.last.labels[0])  # a reason's card, with its lesson and the others
    await alex.send("hello there")  # typed text: the care answer's buttons


# Tapping a breathing length starts its pacing task, which the harness's shutdown cancels.
@pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")
async def test_after_delete_no_button_of_any_feature_stores_anyone(harness: Harness) -> None:
    alex = harness.person(1001, "Alex")
    await everything_on(harness, alex)
    buttons = callback_buttons(alex)
    features = {data.split(":")[0] for _, _, data in buttons}
    expected = {"les", "tech", "brth", "phr", "ptr", "rem", "set", "priv", "daily", "why", "care"}
    assert features >= expected

    await alex.send("/delete")
    await alex.tap("Yes, erase it all")
    store = harness.services.store
    assert not any((await store.rows_about(alex.chat_id)).values())

    stale = {ui(harness, "button.stale"), ui(harness, "when.expired")}
    needs_a_person = {"les", "ptr", "rem", "set", "daily"}
    # The finished course's lessons for later are content, like a technique: they open for
    # anyone and store nothing, which the row check below still holds them to.
    content_only = ("les:later", "les:read:")
    tapped = set()
    for message_id, label, data in buttons:
        if data in OPENS_A_FLOW or data.startswith("priv:wipe"):
            continue
        if alex.api.message(alex.chat_id, message_id) is None:
            continue
        await alex.tap_on(message_id, label)
        tapped.add(data.split(":")[0])
        answer = alex.last_callback_answer
        assert answer is not None, data
        assert not any((await store.rows_about(alex.chat_id)).values()), data
        if data.split(":")[0] in needs_a_person and not data.startswith(content_only):
            assert answer.text in stale, data
    assert tapped == features


async def test_after_delete_a_step_of_an_old_flow_stores_nothing(harness: Harness) -> None:
    alex = harness.person(1001, "Alex")
    await alex.send("/daily")
    await alex.tap("For me")
    await alex.tap("Every day")
    zones, _location_hint = await alex.tap("20:00")
    await alex.send("/delete")
    await alex.tap("Yes, erase it all")

    assert await alex.tap_on(zones.message_id, "Europe/Berlin") == []
    assert alex.last_callback_answer is not None
    assert alex.last_callback_answer.text == ui(harness, "when.expired")
    assert await alex.send("Europe/Berlin") != []  # typed now, it is ordinary text
    assert not any((await harness.services.store.rows_about(alex.chat_id)).values())


async def test_next_lesson_tapped_three_times_gives_the_next_lesson_once(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    second = catalog.lesson_for_day(Track.SELF, 2)
    assert second is not None
    [first] = await person.send("/lesson")

    replies = [await person.tap_on(first.message_id, "Next lesson") for _ in range(3)]

    assert [len(sent) for sent in replies] == [1, 0, 0]
    assert replies[0][0].text.startswith(plain_text(second.title))
    assert person.last_callback_answer is not None
    assert person.last_callback_answer.text == ui(harness, "course.next.already")
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    assert (await store.course(subscriber.id)).position == 3


async def test_next_under_a_scheduled_lesson_asks_then_moves_on_once(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="12:30", zone="UTC")
    harness.clock.advance(timedelta(hours=3, minutes=30))
    await harness.tick()
    scheduled = person.last

    [question] = await person.tap_on(scheduled.message_id, "Next lesson")
    read = [await person.tap_on(question.message_id, "Yes, read it now") for _ in range(2)]

    assert [len(replies) for replies in read] == [1, 0]
    second = harness.catalog.lesson_for_day(Track.SELF, 2)
    assert second is not None and read[0][0].text.startswith(plain_text(second.title))
    assert read[0][0].message_id == question.message_id  # the question became the lesson


async def test_a_new_track_chosen_twice_starts_once(harness: Harness, person: ChatDriver) -> None:
    store = harness.services.store
    subscriber = await store.ensure_subscriber(person.chat_id)
    last_day = len(course_lessons(harness.catalog, Track.SELF))
    await store.save_course(replace(await store.course(subscriber.id), position=last_day + 1))
    [complete] = await person.send("/lesson")

    first = await person.tap_on(complete.message_id, "The partner course")
    again = await person.tap_on(complete.message_id, "The partner course")
    review = await person.tap_on(complete.message_id, "A lesson a week to look back on")

    assert len(first) == 1 and again == [] and review == []
    course = await store.course(subscriber.id)
    assert (course.track, course.position) == (Track.PARTNER, 2)


async def test_settings_toggles_tapped_twice_set_their_value_once(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    [page] = await person.send("/settings")
    for label in ("Discreet previews: on", "Pause lessons"):
        await person.tap_on(page.message_id, label)
        await person.tap_on(page.message_id, label)  # the old keyboard, not yet redrawn
    await person.tap_on(page.message_id, "Quiet hours")
    for _ in range(2):
        await person.tap_on(page.message_id, "Hold until they end")
    await person.tap_on(page.message_id, "Back")
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None and not subscriber.discreet
    assert subscriber.quiet_mode.value == "wait"
    assert (await store.course(subscriber.id)).paused
    redrawn = person.api.message(person.chat_id, page.message_id)
    assert redrawn is not None and "Resume lessons" in redrawn.labels


async def test_reminder_buttons_tapped_twice_do_nothing_new(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_reminders(person, "12:30", "A short walk", zone="UTC")
    [summary] = [m for m in person.messages if "Pause reminders" in m.labels]
    await person.tap_on(summary.message_id, "Pause reminders")
    await person.tap_on(summary.message_id, "Pause reminders")
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None and (await store.reminders(subscriber.id)).paused
    await person.tap_on(summary.message_id, "Resume reminders")

    harness.clock.advance(timedelta(hours=3, minutes=30))
    await harness.tick()
    reminder = person.last
    await person.tap_on(reminder.message_id, "Later")
    await person.tap_on(reminder.message_id, "Later")
    assert person.last_callback_answer is not None
    assert person.last_callback_answer.text == ui(harness, "reminders.later.once")
    snoozed = await store.reminders(subscriber.id)
    assert snoozed.snooze_due == harness.clock.now() + timedelta(hours=1)
    for _ in range(2):
        assert await person.tap_on(reminder.message_id, "Done") in ([], [person.last])
        assert person.last_callback_answer is not None
        assert person.last_callback_answer.text == ui(harness, "reminders.done")
    assert await store.reminders(subscriber.id) == snoozed


async def test_accept_tapped_twice_agrees_once(harness: Harness) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    await choose_lessons(sam)
    await alex.send("/partner")
    [shown] = await alex.tap("Create an invite link")
    await sam.send(f"/start {shown.text.split('start=')[1].split()[0]}")
    await alex.send("/partner")
    for label in ("Suggest a rhythm", "Weekdays", "12:30"):
        await alex.tap(label)
    proposal = sam.last
    told = len(alex.messages)

    await sam.tap_on(proposal.message_id, "Accept")
    await sam.tap_on(proposal.message_id, "Accept")

    # Alex hears once; the second tap gets the stale answer.
    assert len(alex.messages) == told + 1
    answer = sam.last_callback_answer
    assert answer is not None and answer.text == ui(harness, "button.stale")


async def test_a_confirmed_schedule_tapped_again_is_not_confirmed_twice(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/daily")
    for label in ("For me", "Every day", "20:00"):
        await person.tap(label)
    zones = person.messages[-2]
    [confirmed, _questions] = await person.tap_on(zones.message_id, "Europe/Berlin")
    assert "Europe/Berlin" in confirmed.text

    assert await person.tap_on(zones.message_id, "Europe/London") == []
    assert person.last_callback_answer is not None
    assert person.last_callback_answer.text == ui(harness, "when.expired")
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.timezone == "Europe/Berlin"


@pytest.mark.parametrize("data", ["les:next:self-01-you-are-not-alone", "tech:menu", "x:y"])
async def test_a_button_of_an_inline_message_is_answered_and_goes_no_further(
    harness: Harness, person: ChatDriver, data: str
) -> None:
    await person.send("/lesson")
    payload = harness.api.callback_query(person.user, person.chat_id, person.last.message_id, data)
    del payload["message"]
    payload["inline_message_id"] = "inline-1"
    sent = len(harness.api.outgoing)

    update = Update.de_json(
        {"update_id": harness.api.next_update_id(), "callback_query": payload}, harness.app.bot
    )
    await harness.app.process_update(update)

    assert harness.api.callback_answers[payload["id"]].show_alert
    assert len(harness.api.outgoing) == sent


async def test_erase_confirmed_twice_tells_the_partner_once(harness: Harness) -> None:
    alex, sam = harness.person(1001, "Alex"), harness.person(2002, "Sam")
    await alex.send("/partner")
    [shown] = await alex.tap("Create an invite link")
    await sam.send(f"/start {shown.text.split('start=')[1].split()[0]}")
    [confirm] = await alex.send("/delete")

    await alex.tap_on(confirm.message_id, "Yes, erase it all")
    await alex.tap_on(confirm.message_id, "Yes, erase it all")

    ended = [m for m in sam.messages if m.text == ui(harness, "partner.ended")]
    assert len(ended) == 1
    assert not any((await harness.services.store.rows_about(alex.chat_id)).values())
