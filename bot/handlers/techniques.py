"""``/techniques``: a menu of calming techniques; each opens as a card of steps.

Within the technique menu, taps edit the one message in place, so the chat does not fill up.
A technique opened from elsewhere (a lesson's "Related technique", the welcome's button) comes
as a new message instead, so the message the person was reading stays as it was.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import buttons, replies, sharing
from bot.buttons import Press, on
from bot.context import BotContext
from bot.ui import render, techniques
from lessons.model import Technique


async def menu(update: Update, context: BotContext) -> None:
    await replies.send(
        update, context.text("techniques.menu.title"), techniques.menu_keyboard(context.catalog)
    )


async def _menu(press: Press) -> None:
    markup = techniques.menu_keyboard(press.context.catalog)
    await _show(press, press.text("techniques.menu.title"), markup)


async def _open(press: Press, technique: Technique) -> None:
    catalog = press.context.catalog
    markup = techniques.card_keyboard(catalog, technique, sharing.Share.of(press.context.bot))
    await _show(press, render.technique_html(technique, catalog), markup)


async def _share(press: Press, technique: Technique) -> None:
    """Without inline mode: a clean copy to forward, with no word about who sends it."""
    note = press.text("techniques.share.note")
    await sharing.send_copy(press.update, press.context, technique, note)


async def _show(press: Press, text: str, markup: InlineKeyboardMarkup) -> None:
    """Edit the menu's own message in place; anything else gets a new message."""
    message = press.message
    if message is not None and techniques.is_menu_message(message.reply_markup):
        await replies.edit_message(message, text, markup)
    else:
        await press.send(text, markup)


BUTTONS = buttons.router(
    techniques.TECHNIQUES,
    on(techniques.MENU, _menu),
    on(techniques.OPEN, _open),
    on(techniques.SHARE, _share),
)
