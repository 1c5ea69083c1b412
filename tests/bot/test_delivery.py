"""One message a second in any one chat: the sender's spacing, on a clock the test moves."""

from __future__ import annotations

import pytest

from bot.delivery import ChatSpacing


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_second_message_to_one_chat_waits_out_the_rest_of_the_second() -> None:
    clock = Clock()
    spacing = ChatSpacing(monotonic=clock)
    assert spacing.book(1) == 0
    clock.now += 0.25
    assert spacing.book(1) == pytest.approx(0.75)
    # A third one, booked at once, queues behind the second.
    assert spacing.book(1) == pytest.approx(1.75)
    assert spacing.book(2) == 0, "another chat does not wait"


def test_a_chat_quiet_for_a_second_sends_at_once() -> None:
    clock = Clock()
    spacing = ChatSpacing(monotonic=clock)
    spacing.book(1)
    clock.now += 1.0
    assert spacing.book(1) == 0


def test_only_the_last_second_of_chats_is_remembered() -> None:
    clock = Clock()
    spacing = ChatSpacing(monotonic=clock)
    for chat_id in range(1000):
        spacing.book(chat_id)
        clock.now += 0.01  # 100 chats a second
    assert len(spacing) <= 101
