"""``/breathe``: one, three or five minutes of 4-6 breathing, paced by editing one message.

``/breathe`` asks for a length; the chosen one runs in that same message, and at the end
the message offers it again or another length. Telegram throttles edits of one message, so
the message changes only when the phase does (every 4 or 6 seconds), never once a second,
and never to the text it already shows. The pacing runs as a background task, so the bot
keeps answering meanwhile; the task's handle lives in ``chat_data`` (memory only) so Stop
can cancel it and a new exercise replaces an old one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.ui.breathe import (
    BREATHE,
    CHOOSE,
    START,
    STOP,
    again_keyboard,
    lengths_keyboard,
    stop_keyboard,
)

INHALE_SECONDS = 4
EXHALE_SECONDS = 6
ROUNDS_PER_MINUTE = 60 // (INHALE_SECONDS + EXHALE_SECONDS)
SETTLE_SECONDS = 4
"""How long the introduction stays before the first breath: time to get comfortable."""

sleep: Callable[[float], Awaitable[object]] = asyncio.sleep
"""The pacing's only clock; tests replace it so the minutes pass at once."""

_KEY = "breathe"

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Exercise:
    """A running exercise: the task that paces it and the message it edits."""

    task: asyncio.Task[None]
    chat_id: int
    message_id: int


def current(chat_data: Mapping[Any, Any] | None) -> Exercise | None:
    """The chat's exercise, finished or not; None when there never was one."""
    exercise = chat_data.get(_KEY) if chat_data is not None else None
    return exercise if isinstance(exercise, Exercise) else None


async def begin(update: Update, context: BotContext) -> None:
    """The command (and the "Slow breathing" button under typed text): choose a length."""
    await replies.send(update, context.text("breathe.choose"), lengths_keyboard(context))


async def _choose(press: Press) -> None:
    """ "Another length" at the end: the choice again, in the same message."""
    await press.edit(press.text("breathe.choose"), lengths_keyboard(press.context))


async def _start(press: Press, minutes: int) -> None:
    """A length chosen, or "Again": the exercise runs in the tapped message."""
    context = press.context
    previous = current(context.chat_state)
    if previous is not None and not previous.task.done():
        if previous.message_id == press.message_id:
            press.say("breathe.running")  # an old keyboard of the running message
            return
        await _end(context, previous, context.text("breathe.replaced"))
    await press.answer()
    intro, stop = _intro(context, minutes), stop_keyboard(context)
    message = press.message
    if message is not None:
        await replies.edit_message(message, intro, stop)
    else:  # too old for Telegram to hand back: the exercise runs in a new message
        message = await context.bot.send_message(press.chat_id, intro, reply_markup=stop)
    task = context.application.create_task(
        _pace(context, press.chat_id, message.message_id, minutes), update=press.update
    )
    context.chat_state[_KEY] = Exercise(task, press.chat_id, message.message_id)


async def _stop(press: Press) -> None:
    context = press.context
    exercise = current(context.chat_state)
    if exercise is None or exercise.task.done() or exercise.message_id != press.message_id:
        press.say("breathe.not_running", alert=True)
        return
    await press.answer()
    await _end(context, exercise, context.text("breathe.stopped"))


def _intro(context: BotContext, minutes: int) -> str:
    return context.text("breathe.intro", length=context.text(f"breathe.length.{minutes}"))


async def _pace(context: BotContext, chat_id: int, message_id: int, minutes: int) -> None:
    """In-for-4, out-for-6 for the chosen minutes, one edit per phase, then a closing line
    that offers the same again."""
    stop = stop_keyboard(context)
    rounds = minutes * ROUNDS_PER_MINUTE
    shown = _intro(context, minutes)
    await sleep(SETTLE_SECONDS)
    for number in range(1, rounds + 1):
        for key, seconds in (
            ("breathe.inhale", INHALE_SECONDS),
            ("breathe.exhale", EXHALE_SECONDS),
        ):
            text = context.text(key, round=number, rounds=rounds)
            if not await _edit(context, chat_id, message_id, text, stop, shown):
                return
            shown = text
            await sleep(seconds)
    done = context.text("breathe.done", span=context.text(f"breathe.span.{minutes}"))
    await _edit(context, chat_id, message_id, done, again_keyboard(context, minutes), shown)


async def _edit(
    context: BotContext,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    shown: str,
) -> bool:
    """Edit the exercise's message; False when it can no longer be edited (deleted, blocked)."""
    if text == shown:
        return True
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except TelegramError as error:
        # Nothing to tell the person: the message they would read is the one that failed.
        log.debug("breathing exercise ended early: %s", type(error).__name__)
        return False
    return True


async def _end(context: BotContext, exercise: Exercise, text: str) -> None:
    """Cancel the pacing, wait until it has really stopped, then leave a closing line."""
    exercise.task.cancel()
    # wait() rather than await: the task's CancelledError must not look like our own.
    await asyncio.wait([exercise.task])
    if current(context.chat_state) is exercise:
        del context.chat_state[_KEY]
    await _edit(context, exercise.chat_id, exercise.message_id, text, None, shown="")


BUTTONS = buttons.router(BREATHE, on(START, _start), on(STOP, _stop), on(CHOOSE, _choose))
