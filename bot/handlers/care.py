"""Typed text outside any flow, answered with care.

The text is read once, for the cues in the content (``scheduler.actions.care``), and then
dropped: it is never stored, logged or echoed back. The answer is one warm line and buttons
for the likely next step; each button opens its feature in a new message, so the answer
stays on screen to come back to.
"""

from __future__ import annotations

from telegram import Update

from bot import buttons, replies, sharing
from bot.buttons import Press, on
from bot.context import BotContext
from bot.handlers import breathe, phrases, support, techniques, why
from bot.ui import care as ui
from bot.ui import phrases as phrases_ui
from scheduler.actions.care import answer_for


async def on_text(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    catalog = context.catalog
    answer = answer_for(catalog.care, message.text)
    await replies.send(update, ui.answer_text(catalog, answer), ui.answer_keyboard(catalog, answer))


async def _techniques(press: Press) -> None:
    await techniques.menu(press.update, press.context)


async def _breathe(press: Press) -> None:
    await breathe.begin(press.update, press.context)


async def _why(press: Press) -> None:
    await why.menu(press.update, press.context)


async def _phrases(press: Press) -> None:
    await phrases.menu(press.update, press.context)


async def _more_words(press: Press) -> None:
    """The comforting words after the first, browsable like ``/phrases``."""
    catalog = press.context.catalog
    words = catalog.phrases_for(ui.FIRST_WORDS)
    if not words:
        await phrases.menu(press.update, press.context)
        return
    index = 1 % len(words)
    share = sharing.Share.of(press.context.bot)
    text = phrases_ui.phrase_text(catalog, ui.FIRST_WORDS, words, index)
    await press.send(text, phrases_ui.phrase_keyboard(catalog, ui.FIRST_WORDS, words, index, share))


async def _support(press: Press) -> None:
    await support.show(press.update, press.context)


BUTTONS = buttons.router(
    ui.CARE,
    on(ui.TECHNIQUES, _techniques),
    on(ui.BREATHE, _breathe),
    on(ui.WHY, _why),
    on(ui.PHRASES, _phrases),
    on(ui.MORE_WORDS, _more_words),
    on(ui.SUPPORT, _support),
)
