"""``/phrases``: words for a partner conversation, picked by situation, one at a time.

Every tap edits the same message, so browsing leaves one tidy message behind.
"""

from __future__ import annotations

from telegram import Update

from bot import buttons, replies, sharing
from bot.buttons import Press, on
from bot.context import BotContext
from bot.ui import phrases as ui
from lessons.model import Phrase, Situation


async def menu(update: Update, context: BotContext) -> None:
    await replies.send(
        update, context.text("phrases.menu.title"), ui.menu_keyboard(context.catalog)
    )


async def _menu(press: Press) -> None:
    await press.edit(press.text("phrases.menu.title"), ui.menu_keyboard(press.context.catalog))


async def _situation(press: Press, situation: Situation) -> None:
    await _more(press, situation, 0)


async def _more(press: Press, situation: Situation, index: int) -> None:
    """One phrase of a situation: the first one, or the one "Another one" points at."""
    catalog = press.context.catalog
    phrases = catalog.phrases_for(situation)
    if not phrases:
        await press.edit(press.text("phrases.empty"), ui.menu_keyboard(catalog))
        return
    # A list that changed since the button was made starts again from its first phrase.
    index = index if index < len(phrases) else 0
    share = sharing.Share.of(press.context.bot)
    text = ui.phrase_text(catalog, situation, phrases, index)
    await press.edit(text, ui.phrase_keyboard(catalog, situation, phrases, index, share))


async def _share(press: Press, phrase: Phrase) -> None:
    """Without inline mode: the words to forward, with no word about who sends them."""
    note = press.text("phrases.share.note")
    await sharing.send_copy(press.update, press.context, phrase, note)


BUTTONS = buttons.router(
    ui.PHRASES,
    on(ui.MENU, _menu),
    on(ui.SITUATION, _situation),
    on(ui.MORE, _more),
    on(ui.SHARE, _share),
)
