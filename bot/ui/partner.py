"""``/partner``'s buttons: invite, "same days" on or off, and ending the link."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import BotContext
from bot.ui.keyboards import keyboard
from scheduler.actions.partner import Linked

PARTNER = buttons.Feature("ptr")
INVITE = PARTNER.button("invite")
SAME_DAYS = PARTNER.button1("same", buttons.flag_arg)
UNLINK = PARTNER.button("unlink")


def invite_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard([(context.text("partner.button.invite"), INVITE.data())])


def linked_keyboard(context: BotContext, linked: Linked) -> InlineKeyboardMarkup:
    same = "partner.button.same_days.stop" if linked.same_days else "partner.button.same_days"
    return keyboard(
        [(context.text(same), SAME_DAYS.data(not linked.same_days))],
        [(context.text("partner.button.unlink"), UNLINK.data())],
    )
