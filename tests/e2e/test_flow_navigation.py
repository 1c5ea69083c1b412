"""Back and Cancel on every screen of the /daily and /reminders set-up."""

from __future__ import annotations

from bot.standin import ChatDriver
from tests.e2e.conftest import Harness


def _navigable(labels: list[str]) -> bool:
    """The screen ends with Back, then Cancel."""
    return labels[-2].endswith("Back") and labels[-1] == "Cancel"


async def _nothing_stored(harness: Harness, person: ChatDriver) -> bool:
    return not any((await harness.services.store.rows_about(person.chat_id)).values())


async def test_daily_back_walks_each_step_back_with_the_choices_kept(
    harness: Harness, person: ChatDriver
) -> None:
    [track] = await person.send("/daily")
    assert track.labels[-1] == "Cancel" and "Back" not in " ".join(track.labels)
    [cadence] = await person.tap("For me")
    assert cadence.message_id == track.message_id and _navigable(cadence.labels)
    [again] = await person.tap("Back")
    assert again.message_id == track.message_id and "For me" in again.labels
    await person.tap("For me")
    await person.tap("Choose the days")
    await person.tap("Tue")
    [back] = await person.tap("Back")
    assert "Every day" in back.labels  # days -> how often
    await person.tap("Choose the days")
    await person.tap("Thu")
    await person.tap("Done")
    [days] = await person.tap("Back")
    assert "✓ Thu" in days.labels  # time -> the days, as ticked
    await person.tap("Done")
    zone, _location_hint = await person.tap("20:00")
    assert _navigable(zone.labels)
    [time_again] = await person.tap("Back")
    assert "20:00" in time_again.labels and time_again.message_id == zone.message_id
    await person.tap("21:30")
    [done, *_] = await person.tap("Europe/Berlin")
    assert "Thu" in done.text and "21:30" in done.text


async def test_daily_cancel_at_any_step_stores_nothing(
    harness: Harness, person: ChatDriver
) -> None:
    steps = [(), ("For me",), ("For me", "Choose the days"), ("For me", "Every day")]
    for taps in steps:
        await person.send("/daily")
        for label in taps:
            await person.tap(label)
        [cancelled] = await person.tap("Cancel")
        assert cancelled.text == "Cancelled. Nothing was changed."
        assert cancelled.labels == []
        assert await _nothing_stored(harness, person)
    # Cancel on the zone step also takes the location button away.
    await person.send("/daily")
    for label in ("For me", "Every day", "20:00"):
        await person.tap(label)
    replies = await person.tap("Cancel")
    assert replies[-1].text == "Cancelled. Nothing was changed."
    assert replies[-1].reply_markup == {"remove_keyboard": True}
    assert await _nothing_stored(harness, person)
    # A typed time after Cancel answers nothing: the flow is closed.
    await person.send("/daily")
    await person.tap("For me")
    await person.tap("Every day")
    await person.tap("Cancel")
    await person.send("07:30")
    assert await _nothing_stored(harness, person)


async def test_reminders_back_and_cancel(harness: Harness, person: ChatDriver) -> None:
    walk = harness.catalog.routines[0].name
    [routines] = await person.send("/reminders")
    await person.tap(walk)
    await person.tap("Next")
    [back] = await person.tap("Back")
    assert back.message_id == routines.message_id and f"✓ {walk}" in back.labels
    await person.tap("Next")
    await person.tap("Every day")
    [cancelled] = await person.tap("Cancel")
    assert cancelled.text == "Cancelled. Nothing was changed."
    assert await _nothing_stored(harness, person)
    # A Cancel from the closed flow gets the expired answer, and changes nothing.
    await person.tap_on(routines.message_id, "Cancel")
    answer = person.last_callback_answer
    assert answer is not None and "expired" in (answer.text or "")
