"""The questions a schedule asks, each declared once: how often, at what time, in which zone.

``/daily`` and ``/reminders`` ask all three after their own first question
(``ScheduleQuestions``); ``/settings`` asks the time or the zone alone, with the very same
steps (``TimeStep``, ``ZoneStep``). A step owns its buttons and what may be typed or shared
for it, and hands the value it read to whoever asked.

Choices collect in a draft in ``chat_data``, in memory only, and reach the store only
through the flow's finish, so an abandoned flow leaves nothing stored. A step's button after
the flow closed (the bot restarted, the person finished or erased their data) gets
"that choice has expired".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from telegram import Location, ReplyKeyboardRemove, Update
from timezonefinder import TimezoneFinder

from bot import buttons, pending, replies
from bot.buttons import Feature, Press, Route, on
from bot.context import BotContext
from bot.pending import InputHandler
from bot.ui import when
from bot.ui.keyboards import Row
from bot.ui.when import Cadence
from scheduler.actions import schedule
from scheduler.timing import format_local_time, parse_local_time, parse_zone
from scheduler.zones import search_zone

T = TypeVar("T")
EXPIRED = buttons.EXPIRED

Chosen = Callable[[Update, BotContext, Press | None, T], Awaitable[None]]
"""What a step does with the value it read; ``Press`` is None when it was typed or shared."""


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a flow waits for outside buttons, by the ``pending`` key that says so."""

    text: dict[str, InputHandler] = field(default_factory=dict)
    location: dict[str, InputHandler] = field(default_factory=dict)

    def __or__(self, other: Inputs) -> Inputs:
        return Inputs(self.text | other.text, self.location | other.location)


class TimeStep:
    """ "At what time?": a row of common times, or any time typed (``7:30``, ``7pm``).

    ``name`` tells apart several time steps of one feature (the lesson time, the start and
    the end of quiet hours)."""

    def __init__(
        self,
        feature: Feature,
        chosen: Chosen[time],
        name: str = "time",
        times: tuple[time, ...] = when.COMMON_TIMES,
    ) -> None:
        self.input = f"{feature.name}.{name}"
        self._button = feature.button1(name, buttons.time_arg)
        self._chosen = chosen
        self._times = times

    async def ask(
        self,
        update: Update,
        context: BotContext,
        *,
        in_place: bool,
        nav: Row | None = None,
        question: str = "when.time.ask",
    ) -> None:
        pending.expect(context, self.input)
        reply = replies.edit if in_place else replies.send
        extra = [] if nav is None else [nav]
        markup = when.time_keyboard(self._button, *extra, times=self._times)
        await reply(update, context.text(question), markup)

    def routes(self) -> list[Route]:
        return [on(self._button, self._tapped)]

    def inputs(self) -> Inputs:
        return Inputs(text={self.input: self._typed})

    async def _tapped(self, press: Press, at: time) -> None:
        await self._chosen(press.update, press.context, press, at)

    async def _typed(self, update: Update, context: BotContext) -> None:
        at = await _read_typed(update, context, parse_local_time, "when.time.invalid")
        if at is not None:
            await self._chosen(update, context, None, at)


