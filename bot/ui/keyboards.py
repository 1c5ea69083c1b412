"""Inline keyboards from plain rows of (label, callback data) pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
# A ready-made button stands for the few that are not callbacks (a share or a link button).
Row = Sequence[tuple[str, str] | InlineKeyboardButton]


def keyboard(*rows: Row) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(item) for item in row] for row in rows])


def _button(item: tuple[str, str] | InlineKeyboardButton) -> InlineKeyboardButton:
    if isinstance(item, InlineKeyboardButton):
        return item
    label, data = item
    return InlineKeyboardButton(label, callback_data=data)


def in_rows(buttons: Iterable[tuple[str, str]], per_row: int) -> list[list[tuple[str, str]]]:
    """Lay buttons out in rows of ``per_row``: phones show about three short labels a row."""
    rows: list[list[tuple[str, str]]] = []
    for button in buttons:
        if not rows or len(rows[-1]) == per_row:
            rows.append([])
        rows[-1].append(button)
    return rows
