"""/reminders: choosing routines, days and a time; pausing, stopping, and resuming them as
they were after a stop."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from bot.standin import BotMessage, ChatDriver
from scheduler.model import WEEKDAYS, Reminders
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders
from tests.e2e.partners import ui

# Berlin is an hour ahead of UTC until Sunday 29 March 2026: 18:30 there is 17:30 UTC.
MONDAY_1830_BERLIN = datetime(2026, 3, 23, 17, 30, tzinfo=UTC)
RESUME = "Resume as before"


async def test_choosing_reminders_stores_them_in_catalog_order(
    harness: Harness, person: ChatDriver
) -> None:
    [ask] = await person.send("/reminders")
    names = [routine.name for routine in harness.catalog.routines]
    assert ask.labels == [*names, "Next", "Cancel"]
    await person.tap("Next")
    assert "at least one" in (person.last_callback_answer.text or "")  # type: ignore[union-attr]
    await person.tap(names[3])
    [ticked] = await person.tap(names[0])
    assert f"✓ {names[0]}" in ticked.labels and f"✓ {names[3]}" in ticked.labels
    await person.tap("Next")
    await person.tap("Weekdays")
    await person.send("18:30")
    await person.tap("Europe/London")
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    reminders = await harness.services.store.reminders(subscriber.id)
    ids = [routine.id for routine in harness.catalog.routines]
    assert reminders.active and reminders.routines == (ids[0], ids[3])
    assert reminders.days == WEEKDAYS and reminders.local_time == time(18, 30)
    assert reminders.next_due is not None
    summary = person.last
    assert names[0] in summary.text and "18:30" in summary.text


async def test_reminders_pause_resume_and_stop(harness: Harness, person: ChatDriver) -> None:
    await person.send("/reminders")
    name = harness.catalog.routines[0].name
    for label in (name, "Next", "Every day", "12:30", "UTC"):
        await person.tap(label)
    [summary] = await person.send("/reminders")
    assert "Next nudge" in summary.text
    [paused] = await person.tap("Pause reminders")
    assert "paused" in paused.text and "Resume reminders" in paused.labels
    await person.tap("Resume reminders")
    [stopped] = await person.tap("Stop reminders")
    assert "off" in stopped.text
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    reminders = await harness.services.store.reminders(subscriber.id)
    assert not reminders.active and reminders.next_due is None


async def test_a_zone_chosen_for_reminders_moves_the_lessons_too(
    harness: Harness, person: ChatDriver
) -> None:
    """The person has one zone: lessons planned in Berlin follow it to London."""
    await choose_lessons(person, "20:00", "Europe/Berlin")
    routine = harness.catalog.routines[0].name
    await choose_reminders(person, "18:30", routine, zone="Europe/London")
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.timezone == "Europe/London"
    course = await store.course(subscriber.id)
    # 20:00 in London on Monday 23 March 2026 (still GMT), not 20:00 in Berlin (19:00 UTC).
    assert course.next_due == datetime(2026, 3, 23, 20, 0, tzinfo=UTC)


async def _tick_at(harness: Harness, person: ChatDriver, instant: datetime) -> list[BotMessage]:
    """What the person received, as new messages, from one tick at ``instant``."""
    before = len(harness.api.outgoing)
    harness.clock.set(instant)
    await harness.tick()
    new = harness.api.outgoing[before:]
    return [m for m in new if m.chat_id == person.chat_id and not m.edited]


async def _reminders_of(harness: Harness, person: ChatDriver) -> Reminders:
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return await harness.services.store.reminders(subscriber.id)


async def _weekday_reminders(harness: Harness, person: ChatDriver) -> tuple[str, str]:
    """A walk and a shower on weekdays at 18:30 in Berlin, through /reminders' buttons."""
    walk, shower = (routine.name for routine in harness.catalog.routines[:2])
    await person.send("/reminders")
    for label in (walk, shower, "Next", "Weekdays"):
        await person.tap(label)
    await person.send("18:30")
    await person.tap("Europe/Berlin")
    return walk, shower


