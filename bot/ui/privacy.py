"""``/privacy`` and ``/delete``'s buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import Speaks
from bot.ui.keyboards import keyboard

PRIVACY = buttons.Feature("priv")
SHOW = PRIVACY.button("show")
EXPORT = PRIVACY.button("export")
ASK_DELETE = PRIVACY.button("delete")
ERASE = PRIVACY.button("erase")
KEEP = PRIVACY.button("keep")
LEAVE = PRIVACY.button("leave")
WIPE = PRIVACY.button1("wipe", buttons.int_arg(0, 2**53))
"""Clear the chat's recent messages, up to the message id it names."""


def privacy_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("privacy.button.export"), EXPORT.data())],
        [(context.text("privacy.button.delete"), ASK_DELETE.data())],
    )


def confirm_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("privacy.delete.button.yes"), ERASE.data())],
        [(context.text("privacy.delete.button.no"), KEEP.data())],
    )


def erased_keyboard(context: Speaks, newest_message_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("privacy.delete.button.wipe"), WIPE.data(newest_message_id))],
        [(context.text("privacy.delete.button.leave"), LEAVE.data())],
    )
