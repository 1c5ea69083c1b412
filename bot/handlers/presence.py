"""Whether a person is reachable: what happens before every command, and what Telegram's word
that someone blocked or unblocked the bot changes.

Telegram sends a ``my_chat_member`` update whenever the bot's own status in a chat changes; in
a private chat, "kicked" means the person blocked the bot and "member" that they unblocked it
(or pressed Restart). That update is the signal: nothing is looked up per command. In case
it was lost, ``/start`` and a confirmed schedule also bring the person back.
"""

from __future__ import annotations

from typing import Any

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler

from bot import pending
from bot.context import BotContext
from scheduler.actions import presence


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
    """The person blocked the bot: pause them now rather than at the next failed send."""
    await presence.went_away(context.store, chat_id)


async def come_back(context: BotContext, chat_id: int) -> None:
    """Telegram said the person unblocked the bot, or they sent /start: bring them back if
    they are still marked as having blocked it. Nobody is created here."""
    await presence.come_back(context.store, context.services.clock.now(), chat_id)
