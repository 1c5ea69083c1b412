"""The Telegram side of scheduled delivery: render what the engine decided, send it within
Telegram's limits, and tell the engine how it went.

Telegram's rules, kept here and nowhere else: a 429 waits for its ``retry_after`` and tries
again; a 403 means the person blocked the bot, so their schedule is paused rather than
retried. A network failure is retried only when it proves nothing reached Telegram (the
connection was never made, or the Bot API answered with an error); after the last try the
item stays due for the next tick. Any other failure (a read timeout, a connection lost after
the request was written) may hide a message Telegram accepted: it is never retried, and the
engine records it as unknown. Overall throughput (about 30 messages a second, or up to
1,000 with paid broadcast) is ``bot.limiter``'s job, set up in ``bot.app``: the sends here
run inside ``scheduled()``, so they give way to replies. One message a second in any one
chat is ``ChatSpacing``'s.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.limiter import scheduled
from bot.prepared import Body, post
from bot.sharing import FORWARD_ONLY, Share
from bot.ui import render
from bot.ui.lessons import complete_keyboard, lesson_keyboard, progress_line, review_keyboard
from bot.ui.partner import checkin_keyboard
from bot.ui.reminders import reminder_keyboard
from lessons.library import Library
from lessons.model import Catalog, Track
from scheduler.delivery import COURSE_COMPLETE, TALK_PROMPT, Delivery, Outcome
from scheduler.model import Kind

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Composed = tuple[str, InlineKeyboardMarkup | None]
"""A scheduled message's text and buttons."""
Monotonic = Callable[[], float]

# Failures that happen before a request is written: Telegram cannot have seen it.
_BEFORE_WRITING = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
LONGEST_WAIT_SECONDS = 30.0
"""A 429 asking for a longer wait gives the item back for a later tick instead."""


class ChatSpacing:
    """Telegram takes about one message a second in any one chat. A person whose lesson and
    reminder fall in the same minute would otherwise get them back to back, and the second
    could meet a 429; it waits out the rest of that second instead.

    Only chats written to in the last second are remembered, so memory stays at about one
    second's worth of sends however many people there are."""

    def __init__(self, interval: float = 1.0, monotonic: Monotonic = time.monotonic) -> None:
        self._interval = interval
        self._monotonic = monotonic
        self._booked: dict[int, float] = {}
        # The same bookings in the order they were made, to forget the old ones cheaply.
        self._order: deque[tuple[float, int]] = deque()

    def book(self, chat_id: int) -> float:
        """Book the next free moment in ``chat_id``: the seconds to wait until then."""
        now = self._monotonic()
        self._forget_before(now - self._interval)
        previous = self._booked.get(chat_id)
        moment = now if previous is None else max(now, previous + self._interval)
        self._booked[chat_id] = moment
        self._order.append((moment, chat_id))
        return moment - now

    def __len__(self) -> int:
        """How many chats are remembered."""
        return len(self._booked)

    def _forget_before(self, horizon: float) -> None:
        while self._order and self._order[0][0] <= horizon:
            moment, chat_id = self._order.popleft()
            if self._booked.get(chat_id) == moment:
                del self._booked[chat_id]


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        library: Library,
        *,
        attempts: int = 4,
        backoff_seconds: float = 1.0,
        longest_wait_seconds: float = LONGEST_WAIT_SECONDS,
        sleep: Sleep = asyncio.sleep,
        spacing: ChatSpacing | None = None,
        paid_broadcast: bool = False,
    ) -> None:
        """``paid_broadcast``: send with ``allow_paid_broadcast``, which lets the token go
        past 30 messages a second and charges Telegram Stars for those above it."""
        self._bot = bot
        self._library = library
        self._paid = paid_broadcast
        # Every send of one lesson (or routine) in one form reads the same: rendered and
        # encoded once. Keyed by everything the text and buttons depend on: the same lesson
        # reads "Lesson 1 of 30" in the course and "a lesson to look back on" in the review,
        # and each language has its own words.
        self._bodies: dict[tuple[object, ...], Body] = {}
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._longest_wait = longest_wait_seconds
        self._sleep = sleep
        # Not ``spacing or ...``: a spacing that remembers no chat yet has a length of 0.
        self._spacing = spacing if spacing is not None else ChatSpacing()

    async def __call__(self, delivery: Delivery) -> Outcome:
        with scheduled():
            return await self._send(delivery)

    def _body(self, delivery: Delivery) -> Body:
        key = (
            delivery.kind,
            delivery.item_id,
            delivery.discreet,
            delivery.track,
            delivery.place,
            delivery.solo,
            delivery.language,
        )
        body = self._bodies.get(key)
        if body is None:
            catalog = self._library.catalog(delivery.language)
            text, markup = compose(delivery, catalog, Share.of(self._bot))
            body = Body.of(text, markup, paid=self._paid)
            self._bodies[key] = body
        return body

    async def _send(self, delivery: Delivery) -> Outcome:
        request = self._body(delivery).to(delivery.chat_id, silent=delivery.silent)
        # Booked once: a retry below has already waited a second or more.
        wait = self._spacing.book(delivery.chat_id)
        if wait > 0:
            await self._sleep(wait)
        for attempt in range(self._attempts):
            try:
                # The lean request: the engine needs the outcome, not a Message built from
                # Telegram's answer (``bot.prepared``).
                await post(self._bot, request)
            except RetryAfter as error:
                seconds = _seconds(error.retry_after)
                if seconds > self._longest_wait:
                    log.warning(
                        "Telegram asks for %.0f s; the %s stays due", seconds, delivery.kind
                    )
                    return Outcome.RETRY
                await self._sleep(seconds)
            except Forbidden:
                log.info("subscriber %s blocked the bot; pausing them", delivery.subscriber_id)
                return Outcome.BLOCKED
            except BadRequest as error:
                if "chat not found" in str(error).lower():
                    return Outcome.BLOCKED
                log.error("Telegram refused a %s: %s", delivery.kind.value, error)
                return Outcome.RETRY
            except NetworkError as error:
                if not nothing_reached_telegram(error):
                    log.warning(
                        "a %s may have reached Telegram (%s); it will not be resent",
                        delivery.kind.value,
                        _failure_name(error),
                    )
                    return Outcome.UNKNOWN
                await self._sleep(self._backoff * 2**attempt)
            else:
                return Outcome.SENT
        log.warning("giving up on a %s for now; it stays due", delivery.kind.value)
        return Outcome.RETRY


