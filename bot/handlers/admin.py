"""``/stats``: totals for the people who run the bot (``ADMIN_IDS``), nothing about anyone.

It is not in ``bot.commands.COMMANDS`` on purpose: that list is the public menu and /help.
For anyone not listed the handler never matches, so the ordinary unknown-command answer
replies, exactly as for a typo: the command's existence is not revealed.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot import replies
from bot.context import BotContext
from scheduler.actions import admin

COMMAND = "stats"


def handler(admin_ids: frozenset[int]) -> CommandHandler[BotContext, None]:
    # filters.User with no ids matches nobody, so an unset ADMIN_IDS turns /stats off.
    only_admins = filters.ChatType.PRIVATE & filters.User(user_id=admin_ids)
    return CommandHandler(COMMAND, stats, filters=only_admins)


async def stats(update: Update, context: BotContext) -> None:
    totals = await admin.stats(context.store, context.services.clock.now())
    today = totals.deliveries_today
    await replies.send(
        update,
        context.text(
            "admin.stats",
            for_self=totals.subscribers_by_track.get("self", 0),
            for_partner=totals.subscribers_by_track.get("partner", 0),
            sent=today.get("sent", 0),
            skipped=today.get("skipped", 0),
            failures=today.get("blocked", 0) + today.get("claimed", 0),
            backlog=totals.backlog,
            blocked=totals.blocked,
        ),
    )
