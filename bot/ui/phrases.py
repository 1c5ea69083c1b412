"""Words for a partner, by situation: the menu, one phrase at a time, and their buttons.

Buttons carry positions, not text, and every position is checked: an old keyboard may
point past a list that has since changed.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons, sharing
from bot.context import Speaks
from bot.ui import render
from bot.ui.keyboards import Row, in_rows, keyboard
from lessons.model import Catalog, Phrase, Situation

SITUATIONS: tuple[Situation, ...] = tuple(Situation)
MAX_PHRASES = 999


def _find(context: Speaks, phrase_id: str) -> Phrase | None:
    entry = context.catalog.entry(phrase_id)
    return entry if isinstance(entry, Phrase) else None


situation_arg = buttons.choice_arg(SITUATIONS)
phrase_arg = buttons.catalog_arg(_find, lambda phrase: phrase.id)

PHRASES = buttons.Feature("phr", stale="phrases.unknown")
MENU = PHRASES.button("menu")
SITUATION = PHRASES.button1("sit", situation_arg)
MORE = PHRASES.button2("more", situation_arg, buttons.int_arg(0, MAX_PHRASES))
SHARE = PHRASES.button1("share", phrase_arg)


def menu_keyboard(catalog: Catalog) -> InlineKeyboardMarkup:
    situations = [
        (label(catalog, situation), SITUATION.data(situation)) for situation in SITUATIONS
    ]
    return keyboard(*in_rows(situations, 2))


def label(catalog: Catalog, situation: Situation) -> str:
    return catalog.text(f"phrases.situation.{situation.name.lower()}")


def phrase_text(
    catalog: Catalog, situation: Situation, phrases: tuple[Phrase, ...], index: int
) -> str:
    heading = catalog.text(
        "phrases.heading",
        situation=label(catalog, situation),
        position=index + 1,
        total=len(phrases),
    )
    return f"{heading}\n\n{render.phrase_html(phrases[index], catalog)}"


def phrase_keyboard(
    catalog: Catalog,
    situation: Situation,
    phrases: tuple[Phrase, ...],
    index: int,
    share: sharing.Share,
) -> InlineKeyboardMarkup:
    rows: list[Row] = []
    if len(phrases) > 1:
        following = (index + 1) % len(phrases)
        rows.append([(catalog.text("phrases.button.more"), MORE.data(situation, following))])
    share_label = catalog.text("phrases.button.share")
    share_button = sharing.share_button(
        share_label, phrases[index], share, SHARE.data(phrases[index])
    )
    rows.append([(catalog.text("phrases.button.menu"), MENU.data()), share_button])
    return keyboard(*rows)
