"""``/support``: when and where to look for more help."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.ui import render


async def show(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.support_html(context.catalog.support))