async def test_after_stop_reminders_resume_as_they_were_and_arrive_at_their_old_time(
    harness: Harness, person: ChatDriver
) -> None:
    walk, shower = await _weekday_reminders(harness, person)
    [first] = await _tick_at(harness, person, MONDAY_1830_BERLIN)
    assert harness.catalog.routines[0].reminder in first.text
    [stopped] = await person.send("/stop")
    assert stopped.text == ui(harness, "privacy.stopped.reminders")
    assert await _tick_at(harness, person, MONDAY_1830_BERLIN + timedelta(days=1)) == []

    harness.clock.set(datetime(2026, 3, 25, 9, 0, tzinfo=UTC))  # Wednesday morning
    [offer] = await person.send("/reminders")
    assert f"Routines: {walk}, {shower}\nDays: Weekdays\nTime: 18:30 (Europe/Berlin)" in (
        offer.text
    )
    assert offer.labels == [RESUME, "Choose routines, days or time"]
    [resumed] = await person.tap(RESUME)
    assert resumed.message_id == offer.message_id
    assert resumed.text.startswith(ui(harness, "reminders.resumed"))
    assert "Next nudge: Wednesday 25 March, 18:30." in resumed.text
    # Only the reminders came back: the person had no lessons, so nothing else is said.
    assert ui(harness, "reminders.resumed.lessons_off") not in resumed.text
    assert resumed.labels == ["Change", "Pause reminders", "Stop reminders"]

    # The old offer, tapped again, says so and changes nothing.
    assert await person.tap_on(offer.message_id, RESUME) == []
    answer = person.last_callback_answer
    assert answer is not None and answer.text == ui(harness, "reminders.resume.already")

    # Wednesday 18:30 in Berlin: the rotation carries on where it stopped, with the shower.
    [nudge] = await _tick_at(harness, person, MONDAY_1830_BERLIN + timedelta(days=2))
    assert harness.catalog.routines[1].reminder in nudge.text
    assert nudge.labels == ["Done", "Later"]


