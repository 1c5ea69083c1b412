"""The two questions every schedule asks, shared by ``/daily``, ``/settings`` and
``/reminders``: at what time, and in which time zone."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from typing import Any, TypeVar

from telegram import (
    InlineKeyboardMarkup,
    KeyboardButton,
    Location,
    ReplyKeyboardMarkup,
    Update,
)
from timezonefinder import TimezoneFinder

from bot import callbacks, pending, replies
from bot.context import BotContext
from bot.keyboards import in_rows, keyboard
from scheduler.model import EVERY_DAY, WEEKDAYS
from scheduler.timing import format_local_time, parse_local_time, parse_zone, zone_info

T = TypeVar("T")

COMMON_TIMES: tuple[time, ...] = (time(7, 30), time(12, 30), time(18, 0), time(20, 0), time(21, 30))
COMMON_ZONES: tuple[str, ...] = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Kyiv",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
)


def time_keyboard(feature: str) -> InlineKeyboardMarkup:
    buttons = [
        (format_local_time(at), callbacks.build(feature, "time", f"{at.hour:02d}{at.minute:02d}"))
        for at in COMMON_TIMES
    ]
    return keyboard(*in_rows(buttons, 3))


def time_from_button(arg: str | None) -> time | None:
    """Read back a ``HHMM`` time button; None when the data was tampered with."""
    if arg is None or len(arg) != 4 or not arg.isdigit():
        return None
    hour, minute = int(arg[:2]), int(arg[2:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def zone_keyboard(context: BotContext, feature: str, current: str | None) -> InlineKeyboardMarkup:
    rows = []
    if current is not None:
        rows.append(
            [
                (
                    context.text("when.zone.keep", zone=current),
                    callbacks.build(feature, "zone", "keep"),
                )
            ]
        )
    zones = [
        (name, callbacks.build(feature, "zone", index)) for index, name in enumerate(COMMON_ZONES)
    ]
    rows += in_rows(zones, 2)
    return keyboard(*rows)


def zone_from_button(arg: str | None) -> str | None:
    if arg is None or not arg.isdigit() or int(arg) >= len(COMMON_ZONES):
        return None
    return COMMON_ZONES[int(arg)]


def location_keyboard(context: BotContext) -> ReplyKeyboardMarkup:
    """Telegram's own "send my location" button; it sends nothing until the person taps it."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(context.text("when.zone.location_button"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def zone_from_location(location: Location) -> str | None:
    """The zone at a point, found offline; the coordinates are used once and not kept."""
    name = _finder().timezone_at(lng=location.longitude, lat=location.latitude)
    return parse_zone(name) if isinstance(name, str) else None


@cache
def _finder() -> TimezoneFinder:
    # Loading the zone polygons takes a moment, so it happens on the first location only.
    return TimezoneFinder()


def describe_days(context: BotContext, days: frozenset[int]) -> str:
    if days == EVERY_DAY:
        return context.text("when.days.every")
    if days == WEEKDAYS:
        return context.text("when.days.weekdays")
    names = day_names(context)
    return ", ".join(names[day] for day in sorted(days))


def day_names(context: BotContext) -> list[str]:
    return context.text("when.days.short").split(",")


def describe_instant(instant: datetime, zone: str) -> str:
    """An instant as the person's own wall clock shows it, e.g. ``Monday 23 March, 20:00``."""
    local = instant.astimezone(zone_info(zone))
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"


def days_keyboard(
    context: BotContext, feature: str, chosen: frozenset[int]
) -> InlineKeyboardMarkup:
    """Seven toggles and a done button; a tick marks each chosen day."""
    names = day_names(context)
    toggles = [
        (("✓ " if day in chosen else "") + names[day], callbacks.build(feature, "day", day))
        for day in range(7)
    ]
    done = [(context.text("when.days.done"), callbacks.build(feature, "days", "ok"))]
    return keyboard(*in_rows(toggles, 4), done)


def cadence_keyboard(context: BotContext, feature: str) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("when.days.every"), callbacks.build(feature, "cad", "every"))],
        [(context.text("when.days.weekdays"), callbacks.build(feature, "cad", "weekdays"))],
        [(context.text("when.days.pick"), callbacks.build(feature, "cad", "pick"))],
    )


def toggle_day(chosen: frozenset[int], arg: str | None) -> frozenset[int] | None:
    if arg is None or not arg.isdigit() or int(arg) > 6:
        return None
    return chosen ^ {int(arg)}


Draft = dict[str, Any]
Finish = Callable[[Update, BotContext, Draft, str], Awaitable[None]]


async def typed_time(update: Update, context: BotContext) -> time | None:
    """The time a person typed, or None after saying what a time looks like."""
    return await _typed(update, context, parse_local_time, "when.time.invalid")


async def typed_zone(update: Update, context: BotContext) -> str | None:
    """The time zone a person typed, or None after saying what a zone looks like."""
    return await _typed(update, context, parse_zone, "when.zone.invalid")


async def _typed(
    update: Update, context: BotContext, read: Callable[[str], T | None], expected: str
) -> T | None:
    message = update.effective_message
    if message is None or message.text is None:
        return None
    value = read(message.text)
    if value is None:
        await message.reply_text(context.text(expected))
    return value


async def shared_zone(update: Update, context: BotContext) -> str | None:
    """The time zone at a shared location, or None after saying none was found there."""
    message = update.effective_message
    if message is None or message.location is None:
        return None
    zone = zone_from_location(message.location)
    if zone is None:
        await message.reply_text(context.text("when.zone.not_found"))
    return zone


