"""``/help`` and every answer of last resort: nothing a person sends meets silence.

Typed text outside any flow is answered by ``bot.handlers.care``."""

from __future__ import annotations

import logging

from telegram import Update

from bot import commands
from bot.context import BotContext

log = logging.getLogger(__name__)


async def help_command(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(commands.help_text(context.catalog))


async def unknown_command(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.text("fallback.unknown_command"))


async def on_location(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.text("fallback.location"))


async def on_other(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice notes: the bot reads only text and locations."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.text("fallback.other"))


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure without any user content, and tell the person something went wrong."""
    log.error("update failed: %s", type(context.error).__name__, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(context.text("fallback.error"))
        except Exception:  # the apology itself failed; the log already has the cause
            log.warning("could not send the error apology", exc_info=True)
