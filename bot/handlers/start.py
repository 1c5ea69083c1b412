"""``/start``: the welcome, and the door that deep links open."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import callbacks
from bot.context import BotContext
from bot.keyboards import keyboard


async def welcome(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(context.text("start.welcome"), reply_markup=_choices(context))


def _choices(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("start.button.daily"), callbacks.build("daily", "begin"))],
        [(context.text("start.button.now"), callbacks.build("tech", "menu"))],
        [(context.text("start.button.privacy"), callbacks.build("priv", "show"))],
    )
