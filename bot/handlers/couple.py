"""``/partner``'s shared part: the couple rhythm, the evening nudge's time, and the weekly
"nobody goes first" check-in.

A proposal reaches the partner as exactly what was proposed, with buttons that carry it,
so an answer counts only for the proposal it was shown. The partner hears only about the
rhythm (proposed, accepted, declined, left), never about anything else of the other's.
A check-in answer is never told to the partner: both see both answers once both are in.
"""

from __future__ import annotations

from datetime import time

from bot import buttons
from bot.buttons import Press, on
from bot.handlers.partner import tell
from bot.ui import partner as ui
from bot.ui.when import describe_instant
from scheduler.actions import Refusal
from scheduler.actions import checkin as checkins
from scheduler.actions import rhythm as actions
from scheduler.actions.partner import Linked
from scheduler.couple import Rhythm


def _rhythm(mask: int, at: time) -> Rhythm:
    return Rhythm(ui.days_of(mask), at)


async def _screen(press: Press, linked: Linked, first: str | None = None) -> None:
    """The link's screen, in place, after an optional line saying what just happened."""
    text = ui.linked_text(press.context, linked)
    await press.edit(
        text if first is None else f"{first}\n\n{text}", ui.linked_keyboard(press.context, linked)
    )


async def _propose(press: Press) -> None:
    await press.edit(press.text("couple.ask.days"), ui.days_keyboard(press.context))


async def _days(press: Press, days: frozenset[int]) -> None:
    await press.edit(press.text("couple.ask.time"), ui.time_keyboard(press.context, days))


async def _time(press: Press, mask: int, at: time) -> None:
    context, proposal = press.context, _rhythm(mask, at)
    result = await actions.propose(context.store, press.chat_id, proposal)
    if result is Refusal.ALREADY_DONE:
        await press.edit(press.text("couple.same"), ui.back_keyboard(context))
        return
    if isinstance(result, Refusal):
        press.stale()
        return
    words = ui.rhythm_words(context, proposal)
    await _screen(press, result.linked, press.text("couple.proposed", **words))
    if result.partner_chat is not None:
        await tell(
            context,
            result.partner_chat,
            lambda voice: voice.text("couple.proposal", **ui.rhythm_words(voice, proposal)),
            lambda voice: ui.proposal_keyboard(voice, proposal),
        )


async def _accept(press: Press, mask: int, at: time) -> None:
    context, proposal = press.context, _rhythm(mask, at)
    result = await actions.accept(context.store, press.now, press.chat_id, proposal)
    if isinstance(result, Refusal):
        press.stale()
        return
    words = ui.rhythm_words(context, proposal)
    if result.next_lesson is not None and result.linked.lessons_on:
        nxt = describe_instant(press.context, result.next_lesson, result.zone)
        first = press.text("couple.accepted", next=nxt, **words)
    else:
        first = press.text("couple.accepted.no_lesson", **words)
    await _screen(press, result.linked, first)
    if result.partner_chat is not None:
        # Their own lessons may be off: "lessons at 21:30" would then not be true for them.
        told = "couple.accepted.partner" + ("" if result.partner_lessons_on else ".no_lesson")
        await tell(
            context,
            result.partner_chat,
            lambda voice: voice.text(told, **ui.rhythm_words(voice, proposal)),
        )


async def _decline(press: Press, mask: int, at: time) -> None:
    context = press.context
    result = await actions.decline(context.store, press.chat_id, _rhythm(mask, at))
    if isinstance(result, Refusal):
        press.stale()
        return
    await _screen(press, result.linked, press.text("couple.declined"))
    if result.partner_chat is not None:
        await tell(
            context, result.partner_chat, lambda voice: voice.text("couple.declined.partner")
        )


async def _leave(press: Press) -> None:
    context = press.context
    result = await actions.leave(context.store, press.now, press.chat_id)
    if isinstance(result, Refusal):
        press.stale()
        return
    await _screen(press, result.linked, press.text("couple.left"))
    if result.partner_chat is not None:
        await tell(context, result.partner_chat, lambda voice: voice.text("couple.left.partner"))


async def _evening(press: Press) -> None:
    await press.edit(press.text("couple.evening.ask"), ui.evening_keyboard(press.context))


async def _set_evening(press: Press, evening: time | None) -> None:
    result = await actions.set_evening(press.context.store, press.chat_id, evening)
    if isinstance(result, Refusal):
        press.stale()
        return
    await _screen(press, result)


async def _evening_at(press: Press, at: time) -> None:
    await _set_evening(press, at)


async def _evening_off(press: Press) -> None:
    await _set_evening(press, None)


async def _checkin(press: Press, on: bool) -> None:
    result = await actions.set_checkin(press.context.store, press.chat_id, on=on)
    if isinstance(result, Refusal):
        press.stale()
        return
    await _screen(press, result)


async def _good(press: Press, good: str) -> None:
    await press.edit(press.text("couple.checkin.wish_ask"), ui.wish_keyboard(press.context, good))


async def _wish(press: Press, good: str, wish: str) -> None:
    context = press.context
    result = await checkins.answer(context.store, press.now, press.chat_id, f"{good},{wish}")
    if isinstance(result, Refusal):
        await press.edit(press.text("couple.checkin.closed"))
        return
    if isinstance(result, checkins.Waiting):
        await press.edit(press.text("couple.checkin.waiting"))
        return
    await press.edit(ui.reveal_text(context, result.mine, result.theirs))
    if result.partner_chat is not None:
        theirs, mine = result.theirs, result.mine
        await tell(context, result.partner_chat, lambda voice: ui.reveal_text(voice, theirs, mine))


BUTTONS = buttons.router(
    ui.COUPLE,
    on(ui.PROPOSE, _propose),
    on(ui.DAYS, _days),
    on(ui.TIME, _time),
    on(ui.ACCEPT, _accept),
    on(ui.DECLINE, _decline),
    on(ui.LEAVE, _leave),
    on(ui.EVENING, _evening),
    on(ui.EVENING_AT, _evening_at),
    on(ui.EVENING_OFF, _evening_off),
    on(ui.CHECKIN, _checkin),
    on(ui.ANSWER_GOOD, _good),
    on(ui.ANSWER_WISH, _wish),
)