class ZoneStep:
    """ "Which time zone?": common zones, the one already stored, any zone typed, or the zone
    at a shared location (found offline; the coordinates are used once and not kept)."""

    def __init__(self, feature: Feature, chosen: Chosen[str]) -> None:
        self.input = f"{feature.name}.zone"
        self._button = feature.button1("zone", buttons.choice_arg(when.COMMON_ZONES))
        self._keep = feature.button("keep")
        self._place = feature.button1("place", buttons.zone_arg)
        self._chosen = chosen

    async def ask(
        self,
        update: Update,
        context: BotContext,
        current: str | None,
        *,
        nav: Row | None = None,
        in_place: bool = False,
    ) -> None:
        """The zones to tap, with "keep" for the ``current`` one. In place (an edit of the
        tapped screen) there is no location button: Telegram puts that button on a reply
        keyboard, which only a new message can bring and a later one has to take away."""
        pending.expect(context, self.input)
        extra = [] if nav is None else [nav]
        markup = when.zone_keyboard(context, self._button, self._keep, current, *extra)
        if in_place:
            await replies.edit(update, context.text("when.zone.ask"), markup)
            return
        await replies.send(update, context.text("when.zone.ask"), markup)
        hint = context.text("when.zone.location_hint")
        await replies.send(update, hint, when.location_keyboard(context))

    def routes(self) -> list[Route]:
        return [
            on(self._button, self._tapped),
            on(self._keep, self._kept),
            on(self._place, self._tapped),
        ]

    def inputs(self) -> Inputs:
        return Inputs(text={self.input: self._typed}, location={self.input: self._shared})

    async def _tapped(self, press: Press, zone: str) -> None:
        await self._chosen(press.update, press.context, press, zone)

    async def _kept(self, press: Press) -> None:
        zone = await schedule.stored_zone(press.context.store, press.chat_id)
        if zone is None:
            press.say(EXPIRED, alert=True)
            return
        await self._chosen(press.update, press.context, press, zone)

    async def _typed(self, update: Update, context: BotContext) -> None:
        """A zone, place or country typed: settled, offered as choices, or refused with
        examples. A fixed offset is taken with a line saying it ignores daylight saving."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        # The first place name builds the place index (about two seconds), so it runs off
        # the event loop that every other chat shares.
        # Choices are labelled with countries' names in the person's language.
        found = await asyncio.to_thread(search_zone, message.text, context.language)
        if found.ambiguous:
            markup = when.place_keyboard(self._place, found.zones)
            await replies.send(update, context.text("when.zone.choose"), markup)
            return
        if found.zone is None:
            await message.reply_text(context.text("when.zone.invalid"))
            return
        if found.fixed_offset:
            await message.reply_text(context.text("when.zone.fixed_offset", zone=found.zone))
        await self._chosen(update, context, None, found.zone)

    async def _shared(self, update: Update, context: BotContext) -> None:
        message = update.effective_message
        if message is None or message.location is None:
            return
        zone = zone_from_location(message.location)
        if zone is None:
            await message.reply_text(context.text("when.zone.not_found"))
            return
        await self._chosen(update, context, None, zone)


def zone_from_location(location: Location) -> str | None:
    name = _finder().timezone_at(lng=location.longitude, lat=location.latitude)
    return parse_zone(name) if isinstance(name, str) else None


@cache
def _finder() -> TimezoneFinder:
    # Loading the zone polygons takes a moment, so it happens on the first location only.
    return TimezoneFinder()


async def _read_typed(
    update: Update, context: BotContext, read: Callable[[str], T | None], expected: str
) -> T | None:
    """What the person typed, read; None after saying what was expected."""
    message = update.effective_message
    if message is None or message.text is None:
        return None
    value = read(message.text)
    if value is None:
        await message.reply_text(context.text(expected))
    return value


Draft = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Answers:
    """A finished flow's choices, read back from its draft."""

    draft: Draft
    days: frozenset[int]
    local_time: time
    zone: str


Finish = Callable[[Update, BotContext, Answers], Awaitable[None]]
AskFirst = Callable[[Press, Draft], Awaitable[None]]
"""Show the flow's own first question again, in place, with the choices in the draft."""


class Step(StrEnum):
    """Where Back goes: the screen before the one it is on."""

    FIRST = "first"
    CADENCE = "cadence"
    DAYS = "days"
    TIME = "time"


