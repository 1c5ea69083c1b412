"""``/privacy``, ``/export``, ``/delete`` and ``/stop``: what is kept, a copy of it, erasing
it, and silencing every scheduled message at once."""

from __future__ import annotations

import json
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import callbacks, replies
from bot.context import BotContext
from bot.handlers import partner
from bot.keyboards import keyboard

log = logging.getLogger(__name__)

FEATURE = "priv"
EXPORT_FILENAME = "soft-landing-my-data.json"
# Telegram deletes at most 100 messages a call, and only those younger than 48 hours; a
# private chat numbers its messages one after another, so the recent ones are a range of ids.
_DELETE_BATCH = 100
_DELETE_REACH = 1000


async def explain(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(
            context.text("privacy.explain"), reply_markup=_privacy_buttons(context)
        )


async def export(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    data = await context.store.export(chat.id)
    if not data:
        await chat.send_message(context.text("privacy.export.empty"))
        return
    payload = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False).encode()
    await chat.send_document(
        document=payload, filename=EXPORT_FILENAME, caption=context.text("privacy.export.caption")
    )


async def confirm_delete(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(
            context.text("privacy.delete.confirm"), reply_markup=_confirm_buttons(context)
        )


async def stop_everything(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    subscriber = await context.store.find_subscriber(chat.id)
    if subscriber is not None:
        await context.store.stop_all(subscriber.id)
    await chat.send_message(context.text("privacy.stopped"))


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = callbacks.parse(query.data)
    action = _ACTIONS.get(data.action) if data is not None else None
    if data is None or action is None:
        await replies.stale(update, context)
        return
    await action(update, context, data.arg())


async def _show(update: Update, context: BotContext, _: str | None) -> None:
    await _answer(update)
    await explain(update, context)


async def _export(update: Update, context: BotContext, _: str | None) -> None:
    await _answer(update)
    await export(update, context)


async def _ask_delete(update: Update, context: BotContext, _: str | None) -> None:
    await _answer(update)
    await confirm_delete(update, context)


async def _erase(update: Update, context: BotContext, _: str | None) -> None:
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    await partner.before_erase(context, chat.id)
    await context.store.erase(chat.id)
    # In-memory conversation state goes too: nothing about the person outlives the erase.
    context.chat_state.clear()
    if update.effective_user is not None:
        context.application.drop_user_data(update.effective_user.id)
    await query.answer()
    wipe = callbacks.build(FEATURE, "wipe", query.message.message_id if query.message else 0)
    buttons = keyboard(
        [(context.text("privacy.delete.button.wipe"), wipe)],
        [(context.text("privacy.delete.button.leave"), callbacks.build(FEATURE, "leave"))],
    )
    await query.edit_message_text(context.text("privacy.delete.done"), reply_markup=buttons)


async def _keep(update: Update, context: BotContext, _: str | None) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(context.text("privacy.delete.kept"))


async def _leave(update: Update, context: BotContext, _: str | None) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(context.text("privacy.delete.left"))


async def _wipe(update: Update, context: BotContext, arg: str | None) -> None:
    """Delete the recent messages of this chat, both sides, as far as Telegram allows."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    if arg is None or not arg.isdigit():
        await replies.stale(update, context)
        return
    newest = max(int(arg), query.message.message_id if query.message else 0)
    oldest = max(1, newest - _DELETE_REACH + 1)
    for end in range(newest, oldest - 1, -_DELETE_BATCH):
        ids = list(range(max(oldest, end - _DELETE_BATCH + 1), end + 1))
        try:
            await context.bot.delete_messages(chat.id, ids)
        except BadRequest:
            # Older than 48 hours or already gone: nothing more can be removed by the bot.
            log.debug("stopped deleting messages at a batch Telegram refused")
            break
    # An alert rather than a message, so the cleared chat stays clear.
    await query.answer(context.text("privacy.delete.wiped"), show_alert=True)


async def _answer(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


def _privacy_buttons(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("privacy.button.export"), callbacks.build(FEATURE, "export"))],
        [(context.text("privacy.button.delete"), callbacks.build(FEATURE, "delete"))],
    )


def _confirm_buttons(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("privacy.delete.button.yes"), callbacks.build(FEATURE, "erase"))],
        [(context.text("privacy.delete.button.no"), callbacks.build(FEATURE, "keep"))],
    )


_ACTIONS = {
    "show": _show,
    "export": _export,
    "delete": _ask_delete,
    "erase": _erase,
    "keep": _keep,
    "leave": _leave,
    "wipe": _wipe,
}