async def test_resuming_says_when_quiet_hours_let_the_next_reminder_arrive(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_reminders(person, "23:00", harness.catalog.routines[0].name)
    await person.send("/settings")
    await person.tap("Quiet hours")
    await person.tap("Hold until they end")
    await person.send("/stop")
    await person.send("/reminders")
    [resumed] = await person.tap(RESUME)
    # Planned for 23:00 on Monday, held by quiet hours (22:00 to 08:00) until Tuesday 08:00.
    assert "Next nudge: Tuesday 24 March, 08:00." in resumed.text
    assert await _tick_at(harness, person, datetime(2026, 3, 23, 23, 0, tzinfo=UTC)) == []
    [nudge] = await _tick_at(harness, person, datetime(2026, 3, 24, 8, 0, tzinfo=UTC))
    assert harness.catalog.routines[0].reminder in nudge.text


async def test_the_stop_button_in_reminders_also_keeps_them_to_resume(
    harness: Harness, person: ChatDriver
) -> None:
    walk, _ = await _weekday_reminders(harness, person)
    await person.send("/reminders")
    [stopped] = await person.tap("Stop reminders")
    assert stopped.text == ui(harness, "reminders.stopped")
    [offer] = await person.send("/reminders")
    assert offer.labels == [RESUME, "Choose routines, days or time"]
    [picker] = await person.tap("Choose routines, days or time")
    assert walk in picker.labels and "Next" in picker.labels


async def test_a_snooze_pending_at_stop_does_not_come_back_with_a_resume(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_reminders(person, "12:00", harness.catalog.routines[0].name)
    noon = datetime(2026, 3, 23, 12, 0, tzinfo=UTC)
    await _tick_at(harness, person, noon)
    await person.tap("Later")
    await person.send("/stop")
    assert (await _reminders_of(harness, person)).snooze_due is None
    harness.clock.set(noon + timedelta(minutes=90))
    await person.send("/reminders")
    [resumed] = await person.tap(RESUME)
    assert "Next nudge: Tuesday 24 March, 12:00." in resumed.text
    # The hour of "later" has passed, within the delivery grace: nothing arrives now.
    assert await _tick_at(harness, person, noon + timedelta(minutes=91)) == []


async def test_each_resume_brings_back_only_its_own_and_says_the_other_stays_off(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="20:00", zone="UTC")
    await choose_reminders(person, "18:00", harness.catalog.routines[0].name)
    await person.send("/stop")

    await person.send("/daily")
    [lessons] = await person.tap(RESUME)
    assert lessons.text.endswith(ui(harness, "progress.resumed.reminders_off"))
    assert not (await _reminders_of(harness, person)).active
    # 18:00 passes with no reminder; the lesson comes at 20:00.
    assert await _tick_at(harness, person, datetime(2026, 3, 23, 18, 0, tzinfo=UTC)) == []
    [lesson] = await _tick_at(harness, person, datetime(2026, 3, 23, 20, 0, tzinfo=UTC))
    assert lesson.text.splitlines()[1] == "Lesson 1 of 32"

    [offer] = await person.send("/reminders")
    [reminders] = await person.tap_on(offer.message_id, RESUME)
    # The lessons are on again now: nothing is said about them.
    assert ui(harness, "reminders.resumed.lessons_off") not in reminders.text
    assert "Next nudge: Tuesday 24 March, 18:00." in reminders.text


async def test_resuming_reminders_leaves_stopped_lessons_off_and_says_so(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="20:00", zone="UTC")
    await choose_reminders(person, "18:00", harness.catalog.routines[0].name)
    await person.send("/stop")
    await person.send("/reminders")
    [resumed] = await person.tap(RESUME)
    assert resumed.text.endswith(ui(harness, "reminders.resumed.lessons_off"))
    [nudge] = await _tick_at(harness, person, datetime(2026, 3, 23, 18, 0, tzinfo=UTC))
    assert harness.catalog.routines[0].reminder in nudge.text
    assert await _tick_at(harness, person, datetime(2026, 3, 23, 20, 0, tzinfo=UTC)) == []
    [page] = await person.send("/settings")
    assert "Next reminder: Tuesday 24 March, 18:00 (UTC)" in page.text


async def test_after_stop_settings_and_export_name_the_kept_reminders_and_delete_erases_them(
    harness: Harness, person: ChatDriver
) -> None:
    walk, shower = await _weekday_reminders(harness, person)
    await person.send("/stop")
    [page] = await person.send("/settings")
    assert ui(harness, "settings.now.reminders_stopped") in page.text
    [readable, document] = await person.send("/export")
    assert (
        "Reminders: off; kept so /reminders can resume them as before: Monday to Friday at"
        f" 18:30, for {walk} and {shower}."
    ) in readable.text
    [row] = json.loads(document.document_bytes or b"")["reminders"]
    assert row["active"] is False and row["local_time"] == "18:30" and row["routines"]

    [offer] = await person.send("/reminders")
    await person.send("/delete")
    await person.tap("Yes, erase it all")
    store = harness.services.store
    rows = await store.rows_about(person.chat_id)
    assert rows and not any(rows.values()), rows

    # The offer from before the erase: a plain answer, and still nothing stored.
    assert await person.tap_on(offer.message_id, RESUME) == []
    answer = person.last_callback_answer
    assert answer is not None and answer.text == ui(harness, "reminders.resume.gone")
    assert answer.show_alert
    assert await store.find_subscriber(person.chat_id) is None
    assert await _tick_at(harness, person, MONDAY_1830_BERLIN) == []


async def test_an_old_resume_after_reminders_were_set_up_afresh_is_already_done(
    harness: Harness, person: ChatDriver
) -> None:
    await _weekday_reminders(harness, person)
    await person.send("/stop")
    [offer] = await person.send("/reminders")
    for label in ("Choose routines, days or time", harness.catalog.routines[2].name, "Next"):
        await person.tap(label)
    await person.tap("Every day")
    await person.send("07:00")
    await person.tap("Europe/Berlin")
    assert await person.tap_on(offer.message_id, RESUME) == []
    answer = person.last_callback_answer
    assert answer is not None and answer.text == ui(harness, "reminders.resume.already")
    reminders = await _reminders_of(harness, person)
    assert reminders.local_time == time(7, 0)
    assert reminders.routines == (harness.catalog.routines[2].id,)


async def test_the_resume_offer_in_spanish(harness: Harness) -> None:
    person = harness.person(language_code="es")
    routine = harness.services.library.catalog("es").routines[0].name
    await person.send("/reminders")
    for label in (routine, "Siguiente", "Todos los días", "12:30", "UTC"):
        await person.tap(label)
    [stopped] = await person.send("/stop")
    assert "/reminders recupera tus recordatorios tal como estaban" in stopped.text
    [offer] = await person.send("/reminders")
    assert offer.labels == ["Reanudar como antes", "Elegir rutinas, días u hora"]
    [resumed] = await person.tap("Reanudar como antes")
    assert "los recordatorios vuelven como antes" in resumed.text
