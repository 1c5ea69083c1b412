"""The few ways a handler answers, shared by every feature so each says it the same way.

A button's query itself is answered by ``bot.buttons`` only, exactly once; these send and
edit messages.
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest

from bot.ui.keyboards import Markup

# A reply keyboard cannot be put on an edited message: those go in a new one.
_ReplyMarkups = (ReplyKeyboardMarkup, ReplyKeyboardRemove)


def chat_id(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None  # the handlers that ask run for private chats only
    return chat.id


async def send(update: Update, text: str, markup: Markup | None = None) -> None:
    """A new message in the update's chat."""
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text, reply_markup=markup)


async def edit(update: Update, text: str, markup: Markup | None) -> None:
    """Move the tapped message on to its next step, in place; after typing, send anew."""
    query = update.callback_query
    message = query.message if query is not None else None
    if isinstance(message, Message) and not isinstance(markup, _ReplyMarkups):
        await edit_message(message, text, markup)
    else:  # typed, or too old for Telegram to hand back: a new message will do
        await send(update, text, markup)


async def edit_message(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """An old keyboard can ask for exactly what the message already shows: nothing to do."""
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