def nothing_reached_telegram(error: NetworkError) -> bool:
    """Whether a failed send certainly delivered nothing, so sending again is safe.

    PTB wraps every transport failure of httpx in a NetworkError (``TimedOut`` for
    timeouts) raised from it; a NetworkError with no cause is PTB's reading of an error
    answer from the Bot API (a 5xx). So: an answer, or a failure to connect at all, proves
    nothing was delivered; anything else (a read timeout, a connection closed after
    writing) may hide a message Telegram accepted.
    """
    causes = _causes(error)
    if not causes:
        return not isinstance(error, TimedOut)
    return any(isinstance(cause, _BEFORE_WRITING) for cause in causes)


def _causes(error: BaseException) -> list[BaseException]:
    """What ``error`` was raised from, and what that was raised from, and so on."""
    found: list[BaseException] = []
    cause = error.__cause__ or error.__context__
    while cause is not None and cause not in found:
        found.append(cause)
        cause = cause.__cause__ or cause.__context__
    return found


def _failure_name(error: NetworkError) -> str:
    """The innermost cause's type, for the log: never the message, which may hold a URL."""
    causes = _causes(error)
    return type(causes[-1] if causes else error).__name__


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def compose(delivery: Delivery, catalog: Catalog, share: Share = FORWARD_ONLY) -> Composed:
    """The message for a delivery. In discreet mode its first line gives nothing away, since
    a lock screen shows that line to whoever holds the phone."""
    if delivery.kind is Kind.TALK:
        # Its first line is neutral already, and it asks for nothing: no buttons.
        return catalog.text(f"partner.{TALK_PROMPT}"), None
    if delivery.kind is Kind.CHECKIN:
        # Neutral first line too; the buttons are the answers, written in content.
        return catalog.text("couple.checkin.ask"), checkin_keyboard(catalog)
    if delivery.kind is not Kind.LESSON:
        routine = catalog.routine(delivery.item_id)
        body = render.routine_html(routine, catalog)
        header = "delivery.reminder.header"
        # A snoozed reminder can only be done: "later" works once.
        markup = reminder_keyboard(catalog, routine, later=delivery.kind is Kind.REMINDER)
    elif delivery.item_id == COURSE_COMPLETE:
        track = delivery.track or Track.SELF
        body = catalog.text(f"course.complete.{track.value}")
        header = "delivery.lesson.header"
        markup = complete_keyboard(catalog, track)
    else:
        return _lesson(delivery, catalog, share)
    if delivery.discreet:
        body = f"{catalog.text(header)}\n\n{body}"
    return body, markup


def _lesson(
    delivery: Delivery, catalog: Catalog, share: Share
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A lesson of the course, or of the weekly review: where it stands in the course
    comes right under the discreet first line (under the title, in plain mode)."""
    lesson = catalog.lesson(delivery.item_id)
    place = delivery.place
    if place is not None and place.review:
        markup = review_keyboard(catalog, lesson, share, delivery.track or Track.SELF)
    else:
        markup = lesson_keyboard(catalog, lesson, share)
    line = None if place is None else progress_line(catalog, place)
    if not delivery.discreet:
        return render.lesson_html(lesson, catalog, line, solo=delivery.solo), markup
    review = place is not None and place.review
    top = catalog.text("delivery.review.header" if review else "delivery.lesson.header")
    top = top if line is None else f"{top}\n<i>{line}</i>"
    return f"{top}\n\n{render.lesson_html(lesson, catalog, solo=delivery.solo)}", markup
