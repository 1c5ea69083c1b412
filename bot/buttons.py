"""Button routing, in one place: every feature's buttons are declared once, with typed
arguments, and answered here.

A feature (``Feature("les")``) declares each of its buttons with the arguments it carries
(``LESSONS.button1("next", lesson_arg)``); other code builds a button's data only through
that declaration (``NEXT.data(lesson)``), never from a string. A handler module binds each
button to one function in a table (``router(LESSONS, on(NEXT, next_lesson), ...)``).

The router reads the callback data back as untrusted input (a button may be tapped days
later, or forged), calls the function with the parsed values, and answers the query exactly
once, whatever happened: with what the function chose to say, or the feature's one stale
answer for anything that does not parse. A callback from an inline message, which has no
chat, is answered the same way and goes no further.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import Enum
from typing import Any, Generic, TypeVar, overload

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler

from bot import callbacks, replies
from bot.context import BotContext
from bot.ui.keyboards import Markup
from scheduler.zones import canonical_zone

A = TypeVar("A")
B = TypeVar("B")
E = TypeVar("E", bound=Enum)

log = logging.getLogger(__name__)

STALE = "button.stale"
EXPIRED = "when.expired"
"""For a step of a flow that is no longer open: points back to the command."""


# --- arguments ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Arg(Generic[A]):
    """How one argument is written into callback data and read back (None: it is not one)."""

    write: Callable[[A], str]
    read: Callable[[BotContext, str], A | None]


def int_arg(low: int, high: int) -> Arg[int]:
    """A whole number from ``low`` to ``high``, both included."""

    def read(_: BotContext, text: str) -> int | None:
        return int(text) if text.isdigit() and low <= int(text) <= high else None

    def write(value: int) -> str:
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}..{high}")
        return str(value)

    return Arg(write, read)


def enum_arg(kind: type[E]) -> Arg[E]:
    """A member of a string enum, by its value."""
    members = {str(member.value): member for member in kind}

    def read(_: BotContext, text: str) -> E | None:
        return members.get(text)

    return Arg(lambda member: str(member.value), read)


def _read_flag(_: BotContext, text: str) -> bool | None:
    return {"1": True, "0": False}.get(text)


flag_arg: Arg[bool] = Arg(lambda on: "1" if on else "0", _read_flag)
"""The value a toggle sets (not "flip"): a second tap asks for what is already so."""


def _read_hhmm(_: BotContext, text: str) -> time | None:
    if len(text) != 4 or not text.isdigit():
        return None
    hour, minute = int(text[:2]), int(text[2:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


time_arg: Arg[time] = Arg(lambda at: f"{at.hour:02d}{at.minute:02d}", _read_hhmm)


def _read_zone(_: BotContext, text: str) -> str | None:
    zone = text.replace(".", "/")
    return zone if canonical_zone(zone) == zone else None


zone_arg: Arg[str] = Arg(lambda zone: zone.replace("/", "."), _read_zone)
"""An IANA zone by name, its slashes written as dots: callback data holds no slash, and the
longest name (32 characters) leaves room within the 64 bytes."""


def choice_arg(choices: Sequence[A]) -> Arg[A]:
    """One of a fixed list, by its position: short data for long values."""

    def read(_: BotContext, text: str) -> A | None:
        return choices[int(text)] if text.isdigit() and int(text) < len(choices) else None

    return Arg(lambda value: str(choices.index(value)), read)


def catalog_arg(
    find: Callable[[BotContext, str], A | None], entry_id: Callable[[A], str]
) -> Arg[A]:
    """A content entry by its id; an id no longer in the content does not parse."""
    return Arg(entry_id, find)


# --- buttons --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feature:
    """A group of buttons sharing a callback prefix, and the answer for a stale one."""

    name: str
    stale: str = STALE
    """The ui key of the one answer for a button of this feature that does not parse."""

    def button(self, action: str) -> Button:
        return Button(self, action)

    def button1(self, action: str, first: Arg[A]) -> Button1[A]:
        return Button1(self, action, first)

    def button2(self, action: str, first: Arg[A], second: Arg[B]) -> Button2[A, B]:
        return Button2(self, action, first, second)


@dataclass(frozen=True, slots=True)
class _Declared:
    feature: Feature
    action: str

    @property
    def args(self) -> tuple[Arg[Any], ...]:
        return ()

    def _data(self, *parts: str) -> str:
        return callbacks.build(self.feature.name, self.action, *parts)

    def read(self, context: BotContext, parts: tuple[str, ...]) -> tuple[Any, ...] | None:
        """The argument values, or None when the parts are not what this button carries."""
        if len(parts) != len(self.args):
            return None
        values = tuple(arg.read(context, part) for arg, part in zip(self.args, parts, strict=True))
        return None if any(value is None for value in values) else values


@dataclass(frozen=True, slots=True)
class Button(_Declared):
    def data(self) -> str:
        return self._data()


@dataclass(frozen=True, slots=True)
class Button1(_Declared, Generic[A]):
    first: Arg[A]

    @property
    def args(self) -> tuple[Arg[Any], ...]:
        return (self.first,)

    def data(self, first: A) -> str:
        return self._data(self.first.write(first))


@dataclass(frozen=True, slots=True)
class Button2(_Declared, Generic[A, B]):
    first: Arg[A]
    second: Arg[B]

    @property
    def args(self) -> tuple[Arg[Any], ...]:
        return (self.first, self.second)

    def data(self, first: A, second: B) -> str:
        return self._data(self.first.write(first), self.second.write(second))


# --- a press, as the bound function sees it -----------------------------------------------


@dataclass(slots=True)
class Press:
    """One tap: who tapped, on which message, and what the answer will say."""

    update: Update
    context: BotContext
    feature: Feature
    _answer: tuple[str | None, bool] = (None, False)
    _answered: bool = field(default=False)

    @property
    def chat_id(self) -> int:
        return replies.chat_id(self.update)

    @property
    def now(self) -> datetime:
        return self.context.services.clock.now()

    @property
    def message(self) -> Message | None:
        """The tapped message, when Telegram still hands it back."""
        query = self.update.callback_query
        message = query.message if query is not None else None
        return message if isinstance(message, Message) else None

    @property
    def message_id(self) -> int | None:
        query = self.update.callback_query
        return query.message.message_id if query is not None and query.message else None

    def text(self, key: str, **values: object) -> str:
        return self.context.text(key, **values)

    def say(self, key: str, *, alert: bool = False, **values: object) -> None:
        """What the answer to this tap shows (a toast, or an alert to dismiss)."""
        self._answer = (self.text(key, **values), alert)

    def stale(self) -> None:
        """The feature's one answer for a button that no longer means anything."""
        self.say(self.feature.stale, alert=True)

    async def answer(self) -> None:
        """Answer now, before something slow; the router answers at the end otherwise."""
        query = self.update.callback_query
        if self._answered or query is None:
            return
        self._answered = True
        text, alert = self._answer
        await query.answer(text, show_alert=alert)

    async def send(self, text: str, markup: Markup | None = None) -> None:
        """A new message in the chat, below the tapped one."""
        await replies.send(self.update, text, markup)

    async def edit(self, text: str, markup: Markup | None = None) -> None:
        """Move the tapped message on, in place; a message too old to reach gets a new one."""
        await replies.edit(self.update, text, markup)


