"""``/start``: the welcome, and the door that deep links open.

A deep link (``/start PAYLOAD``) naming a shared lesson, technique or phrase opens it for
whoever tapped it, usually a partner new to the bot, then offers a course. Any other payload,
well formed or not, gets the ordinary welcome: a link is untrusted input.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import replies, sharing
from bot.context import BotContext
from bot.handlers import daily, partner, presence
from bot.ui import privacy, render, techniques
from bot.ui.daily import BEGIN
from bot.ui.keyboards import keyboard


async def welcome(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    payload = context.args[0] if context.args and len(context.args) == 1 else None
    code = _invite_code(payload)
    if code is None or not sharing.PAYLOAD.fullmatch(code):
        # A safety net for a lost my_chat_member update: someone still marked as having
        # blocked the bot is plainly back. Only /start looks, so other commands cost no
        # look-up. Joining does the same in its own transaction: one per update.
        await presence.come_back(context, replies.chat_id(update))
    # A partner's invite: once linked, the partner picks a course like anyone else; an
    # invite that cannot be used is explained, then the ordinary welcome follows.
    if code is not None and await partner.join(update, context, code):
        await _invite(update, context)
        return
    entry = sharing.entry_for(context.catalog, payload)
    if entry is not None:
        await replies.send(update, render.entry_html(entry, context.catalog))
        await _invite(update, context)
        return
    await message.reply_text(context.text("start.welcome"), reply_markup=_choices(context))


def _invite_code(payload: str | None) -> str | None:
    if payload is None or not payload.startswith(partner.INVITE_PREFIX):
        return None
    return payload.removeprefix(partner.INVITE_PREFIX)


async def _invite(update: Update, context: BotContext) -> None:
    """The /daily flow, opened at its first question: which course, partner's first."""
    await daily.ask_track(update, context, "share.invite")


def _choices(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("start.button.daily"), BEGIN.data())],
        [(context.text("start.button.now"), techniques.MENU.data())],
        [(context.text("start.button.privacy"), privacy.SHOW.data())],
    )
