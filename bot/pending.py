"""What the bot is waiting for a person to type (a time, a zone) in the middle of a flow.

The wait lives in ``chat_data``, in memory only: it is a moment of conversation, not personal
data, and a restart simply asks again. What the person then types is parsed and forgotten;
only the parsed value is ever stored.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from telegram import Update

from bot.context import BotContext

InputHandler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
_KEY = "awaiting"


def expect(context: BotContext, kind: str) -> None:
    context.chat_state[_KEY] = kind


def awaiting(context: BotContext) -> str | None:
    kind = context.chat_state.get(_KEY)
    return kind if isinstance(kind, str) else None


def done(context: BotContext) -> None:
    context.chat_state.pop(_KEY, None)


def router(inputs: Mapping[str, InputHandler], otherwise: InputHandler) -> InputHandler:
    """A handler that sends a message to whichever flow is waiting for it, else ``otherwise``."""

    async def route(update: Update, context: BotContext) -> None:
        kind = awaiting(context)
        handler = inputs.get(kind) if kind is not None else None
        await (handler or otherwise)(update, context)

    return route
