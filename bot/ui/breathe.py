"""The breathing exercise's one button."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import BotContext
from bot.ui.keyboards import keyboard

BREATHE = buttons.Feature("brth")
STOP = BREATHE.button("stop")


def stop_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard([(context.text("breathe.button.stop"), STOP.data())])
