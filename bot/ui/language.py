"""``/language``'s screen: one button per language, each named in its own language, so a
person who cannot read the current one still finds theirs."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import BotContext
from bot.ui.keyboards import Row, keyboard


def _read_language(context: BotContext, text: str) -> str | None:
    return text if text in context.library.languages else None


LANGUAGE = buttons.Feature("lang")
MENU = LANGUAGE.button("menu")
CHOOSE = LANGUAGE.button1("pick", buttons.Arg(lambda code: code, _read_language))
"""A language by its code; a code the content no longer has does not parse."""


def name(context: BotContext, language: str) -> str:
    """A language's name as its own speakers write it ("Español")."""
    return context.library.catalog(language).text("language.name")


def ask_text(context: BotContext) -> str:
    return context.text("language.ask", language=name(context, context.language))


def choices_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    current = context.language
    rows: list[Row] = [
        [(("✓ " if code == current else "") + name(context, code), CHOOSE.data(code))]
        for code in context.library.languages
    ]
    return keyboard(*rows)


def settings_row(context: BotContext) -> Row:
    """The settings page's way to /language's screen."""
    label = context.text("settings.button.language", language=name(context, context.language))
    return [(label, MENU.data())]
