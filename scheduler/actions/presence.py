"""Whether a person is reachable: Telegram's word that they blocked or unblocked the bot.

Only people already stored are touched: blocking a bot one never used stores nothing.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from scheduler.model import Subscriber
from scheduler.planning import replan
from scheduler.store import Store, Transaction

log = logging.getLogger(__name__)


async def went_away(store: Store, chat_id: int) -> bool:
    """The person blocked the bot: pause them now rather than at the next failed send."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None or not await tx.set_blocked(subscriber.id, blocked=True):
            return False
        log.info("subscriber %s blocked the bot; pausing them", subscriber.id)
        return True


async def come_back(store: Store, now: datetime, chat_id: int) -> bool:
    """They unblocked the bot, or sent /start: bring back someone still marked as having
    blocked it. True when that changed anything; nobody is created here."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None or not subscriber.blocked:
            return False
        await bring_back(tx, now, subscriber)
        return True


async def bring_back(tx: Transaction, now: datetime, subscriber: Subscriber) -> Subscriber:
    """The one way back for someone marked as having blocked the bot: unmark them and plan
    their schedules again. Returns the person as now stored.

    Also for an action about to plan a schedule: someone choosing a time is plainly
    reachable, even if the unblock update was lost."""
    if not subscriber.blocked:
        return subscriber
    back = replace(subscriber, blocked=False)  # only ``blocked`` changes: no second read
    if await tx.set_blocked(subscriber.id, blocked=False):
        await replan(tx, back, now)
        log.info("subscriber %s unblocked the bot; schedules resumed", subscriber.id)
    # Otherwise another update brought them back first, and planned their schedules.
    return back
