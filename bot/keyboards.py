"""Inline keyboards from plain rows of (label, callback data) pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

Row = Sequence[tuple[str, str]]


def keyboard(*rows: Row) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def in_rows(buttons: Iterable[tuple[str, str]], per_row: int) -> list[list[tuple[str, str]]]:
    """Lay buttons out in rows of ``per_row``: phones show about three short labels a row."""
    rows: list[list[tuple[str, str]]] = []
    for button in buttons:
        if not rows or len(rows[-1]) == per_row:
            rows.append([])
        rows[-1].append(button)
    return rows
