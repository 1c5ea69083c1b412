"""The answer to typed text: one warm line (before the support note, or before a partner's
first words) and the buttons for the likely next step. When someone may be in danger, the
first line says to reach emergency help now, before anything else."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.ui import phrases, render
from bot.ui.keyboards import Row, keyboard
from lessons.model import Catalog, Situation
from scheduler.actions.care import Answer

CARE = buttons.Feature("care")
TECHNIQUES = CARE.button("tech")
BREATHE = CARE.button("breathe")
WHY = CARE.button("why")
PHRASES = CARE.button("words")
MORE_WORDS = CARE.button("more")
"""Under a partner's answer: the next words for comforting, after the ones it shows."""
SUPPORT = CARE.button("support")

FIRST_WORDS = Situation.COMFORTING
"""What a partner asking "what do I say?" most likely needs: words for comforting."""


def answer_text(catalog: Catalog, answer: Answer) -> str:
    if answer is Answer.URGENT:
        # The line on getting help now comes first, so it is read even if nothing else is.
        first = f"{catalog.text('care.urgent')}\n\n{catalog.text('care.urgent.after')}"
        return _with_support(catalog, first)
    if answer is Answer.CRISIS:
        return _with_support(catalog, catalog.text("care.crisis"))
    if answer is Answer.PARTNER:
        words = catalog.phrases_for(FIRST_WORDS)
        if words:
            first = phrases.phrase_text(catalog, FIRST_WORDS, words, 0)
            return f"{catalog.text('care.partner')}\n\n{first}\n\n{catalog.text('care.more')}"
    return catalog.text("care.ordinary")


def _with_support(catalog: Catalog, first: str) -> str:
    note = render.support_html(catalog.support)
    return f"{first}\n\n{note}\n\n{catalog.text('care.more')}"


def answer_keyboard(catalog: Catalog, answer: Answer) -> InlineKeyboardMarkup:
    """Help now, why it happens, words for a partner, support: a partner's words first,
    and no support button under an answer that already leads with the support note."""
    now: Row = [
        (catalog.text("care.button.techniques"), TECHNIQUES.data()),
        (catalog.text("care.button.breathe"), BREATHE.data()),
    ]
    why: Row = [(catalog.text("care.button.why"), WHY.data())]
    words: Row = [(catalog.text("care.button.phrases"), PHRASES.data())]
    support: Row = [(catalog.text("care.button.support"), SUPPORT.data())]
    if answer in (Answer.URGENT, Answer.CRISIS):
        return keyboard(now, why, words)
    if answer is Answer.PARTNER:
        more = (catalog.text("care.button.more_words"), MORE_WORDS.data())
        return keyboard([more, *words], now, why, support)
    return keyboard(now, why, words, support)
