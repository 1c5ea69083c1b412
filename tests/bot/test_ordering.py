"""PerChatOrder: each chat's updates one at a time in arrival order, other chats alongside.
Every step waits on an event the test controls; nothing depends on how long anything takes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from telegram import CallbackQuery, Chat, InlineQuery, Message, Update, User

from bot.ordering import PerChatOrder, conversation_of

WHEN = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
_ids = iter(range(1, 10_000))


def message_in(chat_id: int, user_id: int | None = None) -> Update:
    kind = Chat.PRIVATE if chat_id > 0 else Chat.GROUP
    sender = User(user_id or abs(chat_id), "Sam", is_bot=False)
    message = Message(next(_ids), WHEN, Chat(chat_id, kind), from_user=sender, text="hi")
    return Update(next(_ids), message=message)


class Steps:
    """A log of what ran, and handlers that stop at a gate until the test opens it."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.started: dict[str, asyncio.Event] = {}
        self.gates: dict[str, asyncio.Event] = {}

    def handler(self, name: str, *, held: bool = False) -> Callable[[], Awaitable[None]]:
        self.started[name] = asyncio.Event()
        self.gates[name] = asyncio.Event()
        if not held:
            self.gates[name].set()

        async def run() -> None:
            self.log.append(f"{name} started")
            self.started[name].set()
            await self.gates[name].wait()
            self.log.append(f"{name} done")

        return run


async def _settle() -> None:
    # Let every task that can move do so: the loop runs ready callbacks, no clock involved.
    for _ in range(20):
        await asyncio.sleep(0)


async def test_one_chat_waits_its_turn_while_another_chat_overtakes_a_slow_update() -> None:
    order = PerChatOrder()
    steps = Steps()
    first = asyncio.create_task(
        order.process_update(message_in(1), steps.handler("A1", held=True)())
    )
    await steps.started["A1"].wait()
    second = asyncio.create_task(order.process_update(message_in(1), steps.handler("A2")()))
    other = asyncio.create_task(order.process_update(message_in(2), steps.handler("B1")()))

    await other  # chat 2's update finishes while chat 1's first is still held
    assert steps.log == ["A1 started", "B1 started", "B1 done"]
    assert not second.done(), "chat 1's second update ran before its first had finished"

    steps.gates["A1"].set()
    await asyncio.gather(first, second)
    assert steps.log[3:] == ["A1 done", "A2 started", "A2 done"]
    assert order.open_lines == 0, "a finished chat's line was kept"


async def test_many_updates_of_one_chat_run_in_the_order_they_arrived() -> None:
    order = PerChatOrder()
    steps = Steps()
    names = [f"A{n}" for n in range(12)]
    handlers = [steps.handler(name, held=True) for name in names]
    tasks = [
        asyncio.create_task(order.process_update(message_in(1), handler())) for handler in handlers
    ]
    # Open the gates last to first: only arrival order decides who goes next.
    for name in reversed(names):
        steps.gates[name].set()
    await asyncio.gather(*tasks)
    assert steps.log == [entry for name in names for entry in (f"{name} started", f"{name} done")]


async def test_no_more_than_the_bound_run_at_once() -> None:
    order = PerChatOrder(running_at_once=2)
    steps = Steps()
    tasks = [
        asyncio.create_task(
            order.process_update(message_in(chat), steps.handler(f"C{chat}", held=True)())
        )
        for chat in (1, 2, 3)
    ]
    await steps.started["C1"].wait()
    await steps.started["C2"].wait()
    await _settle()
    assert "C3 started" not in steps.log
    steps.gates["C1"].set()
    await steps.started["C3"].wait()
    steps.gates["C2"].set()
    steps.gates["C3"].set()
    await asyncio.gather(*tasks)
    assert steps.log.index("C3 started") > steps.log.index("C1 done")


async def test_a_chat_waiting_its_turn_takes_no_running_slot_from_other_chats() -> None:
    order = PerChatOrder(running_at_once=2)
    steps = Steps()
    busy = [
        asyncio.create_task(
            order.process_update(message_in(1), steps.handler(f"A{n}", held=n == 0)())
        )
        for n in range(5)
    ]
    await steps.started["A0"].wait()
    await _settle()
    # Four of chat 1's updates wait in its line; chat 2 still finds a free slot. (Were they
    # holding slots while they wait, this would never finish: the timeout turns that into a
    # failure instead of a hung run.)
    await asyncio.wait_for(order.process_update(message_in(2), steps.handler("B")()), 10)
    assert "B done" in steps.log and "A1 started" not in steps.log
    steps.gates["A0"].set()
    await asyncio.gather(*busy)


def test_a_line_is_the_chat_or_else_the_person() -> None:
    person = User(42, "Sam", is_bot=False)
    assert conversation_of(message_in(42)) == 42
    assert conversation_of(message_in(-100, user_id=42)) == -100
    inline = Update(1, inline_query=InlineQuery("q", person, "tears", ""))
    assert conversation_of(inline) == 42
    tap = Update(2, callback_query=CallbackQuery("c", person, "inst", inline_message_id="m"))
    assert conversation_of(tap) == 42
    assert conversation_of(Update(3)) is None
    assert conversation_of(object()) is None


async def test_updates_of_no_one_run_without_waiting_for_any_line() -> None:
    order = PerChatOrder()
    steps = Steps()
    held = asyncio.create_task(order.process_update(message_in(1), steps.handler("A", held=True)()))
    await steps.started["A"].wait()
    await order.process_update(Update(99), steps.handler("nobody")())
    assert steps.log == ["A started", "nobody started", "nobody done"]
    steps.gates["A"].set()
    await held