# --- the table and the router -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    button: _Declared
    run: Callable[..., Awaitable[None]]


@overload
def on(button: Button, run: Callable[[Press], Awaitable[None]]) -> Route: ...
@overload
def on(button: Button1[A], run: Callable[[Press, A], Awaitable[None]]) -> Route: ...
@overload
def on(button: Button2[A, B], run: Callable[[Press, A, B], Awaitable[None]]) -> Route: ...
def on(button: _Declared, run: Callable[..., Awaitable[None]]) -> Route:
    """One row of a feature's table: this button runs this function."""
    return Route(button, run)


ButtonHandler = CallbackQueryHandler[BotContext, None]


def router(feature: Feature, *routes: Route) -> ButtonHandler:
    """The handler for every button of ``feature``: one table, action name -> function."""
    table = {route.button.action: route for route in routes}
    if len(table) != len(routes) or any(r.button.feature != feature for r in routes):
        raise ValueError(f"each of {feature.name!r}'s buttons needs exactly one row")

    async def on_query(update: Update, context: BotContext) -> None:
        press = Press(update, context, feature)
        try:
            await _dispatch(press, table)
        finally:
            await press.answer()

    return CallbackQueryHandler(on_query, pattern=callbacks.pattern(feature.name))


async def _dispatch(press: Press, table: dict[str, Route]) -> None:
    query = press.update.callback_query
    data = callbacks.parse(query.data if query is not None else None)
    route = table.get(data.action) if data is not None else None
    values = route.button.read(press.context, data.args) if route and data else None
    # An inline message's button has no chat to answer in.
    if route is None or values is None or press.update.effective_chat is None:
        press.stale()
        return
    await route.run(press, *values)


def unknown_handler() -> ButtonHandler:
    """Last in line: data no feature claims, from a long-gone keyboard or forged."""

    async def on_query(update: Update, context: BotContext) -> None:
        press = Press(update, context, Feature("unknown"))
        press.stale()
        await press.answer()

    return CallbackQueryHandler(on_query)
