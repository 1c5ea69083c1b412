"""Whether a person is reachable: what happens before every command, and what Telegram's word
that someone blocked or unblocked the bot changes.

Telegram sends a ``my_chat_member`` update whenever the bot's own status in a chat changes; in
a private chat, "kicked" means the person blocked the bot and "member" that they unblocked it
(or pressed Restart). That update is the signal: nothing is looked up per command. ``/start``
also calls ``come_back``, a safety net for an update that was lost.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler

from bot import pending
from bot.context import BotContext
from scheduler.planning import replan

log = logging.getLogger(__name__)


async def on_command(update: Update, context: BotContext) -> None:
    # A command leaves any half-finished question behind, so the next text is not misread.
    pending.done(context)


def handler() -> BaseHandler[Any, BotContext, Any]:
    """The bot's own membership changing in a chat: blocked, unblocked, added, removed."""
    return ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    # Groups are turned away before this runs; the check keeps a group's removal of the bot
    # from ever pausing the person (an admin) who removed it.
    if change is None or change.chat.type != change.chat.PRIVATE:
        return
    status = change.new_chat_member.status
    if status == ChatMember.BANNED:
        await went_away(context, change.chat.id)
    elif status == ChatMember.MEMBER:
        await come_back(context, change.chat.id)


async def went_away(context: BotContext, chat_id: int) -> None:
    """The person blocked the bot: pause them now rather than at the next failed send.

    Only people already stored are touched: blocking a bot one never used stores nothing."""
    subscriber = await context.store.find_subscriber(chat_id)
    if subscriber is not None and await context.store.set_blocked(subscriber.id, blocked=True):
        log.info("subscriber %s blocked the bot; pausing them", subscriber.id)


async def come_back(context: BotContext, chat_id: int) -> None:
    """Someone who had blocked the bot can be reached again: their schedules come back to
    life. The one way back, whether Telegram said so or the person sent /start.

    Only people already stored are touched; nobody is created here."""
    subscriber = await context.store.find_subscriber(chat_id)
    if subscriber is None or not subscriber.blocked:
        return
    if not await context.store.set_blocked(subscriber.id, blocked=False):
        return  # another update brought them back first, and planned their schedules
    # Only ``blocked`` changed, so the row just read is current without a second look-up.
    now = context.services.clock.now()
    await replan(context.store, replace(subscriber, blocked=False), now)
    log.info("subscriber %s unblocked the bot; schedules resumed", subscriber.id)
