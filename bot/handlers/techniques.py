"""``/techniques``: a menu of calming techniques; each opens as a card of steps.

Within the technique menu, taps edit the one message in place, so the chat does not fill up.
A technique opened from elsewhere (a lesson's "Related technique", the welcome's button) comes
as a new message instead, so the message the person was reading stays as it was.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot import callbacks, render, replies, sharing
from bot.context import BotContext
from bot.keyboards import in_rows, keyboard
from lessons.model import Technique

FEATURE = "tech"


async def menu(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    assert chat is not None  # commands only come from private chats
    await chat.send_message(
        context.text("techniques.menu.title"), reply_markup=_menu_keyboard(context)
    )


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = callbacks.parse(query.data)
    if data is None:
        await replies.stale(update, context)
        return
    technique = _technique(context, data.arg())
    if data.action == "menu":
        await query.answer()
        await _show(update, context.text("techniques.menu.title"), _menu_keyboard(context))
    elif data.action == "open" and technique is not None:
        await query.answer()
        card = render.technique_html(technique, context.catalog)
        await _show(update, card, _card_keyboard(context, technique))
    elif data.action == "share" and technique is not None:
        # Without inline mode: a clean copy to forward, with no word about who sends it.
        await query.answer()
        await sharing.send_copy(update, context, technique, context.text("techniques.share.note"))
    else:
        await query.answer(context.text("techniques.unknown"), show_alert=True)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    """Edit the menu's own message in place; anything else gets a new message."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if isinstance(message, Message) and _is_ours(message):
        await replies.edit_message(message, text, markup)
        return
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text, reply_markup=markup)


def _is_ours(message: Message) -> bool:
    """True when every button of the message belongs to this feature: the menu or a card."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup is not None else ()
    # The share button starts an inline query rather than a callback: it belongs anywhere.
    buttons = [
        button for row in rows for button in row if button.switch_inline_query_chosen_chat is None
    ]
    datas = [button.callback_data for button in buttons]
    return bool(datas) and all(isinstance(d, str) and d.startswith(f"{FEATURE}:") for d in datas)


def _menu_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    buttons = [(t.name, callbacks.build(FEATURE, "open", t.id)) for t in context.catalog.techniques]
    return keyboard(*in_rows(buttons, 2))


def _card_keyboard(context: BotContext, technique: Technique) -> InlineKeyboardMarkup:
    label = context.text("techniques.button.share")
    fallback = callbacks.build(FEATURE, "share", technique.id)
    share = sharing.share_button(label, technique, sharing.Share.of(context.bot), fallback)
    return keyboard(
        [(context.text("techniques.button.menu"), callbacks.build(FEATURE, "menu")), share]
    )


def _technique(context: BotContext, technique_id: str | None) -> Technique | None:
    if technique_id is None:
        return None
    try:
        return context.catalog.technique(technique_id)
    except KeyError:
        return None
