"""``/language``: the person's language, from buttons; and ``recall``, which makes sure
every update knows it before any handler answers.

Telegram's ``language_code`` picks the language at first contact (``es-MX`` gets Spanish,
anything the content lacks gets English); once a person is stored, or has chosen here, that
choice wins. ``recall`` reads the stored language at most once per ``LANGUAGE_RECHECK`` per
person (``bot.context``), so an ordinary update costs no read of its own.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import TypeHandler

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import LANGUAGE_RECHECK, BotContext
from bot.ui import language as ui
from scheduler.actions import language as actions


async def recall(update: Update, context: BotContext) -> None:
    """Before every other handler: this person's stored language, when it is not known or
    was last checked over ``LANGUAGE_RECHECK`` ago. Updates from groups read nothing (the
    bot only says it works in private chats there), and are answered in Telegram's pick."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or (chat is not None and chat.type != ChatType.PRIVATE):
        return
    remembered = context.remembered
    now = context.services.clock.now()
    if remembered is not None and now - remembered.checked_at < LANGUAGE_RECHECK:
        return
    stored = await actions.stored_language(context.store, user.id)
    # Someone not stored who chose in /language keeps that choice, in memory only.
    context.remember(stored if stored is not None else context.language)


def handler() -> TypeHandler[Update, BotContext, None]:
    return TypeHandler(Update, recall)


async def ask(update: Update, context: BotContext) -> None:
    """The command: each language, named in its own words."""
    await replies.send(update, ui.ask_text(context), ui.choices_keyboard(context))


async def _menu(press: Press) -> None:
    context = press.context
    await press.edit(ui.ask_text(context), ui.choices_keyboard(context))


async def _choose(press: Press, language: str) -> None:
    """Kept (stored, for someone stored), then said in the language just chosen."""
    context = press.context
    chosen = await actions.choose_language(context.store, press.chat_id, language)
    context.remember(chosen.language)
    await press.edit(press.text("language.chosen"), ui.choices_keyboard(context))


BUTTONS = buttons.router(ui.LANGUAGE, on(ui.MENU, _menu), on(ui.CHOOSE, _choose))
