"""``/partner``: invite a partner with a personal link, see the link, and end it from
either side.

An invite is shown once as a deep link (``/start inv-<code>``), with a button that opens
Telegram's chat picker holding a card for the partner; ``scheduler.actions.partner`` makes
and checks it. Ending the link, or ``/delete`` on either side, tells the other person only
that sharing has ended, with what they can still do alone. The couple rhythm, the evening
nudge and the check-in are ``bot.handlers.couple``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import buttons, replies, sharing
from bot.buttons import Press, on
from bot.context import BotContext, Speaks
from bot.handlers import daily
from bot.ui import partner as ui
from scheduler.actions import Refusal
from scheduler.actions import partner as actions
from scheduler.model import Recipient

INVITE_PREFIX = sharing.INVITE_PREFIX
# Set by /partner, in memory only: an invite tapped from the offer just opened is a start,
# which may store a new person; from an older message (after /delete) it is not.
_OFFER = "partner_offer"

log = logging.getLogger(__name__)


async def overview(update: Update, context: BotContext) -> None:
    """The command: the link's state and what can be done about it."""
    linked = await actions.link_state(context.store, replies.chat_id(update))
    if linked is not None:
        await replies.send(
            update, ui.linked_text(context, linked), ui.linked_keyboard(context, linked)
        )
        return
    context.chat_state[_OFFER] = True
    await replies.send(update, context.text("partner.about"), ui.about_keyboard(context))


async def _show(press: Press) -> None:
    linked = await actions.link_state(press.context.store, press.chat_id)
    if linked is None:
        press.context.chat_state[_OFFER] = True
        await press.edit(press.text("partner.about"), ui.about_keyboard(press.context))
        return
    await press.edit(
        ui.linked_text(press.context, linked), ui.linked_keyboard(press.context, linked)
    )


async def _invite(press: Press) -> None:
    context = press.context
    opting_in = bool(context.chat_state.pop(_OFFER, False))
    result = await actions.make_invite(
        context.store, press.now, press.chat_id, opting_in=opting_in, language=context.language
    )
    if isinstance(result, Refusal):
        press.stale()
    elif isinstance(result, actions.Linked):
        await press.edit(ui.linked_text(context, result), ui.linked_keyboard(context, result))
    else:
        share = sharing.Share.of(context.bot)
        link = sharing.start_link(share, f"{INVITE_PREFIX}{result.code}")
        # With inline mode, a button opens the chat picker; without it, the link is copied.
        key = "partner.invite" if share.inline else "partner.invite.forward"
        markup = ui.invite_keyboard(context, result.code, share)
        await press.edit(press.text(key, link=link), markup)


async def join(update: Update, context: BotContext, code: str) -> bool:
    """``/start inv-<code>``: link the person who tapped it with the one who made it.

    True when the tap is dealt with (linked now, or linked already and shown their link);
    False, after saying so, when the code cannot be used."""
    if not sharing.PAYLOAD.fullmatch(code):
        await replies.send(update, context.text("partner.invalid"))
        return False
    now = context.services.clock.now()
    result = await actions.join(context.store, now, replies.chat_id(update), code, context.language)
    if isinstance(result, Refusal):
        await replies.send(update, context.text("partner.invalid"))
        return False
    if isinstance(result, actions.AlreadyLinked):
        await replies.send(update, context.text("partner.already_linked"))
        linked = result.linked
        await replies.send(
            update, ui.linked_text(context, linked), ui.linked_keyboard(context, linked)
        )
        return True
    await replies.send(update, context.text("partner.joined"))
    await tell(context, result.inviter_chat, lambda voice: voice.text("partner.joined.inviter"))
    await daily.ask_track(update, context, "share.invite")
    return True


async def _unlink(press: Press) -> None:
    result = await actions.unlink(press.context.store, press.now, press.chat_id)
    if isinstance(result, Refusal):
        press.stale()
        return
    await press.edit(press.text("partner.unlinked"))
    if result.other_chat is not None:
        await tell_ended(press.context, result.other_chat)


async def _lessons(press: Press) -> None:
    await daily.begin(press.update, press.context)


async def _partner_course(press: Press) -> None:
    """From a shared card's landing: the /daily flow, the partner's course first."""
    await daily.ask_track(press.update, press.context, "share.invite")


async def tell_ended(context: BotContext, to: Recipient) -> None:
    """Only that sharing ended, with what the other person can still do alone."""
    await tell(context, to, lambda voice: voice.text("partner.ended"), ui.ended_keyboard)


async def tell(
    context: BotContext,
    to: Recipient,
    say: Callable[[Speaks], str],
    markup: Callable[[Speaks], InlineKeyboardMarkup] | None = None,
) -> None:
    """A message to the other person of a link, in their own language."""
    voice = context.voice(to.language)
    # They may have blocked the bot; that must not undo what this one chose.
    try:
        await context.bot.send_message(
            to.chat_id, say(voice), reply_markup=None if markup is None else markup(voice)
        )
    except TelegramError as error:
        log.info("could not tell a linked partner (%s)", type(error).__name__)


BUTTONS = buttons.router(
    ui.PARTNER,
    on(ui.INVITE, _invite),
    on(ui.UNLINK, _unlink),
    on(ui.SHOW, _show),
    on(ui.LESSONS, _lessons),
    on(ui.PARTNER_COURSE, _partner_course),
)
