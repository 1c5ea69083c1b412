"""What happens before every command, whatever the command is."""

from __future__ import annotations

from telegram import Update

from bot import pending
from bot.context import BotContext
from scheduler.planning import replan


async def on_command(update: Update, context: BotContext) -> None:
    # A command leaves any half-finished question behind, so the next text is not misread.
    pending.done(context)
    chat = update.effective_chat
    if chat is None:
        return
    subscriber = await context.store.find_subscriber(chat.id)
    if subscriber is not None and subscriber.blocked:
        # Someone who blocked the bot is writing again: their schedules come back to life.
        await context.store.set_blocked(subscriber.id, blocked=False)
        fresh = await context.store.find_subscriber(chat.id)
        if fresh is not None:
            await replan(context.store, fresh, context.services.clock.now())
