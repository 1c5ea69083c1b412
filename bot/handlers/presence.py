"""Whether a person is reachable: what happens before every command, and what Telegram's word
that someone blocked or unblocked the bot changes.

Telegram sends a ``my_chat_member`` update whenever the bot's own status in a chat changes; in
a private chat, "kicked" means the person blocked the bot and "member" that they unblocked it
(or pressed Restart). That update is the signal: nothing is looked up per command. In case
it was lost, ``/start`` and a confirmed schedule also bring the person back.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler

from bot import pending
from bot.context import BotContext
from scheduler.model import Subscriber
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
    """Telegram said the person unblocked the bot, or they sent /start: if they are still
    marked as having blocked it, bring them back. Nobody is created here."""
    subscriber = await context.store.find_subscriber(chat_id)
    if subscriber is not None:
        await bring_back(context, subscriber)


async def bring_back(context: BotContext, subscriber: Subscriber) -> Subscriber:
    """The one way back for someone marked as having blocked the bot: unmark them and plan
    their schedules again. Returns the person as now stored.

    Also for a flow that already read the person and is about to plan a schedule for them:
    someone choosing a time is plainly reachable, even if the unblock update was lost."""
    if not subscriber.blocked:
        return subscriber
    back = replace(subscriber, blocked=False)  # only ``blocked`` changes: no second read
    if await context.store.set_blocked(subscriber.id, blocked=False):
        await replan(context.store, back, context.services.clock.now())
        log.info("subscriber %s unblocked the bot; schedules resumed", subscriber.id)
    # Otherwise another update brought them back first, and planned their schedules.
    return back
