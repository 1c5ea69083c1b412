"""The few ways a handler answers, shared by every feature so each says it the same way."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot.context import BotContext

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def chat_id(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None  # the handlers that ask run for private chats only
    return chat.id


async def send(update: Update, text: str, markup: Markup | None = None) -> None:
    """A new message in the update's chat."""
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text, reply_markup=markup)


async def answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Settle a button press; Telegram shows a spinner until every press is answered."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=alert)


async def edit(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Move the tapped message on to its next step, in place; after typing, send anew."""
    query = update.callback_query
    if query is None:
        await send(update, text, markup)
        return
    await query.answer()
    message = query.message
    if isinstance(message, Message):
        await edit_message(message, text, markup)
    else:  # too old for Telegram to hand back: a new message will do
        await send(update, text, markup)


async def edit_message(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """An old keyboard can ask for exactly what the message already shows: nothing to do."""
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


async def stale(update: Update, context: BotContext) -> None:
    """A button that no longer means anything: an old keyboard or forged data."""
    await answer(update, context.text("button.stale"), alert=True)


async def expired(update: Update, context: BotContext) -> None:
    """A step of a flow that is no longer open: say so, and point back to the command."""
    await answer(update, context.text("when.expired"), alert=True)
