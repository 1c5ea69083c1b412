"""``/why``: the menu of reasons and a reason's card, with their buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import Speaks
from bot.ui import lessons
from bot.ui.keyboards import in_rows, keyboard
from lessons.model import Catalog, Reason


def _find(context: Speaks, reason_id: str) -> Reason | None:
    entry = context.catalog.entry(reason_id)
    return entry if isinstance(entry, Reason) else None


reason_arg = buttons.catalog_arg(_find, lambda reason: reason.id)

WHY = buttons.Feature("why", stale="why.unknown")
MENU = WHY.button("menu")
OPEN = WHY.button1("open", reason_arg)


def menu_keyboard(catalog: Catalog) -> InlineKeyboardMarkup:
    return keyboard(*in_rows([(reason.title, OPEN.data(reason)) for reason in catalog.reasons], 2))


def card_keyboard(catalog: Catalog, reason: Reason) -> InlineKeyboardMarkup:
    """The lesson that goes deeper (read without moving a course on), and the other reasons."""
    deeper = catalog.lesson(reason.lesson)
    return keyboard(
        [(catalog.text("why.button.lesson"), lessons.READ.data(deeper))],
        [(catalog.text("why.button.menu"), MENU.data())],
    )
