"""``/partner``: invite a partner with a personal link, and end the link from either side.

An invite is shown once as a deep link (``/start inv-<code>``); ``scheduler.actions.partner``
makes and checks it. Ending the link, or ``/delete`` on either side, tells the other person
only that sharing has ended.

Once linked, each person may choose "Same days as my partner": their own course takes the
partner's days and local time (each keeps their own track and time zone). While both chose
it, the evening after a lesson brings a short prompt to talk about it (``Kind.TALK``).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import buttons, replies, sharing
from bot.buttons import Press, on
from bot.context import BotContext
from bot.ui import partner as ui
from scheduler.actions import Refusal
from scheduler.actions import partner as actions

INVITE_PREFIX = "inv-"
# Set by /partner, in memory only: an invite tapped from the offer just opened is a start,
# which may store a new person; from an older message (after /delete) it is not.
_OFFER = "partner_offer"

log = logging.getLogger(__name__)


async def overview(update: Update, context: BotContext) -> None:
    """The command: the link's state and the one thing to do about it."""
    linked = await actions.link_state(context.store, replies.chat_id(update))
    if linked is not None:
        await replies.send(
            update, context.text("partner.linked"), ui.linked_keyboard(context, linked)
        )
        return
    context.chat_state[_OFFER] = True
    await replies.send(update, context.text("partner.about"), ui.invite_keyboard(context))


async def _invite(press: Press) -> None:
    context = press.context
    opting_in = bool(context.chat_state.pop(_OFFER, False))
    result = await actions.make_invite(context.store, press.now, press.chat_id, opting_in=opting_in)
    if isinstance(result, Refusal):
        press.stale()
    elif isinstance(result, actions.Linked):
        await press.edit(press.text("partner.linked"), ui.linked_keyboard(context, result))
    else:
        link = sharing.start_link(sharing.Share.of(context.bot), f"{INVITE_PREFIX}{result.code}")
        await press.edit(press.text("partner.invite", link=link))


async def join(update: Update, context: BotContext, code: str) -> bool:
    """``/start inv-<code>``: link the person who tapped it with the one who made it.

    False, after saying so, when the code cannot be used."""
    if not sharing.PAYLOAD.fullmatch(code):
        await replies.send(update, context.text("partner.invalid"))
        return False
    now = context.services.clock.now()
    result = await actions.join(context.store, now, replies.chat_id(update), code)
    if isinstance(result, Refusal):
        await replies.send(update, context.text("partner.invalid"))
        return False
    await replies.send(update, context.text("partner.joined"))
    await tell(context, result.inviter_chat, "partner.joined.inviter")
    return True


async def _same_days(press: Press, on: bool) -> None:
    context = press.context
    result = await actions.set_same_days(context.store, press.now, press.chat_id, on=on)
    if result is Refusal.PARTNER_HAS_NO_SCHEDULE:
        linked = actions.Linked(same_days=False)
        await press.edit(press.text("partner.same_days.none"), ui.linked_keyboard(context, linked))
    elif isinstance(result, Refusal):
        press.stale()
    else:
        key = "partner.same_days.on" if result.same_days else "partner.same_days.off"
        await press.edit(press.text(key), ui.linked_keyboard(context, result))


async def _unlink(press: Press) -> None:
    result = await actions.unlink(press.context.store, press.chat_id)
    if isinstance(result, Refusal):
        press.stale()
        return
    await press.edit(press.text("partner.unlinked"))
    if result.other_chat is not None:
        await tell(press.context, result.other_chat, "partner.ended")


async def tell(context: BotContext, chat_id: int, key: str) -> None:
    """A line to the other person of a link."""
    # They may have blocked the bot; that must not undo what this one chose.
    try:
        await context.bot.send_message(chat_id, context.text(key))
    except TelegramError as error:
        log.info("could not tell a linked partner (%s)", type(error).__name__)


BUTTONS = buttons.router(
    ui.PARTNER,
    on(ui.INVITE, _invite),
    on(ui.SAME_DAYS, _same_days),
    on(ui.UNLINK, _unlink),
)
