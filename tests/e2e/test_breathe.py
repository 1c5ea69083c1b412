"""``/breathe``: one message paced through inhale and exhale, Stop, and a second /breathe.

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
    return plain_text(harness.services.catalog.text(key, **values))


async def test_one_message_is_paced_through_six_rounds(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer()
    monkeypatch.setattr(breathe, "sleep", pacer)

    (intro,) = await person.send("/breathe")
    assert intro.text == text(harness, "breathe.intro")
    assert intro.labels == ["Stop"]
    await exercise(harness, person).task

    shown = [view.text for view in versions(harness, intro.message_id)]
    phases = [
        text(harness, f"breathe.{phase}", round=number, rounds=6)
        for number in range(1, 7)
        for phase in ("inhale", "exhale")
    ]
    assert shown == [intro.text, *phases, text(harness, "breathe.done")]
    assert all(before != after for before, after in itertools.pairwise(shown))
    # One edit per phase: in for 4, out for 6, after a moment to settle; never once a second.
    assert pacer.pauses == [4] + [4, 6] * 6
    assert person.last.message_id == intro.message_id and person.last.buttons == ()
    assert "/techniques" in person.last.text


async def test_stop_ends_the_exercise_early(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer(hold_from=4)
    monkeypatch.setattr(breathe, "sleep", pacer)
    (intro,) = await person.send("/breathe")
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
    (intro,) = await person.send("/breathe")
    await exercise(harness, person).task

    assert await person.tap_on(intro.message_id, "Stop") == []

    answer = person.last_callback_answer
    assert answer is not None
    assert answer.text == harness.services.catalog.text("breathe.not_running")
    assert person.last.text == text(harness, "breathe.done")


async def test_a_second_breathe_replaces_the_first(
    harness: Harness, person: ChatDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer = Pacer(hold_from=2)
    monkeypatch.setattr(breathe, "sleep", pacer)
    (first,) = await person.send("/breathe")
    await pacer.held()
    first_exercise = exercise(harness, person)

    replies = await person.send("/breathe")
    await pacer.held()

    assert first_exercise.task.cancelled()
    assert [reply.message_id for reply in replies] == [first.message_id, replies[-1].message_id]
    old = harness.api.message(person.chat_id, first.message_id)
    assert old is not None and old.text == text(harness, "breathe.replaced") and old.buttons == ()
    second = exercise(harness, person)
    assert second.message_id == replies[-1].message_id != first.message_id
    assert not second.task.done()

    # The old message's Stop does nothing to the new exercise.
    await person.tap_on(first.message_id, "Stop")
    assert not second.task.done()

    await person.tap("Stop")
    assert second.task.cancelled()
    assert person.last.text == text(harness, "breathe.stopped")
