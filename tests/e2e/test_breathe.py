"""``/breathe``: a length chosen, one message paced through inhale and exhale, "again" at
the end, Stop, and a second exercise replacing the first.

The pacing's ``sleep`` is replaced by ``Pacer``: it records each pause and returns at once,
or, from a chosen pause on, holds the exercise still so the test can act in the middle of it.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import TYPE_CHECKING

import pytest

from bot.handlers import breathe
from bot.standin import BotMessage, ChatDriver
from lessons.telegram_html import plain_text

if TYPE_CHECKING:
    from tests.e2e.conftest import Harness

# The harness drives the Application without starting its polling loop, so PTB warns that
# create_task's tasks are not awaited for it; these tests await them themselves.
pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")


class Pacer:
    def __init__(self, hold_from: int | None = None) -> None:
        self.pauses: list[float] = []
        self.hold_from = hold_from
        self.holding = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)
        if self.hold_from is not None and len(self.pauses) >= self.hold_from:
            self.holding.set()
            await asyncio.Event().wait()  # until the exercise is cancelled

    async def held(self) -> None:
        await asyncio.wait_for(self.holding.wait(), timeout=5)
        self.holding.clear()


def exercise(harness: Harness, person: ChatDriver) -> breathe.Exercise:
    found = breathe.current(harness.app.chat_data[person.chat_id])
    assert found is not None
    return found


def versions(harness: Harness, message_id: int) -> list[BotMessage]:
    """Every text the message showed, in order: as sent, then after each edit."""
    return [view for view in harness.api.outgoing if view.message_id == message_id]


def text(harness: Harness, key: str, **values: object) -> str:
    return plain_text(harness.catalog.text(key, **values))


def intro_text(harness: Harness, minutes: int) -> str:
    length = harness.catalog.text(f"breathe.length.{minutes}")
    return text(harness, "breathe.intro", length=length)


def done_text(harness: Harness, minutes: int) -> str:
    return text(harness, "breathe.done", span=harness.catalog.text(f"breathe.span.{minutes}"))


async def start(person: ChatDriver, label: str = "1 minute") -> BotMessage:
    """/breathe, then a length: the choice message becomes the exercise."""
    (choice,) = await person.send("/breathe")
    assert choice.labels == ["1 minute", "3 minutes", "5 minutes"]
    (intro,) = await person.tap(label)
    assert intro.message_id == choice.message_id
    return intro


async def test_one_message_is_paced_through_six_rounds(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer()
    monkeypatch.setattr(breathe, "sleep", pacer)

    intro = await start(person)
    assert intro.text == intro_text(harness, 1)
    assert intro.labels == ["Stop"]
    await exercise(harness, person).task

    shown = [view.text for view in versions(harness, intro.message_id)]
    phases = [
        text(harness, f"breathe.{phase}", round=number, rounds=6)
        for number in range(1, 7)
        for phase in ("inhale", "exhale")
    ]
    assert shown == [text(harness, "breathe.choose"), intro.text, *phases, done_text(harness, 1)]
    assert all(before != after for before, after in itertools.pairwise(shown))
    # One edit per phase: in for 4, out for 6, after a moment to settle; never once a second.
    assert pacer.pauses == [4] + [4, 6] * 6
    assert person.last.message_id == intro.message_id
    assert person.last.labels == ["Again", "Another length"]
    assert "/techniques" in person.last.text


@pytest.mark.parametrize(("label", "minutes"), [("3 minutes", 3), ("5 minutes", 5)])
async def test_longer_lengths_run_for_their_minutes(
    harness: Harness,
    person: ChatDriver,
    monkeypatch: pytest.MonkeyPatch,
    label: str,
    minutes: int,
) -> None:
    pacer = Pacer()
    monkeypatch.setattr(breathe, "sleep", pacer)
    intro = await start(person, label)
    assert intro.text == intro_text(harness, minutes)
    await exercise(harness, person).task

    rounds = minutes * 6
    assert pacer.pauses == [4] + [4, 6] * rounds
    assert sum(pacer.pauses) - 4 == minutes * 60
    shown = [view.text for view in versions(harness, intro.message_id)]
    assert text(harness, "breathe.inhale", round=rounds, rounds=rounds) in shown
    assert person.last.text == done_text(harness, minutes)


async def test_again_runs_the_same_length_once_more_in_the_same_message(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer()
    monkeypatch.setattr(breathe, "sleep", pacer)
    intro = await start(person, "3 minutes")
    await exercise(harness, person).task
    first = len(pacer.pauses)

    (again,) = await person.tap("Again")
    assert again.message_id == intro.message_id
    assert again.text == intro_text(harness, 3) and again.labels == ["Stop"]
    await exercise(harness, person).task
    assert pacer.pauses[first:] == pacer.pauses[:first]
    assert person.last.text == done_text(harness, 3)

    (choice,) = await person.tap("Another length")
    assert choice.message_id == intro.message_id
    assert choice.labels == ["1 minute", "3 minutes", "5 minutes"]
    (short,) = await person.tap("1 minute")
    assert short.text == intro_text(harness, 1)
    await exercise(harness, person).task
    assert person.last.text == done_text(harness, 1)


async def test_a_length_tapped_again_on_the_running_exercise_changes_nothing(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer(hold_from=3)
    monkeypatch.setattr(breathe, "sleep", pacer)
    intro = await start(person)
    await pacer.held()
    running = exercise(harness, person)

    # A client that has not seen the edit still shows the choice, and sends it.
    assert await person.tap_on(intro.message_id, "5 minutes") == []

    answer = person.last_callback_answer
    assert answer is not None and answer.text == harness.catalog.text("breathe.running")
    assert exercise(harness, person) is running and not running.task.done()
    await person.tap("Stop")
    assert running.task.cancelled()


async def test_stop_ends_the_exercise_early(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer(hold_from=4)
    monkeypatch.setattr(breathe, "sleep", pacer)
    intro = await start(person)
    await pacer.held()
    running = exercise(harness, person)

    await person.tap("Stop")

    assert running.task.cancelled()
    assert person.last.message_id == intro.message_id
    assert person.last.text == text(harness, "breathe.stopped")
    assert person.last.buttons == ()
    # It stopped during round 2: round 3 never appeared.
    shown = [view.text for view in versions(harness, intro.message_id)]
    assert text(harness, "breathe.inhale", round=2, rounds=6) in shown
    assert text(harness, "breathe.inhale", round=3, rounds=6) not in shown


async def test_stop_after_the_end_gets_a_polite_answer(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(breathe, "sleep", Pacer())
    intro = await start(person)
    await exercise(harness, person).task

    assert await person.tap_on(intro.message_id, "Stop") == []

    answer = person.last_callback_answer
    assert answer is not None
    assert answer.text == harness.catalog.text("breathe.not_running")
    assert person.last.text == done_text(harness, 1)


async def test_a_second_exercise_replaces_the_first(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer(hold_from=2)
    monkeypatch.setattr(breathe, "sleep", pacer)
    first = await start(person)
    await pacer.held()
    first_exercise = exercise(harness, person)

    (choice,) = await person.send("/breathe")
    # Choosing does not end the running one; starting the new one does.
    assert not first_exercise.task.done()
    replies = await person.tap("3 minutes")
    await pacer.held()

    assert first_exercise.task.cancelled()
    assert [reply.message_id for reply in replies] == [first.message_id, choice.message_id]
    old = harness.api.message(person.chat_id, first.message_id)
    assert old is not None and old.text == text(harness, "breathe.replaced") and old.buttons == ()
    second = exercise(harness, person)
    assert second.message_id == choice.message_id != first.message_id
    assert not second.task.done()

    # The old message's Stop does nothing to the new exercise.
    await person.tap_on(first.message_id, "Stop")
    assert not second.task.done()

    await person.tap("Stop")
    assert second.task.cancelled()
    assert person.last.text == text(harness, "breathe.stopped")
