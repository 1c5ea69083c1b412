"""``/why``: the reasons tears can come, one short card each, and the lesson behind it.

Taps within the menu edit its one message in place; opened from elsewhere (a button under
an answer to typed text), the menu comes as a new message, so that answer stays readable.
The lesson button reads a lesson as the lessons for later do: nothing is stored or moved on.
"""

from __future__ import annotations

from telegram import Update

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.ui import render
from bot.ui import why as ui
from lessons.model import Reason


async def menu(update: Update, context: BotContext) -> None:
    await replies.send(update, context.text("why.menu"), ui.menu_keyboard(context.catalog))


async def _menu(press: Press) -> None:
    await press.edit(press.text("why.menu"), ui.menu_keyboard(press.context.catalog))


async def _open(press: Press, reason: Reason) -> None:
    catalog = press.context.catalog
    await press.edit(render.reason_html(reason), ui.card_keyboard(catalog, reason))


BUTTONS = buttons.router(ui.WHY, on(ui.MENU, _menu), on(ui.OPEN, _open))