@dataclass(frozen=True, slots=True)
class ScheduleQuestions:
    """The steps after a flow's own first question: how often, what time, which zone.

    ``/daily`` and ``/reminders`` each own one, named by their callback feature; choices
    collect in a draft in ``chat_data`` and reach the store only through ``finish``, so an
    abandoned flow leaves nothing stored.
    """

    feature: str
    finish: Finish

    @property
    def time_input(self) -> str:
        return f"{self.feature}.time"

    @property
    def zone_input(self) -> str:
        return f"{self.feature}.zone"

    @property
    def _draft_key(self) -> str:
        return f"{self.feature}_draft"

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

    async def draft_or_expired(self, update: Update, context: BotContext) -> Draft | None:
        """The choices so far, or None after saying so when the flow is no longer open: the
        bot restarted, the person finished or erased their data, or an old button."""
        draft = self.draft(context)
        if draft is None:
            await replies.expired(update, context)
        return draft

    async def ask_cadence(self, update: Update, context: BotContext) -> None:
        await replies.edit(
            update, context.text("when.cadence.ask"), cadence_keyboard(context, self.feature)
        )

    async def on_step(
        self, update: Update, context: BotContext, action: str, arg: str | None
    ) -> bool:
        """Handle one of the shared steps' buttons; False when ``action`` is not one of them."""
        step = {
            "cad": self._cadence,
            "day": self._toggle_day,
            "days": self._days_done,
            "time": self._time_button,
            "zone": self._zone_button,
        }.get(action)
        if step is None:
            return False
        draft = await self.draft_or_expired(update, context)
        if draft is not None:
            await step(update, context, draft, arg)
        return True

    async def _cadence(
        self, update: Update, context: BotContext, draft: Draft, arg: str | None
    ) -> None:
        if arg == "pick":
            draft["days"] = []
            await replies.edit(
                update,
                context.text("when.days.ask"),
                days_keyboard(context, self.feature, frozenset()),
            )
            return
        days = {"every": EVERY_DAY, "weekdays": WEEKDAYS}.get(arg or "")
        if days is None:
            await replies.expired(update, context)
            return
        draft["days"] = sorted(days)
        await self._ask_time(update, context)

    async def _toggle_day(
        self, update: Update, context: BotContext, draft: Draft, arg: str | None
    ) -> None:
        chosen = toggle_day(frozenset(draft.get("days", [])), arg)
        if chosen is None:
            await replies.expired(update, context)
            return
        draft["days"] = sorted(chosen)
        await replies.edit(
            update, context.text("when.days.ask"), days_keyboard(context, self.feature, chosen)
        )

    async def _days_done(
        self, update: Update, context: BotContext, draft: Draft, _: str | None
    ) -> None:
        if not draft.get("days"):
            query = update.callback_query
            assert query is not None
            await query.answer(context.text("when.days.none"), show_alert=True)
            return
        await self._ask_time(update, context)

    async def _ask_time(self, update: Update, context: BotContext) -> None:
        pending.expect(context, self.time_input)
        await replies.edit(update, context.text("when.time.ask"), time_keyboard(self.feature))

    async def _time_button(
        self, update: Update, context: BotContext, draft: Draft, arg: str | None
    ) -> None:
        chosen = time_from_button(arg)
        if chosen is None or "days" not in draft:
            await replies.expired(update, context)
            return
        await replies.answer(update)
        await self._time_chosen(update, context, draft, chosen)

    async def on_time_typed(self, update: Update, context: BotContext) -> None:
        """A time typed while the flow waits for one: ``7:30``, ``19:05``, ``7pm``."""
        draft = self.draft(context)
        chosen = await typed_time(update, context)
        if draft is not None and chosen is not None:
            await self._time_chosen(update, context, draft, chosen)

    async def _time_chosen(
        self, update: Update, context: BotContext, draft: Draft, at: time
    ) -> None:
        draft["time"] = format_local_time(at)
        pending.expect(context, self.zone_input)
        subscriber = await context.store.find_subscriber(replies.chat_id(update))
        current = subscriber.timezone if subscriber is not None else None
        await replies.send(
            update, context.text("when.zone.ask"), zone_keyboard(context, self.feature, current)
        )
        await replies.send(
            update, context.text("when.zone.location_hint"), location_keyboard(context)
        )

    async def _zone_button(
        self, update: Update, context: BotContext, draft: Draft, arg: str | None
    ) -> None:
        if arg == "keep":
            subscriber = await context.store.find_subscriber(replies.chat_id(update))
            zone = subscriber.timezone if subscriber is not None else None
        else:
            zone = zone_from_button(arg)
        if zone is None or "time" not in draft:
            await replies.expired(update, context)
            return
        await replies.answer(update)
        await self._finish(update, context, draft, zone)

    async def on_zone_typed(self, update: Update, context: BotContext) -> None:
        draft = self.draft(context)
        zone = await typed_zone(update, context)
        if draft is not None and zone is not None:
            await self._finish(update, context, draft, zone)

    async def on_location(self, update: Update, context: BotContext) -> None:
        draft = self.draft(context)
        zone = await shared_zone(update, context)
        if draft is not None and zone is not None:
            await self._finish(update, context, draft, zone)

    async def _finish(self, update: Update, context: BotContext, draft: Draft, zone: str) -> None:
        self.close(context)
        await self.finish(update, context, draft, zone)


def draft_days(draft: Draft) -> frozenset[int]:
    return frozenset(int(day) for day in draft["days"])


def draft_time(draft: Draft) -> time:
    chosen = parse_local_time(draft["time"])
    assert chosen is not None  # the draft only ever holds times this module formatted
    return chosen
