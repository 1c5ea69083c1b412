"""The Telegram side of scheduled delivery: render what the engine decided, send it within
Telegram's limits, and tell the engine how it went.

Telegram's rules, kept here and nowhere else: a 429 waits for its ``retry_after`` and tries
again; a 403 means the person blocked the bot, so their schedule is paused rather than
retried; a network failure backs off and retries, and after the last try the item stays due
for the next tick. Overall throughput (about 30 messages a second) is PTB's AIORateLimiter's
job, set up in ``bot.app``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot import callbacks, render
from bot.handlers.course import complete_keyboard, lesson_keyboard
from bot.keyboards import keyboard
from bot.sharing import FORWARD_ONLY, Share
from lessons.model import Catalog, Track
from scheduler.delivery import COURSE_COMPLETE, TALK_PROMPT, Delivery, Outcome
from scheduler.model import Kind

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        catalog: Catalog,
        *,
        attempts: int = 4,
        backoff_seconds: float = 1.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._catalog = catalog
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._sleep = sleep

    async def __call__(self, delivery: Delivery) -> Outcome:
        text, markup = compose(delivery, self._catalog, Share.of(self._bot))
        for attempt in range(self._attempts):
            try:
                await self._bot.send_message(
                    delivery.chat_id,
                    text,
                    reply_markup=markup,
                    disable_notification=delivery.silent,
                )
            except RetryAfter as error:
                await self._sleep(_seconds(error.retry_after))
            except Forbidden:
                log.info("subscriber %s blocked the bot; pausing them", delivery.subscriber_id)
                return Outcome.BLOCKED
            except BadRequest as error:
                if "chat not found" in str(error).lower():
                    return Outcome.BLOCKED
                log.error("Telegram refused a %s: %s", delivery.kind.value, error)
                return Outcome.RETRY
            except NetworkError:
                await self._sleep(self._backoff * 2**attempt)
            else:
                return Outcome.SENT
        log.warning("giving up on a %s for now; it stays due", delivery.kind.value)
        return Outcome.RETRY


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def compose(
    delivery: Delivery, catalog: Catalog, share: Share = FORWARD_ONLY
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message for a delivery. In discreet mode its first line gives nothing away, since
    a lock screen shows that line to whoever holds the phone."""
    if delivery.kind is Kind.TALK:
        # Its first line is neutral already, and it asks for nothing: no buttons.
        return catalog.text(f"partner.{TALK_PROMPT}"), None
    if delivery.kind is not Kind.LESSON:
        body = render.routine_html(catalog.routine(delivery.item_id), catalog)
        header = "delivery.reminder.header"
        # A snoozed reminder can only be done: "later" works once.
        markup = reminder_keyboard(catalog, delivery.item_id, later=delivery.kind is Kind.REMINDER)
    elif delivery.item_id == COURSE_COMPLETE:
        track = delivery.track or Track.SELF
        body = catalog.text(f"course.complete.{track.value}")
        header = "delivery.lesson.header"
        markup = complete_keyboard(catalog, track)
    else:
        lesson = catalog.lesson(delivery.item_id)
        body = render.lesson_html(lesson, catalog)
        header = "delivery.lesson.header"
        markup = lesson_keyboard(catalog, lesson, share)
    if delivery.discreet:
        body = f"{catalog.text(header)}\n\n{body}"
    return body, markup


def reminder_keyboard(catalog: Catalog, routine_id: str, *, later: bool) -> InlineKeyboardMarkup:
    row = [(catalog.text("delivery.reminder.done"), callbacks.build("rem", "done", routine_id))]
    if later:
        row.append(
            (catalog.text("delivery.reminder.later"), callbacks.build("rem", "later", routine_id))
        )
    return keyboard(row)
