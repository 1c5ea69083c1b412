"""The technique menu and cards, and their buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons, sharing
from bot.context import Speaks
from bot.ui.keyboards import in_rows, keyboard
from lessons.model import Catalog, Technique


def _find(context: Speaks, technique_id: str) -> Technique | None:
    entry = context.catalog.entry(technique_id)
    return entry if isinstance(entry, Technique) else None


technique_arg = buttons.catalog_arg(_find, lambda technique: technique.id)

TECHNIQUES = buttons.Feature("tech", stale="techniques.unknown")
MENU = TECHNIQUES.button("menu")
OPEN = TECHNIQUES.button1("open", technique_arg)
SHARE = TECHNIQUES.button1("share", technique_arg)


def menu_keyboard(catalog: Catalog) -> InlineKeyboardMarkup:
    return keyboard(*in_rows([(t.name, OPEN.data(t)) for t in catalog.techniques], 2))


def card_keyboard(
    catalog: Catalog, technique: Technique, share: sharing.Share
) -> InlineKeyboardMarkup:
    label = catalog.text("techniques.button.share")
    share_button = sharing.share_button(label, technique, share, SHARE.data(technique))
    return keyboard([(catalog.text("techniques.button.menu"), MENU.data()), share_button])


def is_menu_message(markup: InlineKeyboardMarkup | None) -> bool:
    """True when every callback button of a message is this feature's: the menu or a card.
    The share button starts an inline query rather than a callback: it belongs anywhere."""
    rows = markup.inline_keyboard if markup is not None else ()
    datas = [
        b.callback_data for row in rows for b in row if b.switch_inline_query_chosen_chat is None
    ]
    prefix = f"{TECHNIQUES.name}:"
    return bool(datas) and all(isinstance(d, str) and d.startswith(prefix) for d in datas)