class ScheduleQuestions:
    """The steps after a flow's own first questions: how often, what time, which zone.

    Every screen from the first question on has Cancel (the draft goes, nothing is
    stored) and every later one Back (the screen before, with the choices so far)."""

    def __init__(self, feature: Feature, finish: Finish, first: AskFirst) -> None:
        self._feature = feature
        self._finish = finish
        self._first = first
        self._draft_key = f"{feature.name}_draft"
        self._cadence = feature.button1("cad", buttons.enum_arg(Cadence))
        self._toggle = feature.button1("day", buttons.int_arg(0, 6))
        self._days_done = feature.button("days")
        self._back = feature.button1("back", buttons.enum_arg(Step))
        self._cancel = feature.button("cancel")
        self.time = TimeStep(feature, self._time_chosen)
        self.zone = ZoneStep(feature, self._zone_chosen)

    def nav(self, context: BotContext, back: Step | None) -> Row:
        """The Back and Cancel row for a screen whose previous one is ``back``."""
        return when.nav_row(
            context, None if back is None else self._back.data(back), self._cancel.data()
        )

    # --- the draft

    def open(self, context: BotContext, **first_choices: Any) -> Draft:
        draft: Draft = dict(first_choices)
        context.chat_state[self._draft_key] = draft
        return draft

    def close(self, context: BotContext) -> None:
        pending.done(context)
        context.chat_state.pop(self._draft_key, None)

    def draft(self, context: BotContext) -> Draft | None:
        draft = context.chat_state.get(self._draft_key)
        return draft if isinstance(draft, dict) else None

    def open_draft(self, press: Press) -> Draft | None:
        """The choices so far, or None after saying the flow is no longer open."""
        draft = self.draft(press.context)
        if draft is None:
            press.say(EXPIRED, alert=True)
        return draft

    # --- the steps

    def routes(self) -> list[Route]:
        return [
            on(self._cadence, self._cadence_chosen),
            on(self._toggle, self._day_toggled),
            on(self._days_done, self._days_chosen),
            on(self._back, self._went_back),
            on(self._cancel, self._cancelled),
            *self.time.routes(),
            *self.zone.routes(),
        ]

    def inputs(self) -> Inputs:
        return self.time.inputs() | self.zone.inputs()

    async def ask_cadence(self, update: Update, context: BotContext) -> None:
        pending.done(context)
        markup = when.cadence_keyboard(context, self._cadence, self.nav(context, Step.FIRST))
        await replies.edit(update, context.text("when.cadence.ask"), markup)

    async def _cadence_chosen(self, press: Press, cadence: Cadence) -> None:
        draft = self.open_draft(press)
        if draft is None:
            return
        draft["cadence"] = cadence.value
        if cadence is Cadence.PICK:
            draft["days"] = []
            await self._ask_days(press, frozenset())
            return
        draft["days"] = sorted(when.CADENCE_DAYS[cadence])
        await self._ask_time(press, draft)

    async def _ask_time(self, press: Press, draft: Draft) -> None:
        back = Step.DAYS if draft.get("cadence") == Cadence.PICK.value else Step.CADENCE
        nav = self.nav(press.context, back)
        await self.time.ask(press.update, press.context, in_place=True, nav=nav)

    async def _went_back(self, press: Press, step: Step) -> None:
        draft = self.open_draft(press)
        if draft is None:
            return
        pending.done(press.context)
        if step is Step.FIRST:
            await self._first(press, draft)
        elif step is Step.CADENCE:
            await self.ask_cadence(press.update, press.context)
        elif step is Step.DAYS:
            await self._ask_days(press, frozenset(draft.get("days", [])))
        else:
            await self._ask_time(press, draft)

    async def _cancelled(self, press: Press) -> None:
        """The flow ends here and nothing is stored; after it closed, the expired answer."""
        if self.open_draft(press) is None:
            return
        on_zone = pending.awaiting(press.context) == self.zone.input
        self.close(press.context)
        if not on_zone:
            await press.edit(press.text("when.nav.cancelled"))
            return
        # The zone step also showed the location button, which a new message must take away.
        if press.message is not None:
            await press.message.edit_reply_markup(None)
        await press.send(press.text("when.nav.cancelled"), ReplyKeyboardRemove())

    async def _day_toggled(self, press: Press, day: int) -> None:
        draft = self.open_draft(press)
        if draft is None:
            return
        chosen = frozenset(draft.get("days", [])) ^ {day}
        draft["days"] = sorted(chosen)
        await self._ask_days(press, chosen)

    async def _ask_days(self, press: Press, chosen: frozenset[int]) -> None:
        nav = self.nav(press.context, Step.CADENCE)
        markup = when.days_keyboard(press.context, self._toggle, self._days_done, chosen, nav)
        await press.edit(press.text("when.days.ask"), markup)

    async def _days_chosen(self, press: Press) -> None:
        draft = self.open_draft(press)
        if draft is None:
            return
        if not draft.get("days"):
            press.say("when.days.none", alert=True)
            return
        await self._ask_time(press, draft)

    async def _time_chosen(
        self, update: Update, context: BotContext, press: Press | None, at: time
    ) -> None:
        draft = self.draft(context)
        if draft is None or "days" not in draft:
            if press is not None:
                press.say(EXPIRED, alert=True)
            return
        draft["time"] = format_local_time(at)
        current = await schedule.stored_zone(context.store, replies.chat_id(update))
        await self.zone.ask(update, context, current, nav=self.nav(context, Step.TIME))

    async def _zone_chosen(
        self, update: Update, context: BotContext, press: Press | None, zone: str
    ) -> None:
        draft = self.draft(context)
        if draft is None or "time" not in draft:
            if press is not None:
                press.say(EXPIRED, alert=True)
            return
        self.close(context)
        at = parse_local_time(draft["time"])
        assert at is not None  # the draft only ever holds times this module formatted
        days = frozenset(int(day) for day in draft["days"])
        await self._finish(update, context, Answers(draft, days, at, zone))
