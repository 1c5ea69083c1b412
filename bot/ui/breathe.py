"""The breathing exercise's buttons: a length to choose, Stop while it runs, and at the
end, the same length again or another one."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import Speaks
from bot.ui.keyboards import keyboard

LENGTHS: tuple[int, ...] = (1, 3, 5)
"""The lengths on offer, in minutes; each has ``breathe.length.N`` and ``.span.N`` texts."""

BREATHE = buttons.Feature("brth")
STOP = BREATHE.button("stop")
START = BREATHE.button1("go", buttons.choice_arg(LENGTHS))
"""Start an exercise of this many minutes on the tapped message (the choice, or "again")."""
CHOOSE = BREATHE.button("choose")


def lengths_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard(
        [
            (context.text(f"breathe.button.length.{minutes}"), START.data(minutes))
            for minutes in LENGTHS
        ]
    )


def stop_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard([(context.text("breathe.button.stop"), STOP.data())])


def again_keyboard(context: Speaks, minutes: int) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("breathe.button.again"), START.data(minutes))],
        [(context.text("breathe.button.choose"), CHOOSE.data())],
    )
