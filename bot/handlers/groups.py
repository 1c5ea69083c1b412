"""Group chats: the bot works one to one only, says so once, and stores nothing."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.context import BotContext

_TOLD = "told_private_only"


def handler() -> BaseHandler[Any, BotContext, Any]:
    return TypeHandler(Update, _turn_away)


async def _turn_away(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is None or chat.type == chat.PRIVATE:
        return
    # Remembered in memory only: a restart may say it once more, which is harmless.
    if not context.chat_state.get(_TOLD) and update.effective_message is not None:
        context.chat_state[_TOLD] = True
        await update.effective_message.reply_text(context.text("group.private_only"))
    elif update.callback_query is not None:
        await update.callback_query.answer()
    raise ApplicationHandlerStop
