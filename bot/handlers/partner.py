"""``/partner``: invite a partner with a personal link, and end the link from either side.

An invite is a random code, shown once as a deep link (``/start inv-<code>``); only its hash
is stored, it works once and expires. Linked people see nothing of each other's progress or
settings: ending the link, or ``/delete`` on either side, tells the other person only that
sharing has ended.

Once linked, each person may choose "Same days as my partner": their own course takes the
partner's days and local time (each keeps their own track and time zone). While both chose
it, the evening after a lesson brings a short prompt to talk about it (``Kind.TALK``).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import replace
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import callbacks, replies, sharing
from bot.context import BotContext
from bot.keyboards import keyboard
from scheduler.planning import save_course

FEATURE = "ptr"
INVITE_PREFIX = "inv-"
INVITE_LIFETIME = timedelta(hours=48)

log = logging.getLogger(__name__)


def invite_hash(code: str) -> str:
    """What is stored of a code: enough to recognise it, never enough to rebuild the link."""
    return hashlib.sha256(code.encode()).hexdigest()


async def overview(update: Update, context: BotContext) -> None:
    """The command: the link's state and the one thing to do about it."""
    subscriber = await context.store.find_subscriber(replies.chat_id(update))
    linked = subscriber is not None and await context.store.partner_chat(subscriber.id) is not None
    if subscriber is not None and linked:
        markup = await _linked_keyboard(context, subscriber.id)
        await replies.send(update, context.text("partner.linked"), markup)
    else:
        await replies.send(update, context.text("partner.about"), _invite_keyboard(context))


async def on_button(update: Update, context: BotContext) -> None:
    data = callbacks.parse(update.callback_query.data if update.callback_query else None)
    if data is not None and data.action == "invite":
        await _invite(update, context)
    elif data is not None and data.action == "unlink":
        await _unlink(update, context)
    elif data is not None and data.action == "same":
        await _toggle_same_days(update, context)
    else:
        await replies.stale(update, context)


async def _invite(update: Update, context: BotContext) -> None:
    subscriber = await context.store.ensure_subscriber(replies.chat_id(update))
    code = secrets.token_urlsafe(12)  # 16 characters of A-Z a-z 0-9 _ -
    expires = context.services.clock.now() + INVITE_LIFETIME
    if not await context.store.create_invite(subscriber.id, invite_hash(code), expires):
        markup = await _linked_keyboard(context, subscriber.id)
        await replies.edit(update, context.text("partner.linked"), markup)
        return
    link = sharing.start_link(sharing.Share.of(context.bot), f"{INVITE_PREFIX}{code}")
    await replies.edit(update, context.text("partner.invite", link=link), None)
    log.info("subscriber %s made a partner invite", subscriber.id)


async def join(update: Update, context: BotContext, code: str) -> bool:
    """``/start inv-<code>``: link the person who tapped it with the one who made it.

    False, after saying so, when the code cannot be used."""
    if not sharing.PAYLOAD.fullmatch(code):
        await replies.send(update, context.text("partner.invalid"))
        return False
    subscriber = await context.store.ensure_subscriber(replies.chat_id(update))
    now = context.services.clock.now()
    inviter_chat = await context.store.join_invite(invite_hash(code), subscriber.id, now)
    if inviter_chat is None:
        await replies.send(update, context.text("partner.invalid"))
        return False
    await replies.send(update, context.text("partner.joined"))
    await _tell(context, inviter_chat, "partner.joined.inviter")
    log.info("subscriber %s joined a partner invite", subscriber.id)
    return True


async def _toggle_same_days(update: Update, context: BotContext) -> None:
    subscriber = await context.store.find_subscriber(replies.chat_id(update))
    partner = await context.store.partner_id(subscriber.id) if subscriber is not None else None
    if subscriber is None or partner is None:
        await replies.stale(update, context)
        return
    store = context.store
    if await store.same_days(subscriber.id):
        await store.set_same_days(subscriber.id, on=False)
        key = "partner.same_days.off"
    else:
        theirs = await store.course(partner)
        if not theirs.active or theirs.paused:
            markup = await _linked_keyboard(context, subscriber.id)
            await replies.edit(update, context.text("partner.same_days.none"), markup)
            return
        # Days and wall-clock time only: the track, position and time zone stay this person's.
        mine = replace(
            await store.course(subscriber.id), days=theirs.days, local_time=theirs.local_time
        )
        await save_course(store, subscriber, mine, context.services.clock.now())
        await store.set_same_days(subscriber.id, on=True)
        key = "partner.same_days.on"
        log.info("subscriber %s chose the same days as their partner", subscriber.id)
    await replies.edit(update, context.text(key), await _linked_keyboard(context, subscriber.id))


async def _unlink(update: Update, context: BotContext) -> None:
    subscriber = await context.store.find_subscriber(replies.chat_id(update))
    other = await context.store.unlink(subscriber.id) if subscriber is not None else None
    await replies.edit(update, context.text("partner.unlinked"), None)
    if other is not None:
        await _tell(context, other, "partner.ended")


async def before_erase(context: BotContext, chat_id: int) -> None:
    """``/delete`` is about to remove the link with everything else: the partner hears only
    that sharing has ended."""
    subscriber = await context.store.find_subscriber(chat_id)
    # Unlinking first also stops the partner's evening prompt, which erasing alone would not.
    other = await context.store.unlink(subscriber.id) if subscriber is not None else None
    if other is not None:
        await _tell(context, other, "partner.ended")


async def _tell(context: BotContext, chat_id: int, key: str) -> None:
    # The other person may have blocked the bot; that must not undo what this one chose.
    try:
        await context.bot.send_message(chat_id, context.text(key))
    except TelegramError as error:
        log.info("could not tell a linked partner (%s)", type(error).__name__)


def _invite_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard([(context.text("partner.button.invite"), callbacks.build(FEATURE, "invite"))])


async def _linked_keyboard(context: BotContext, subscriber_id: int) -> InlineKeyboardMarkup:
    on = await context.store.same_days(subscriber_id)
    same = "partner.button.same_days.stop" if on else "partner.button.same_days"
    return keyboard(
        [(context.text(same), callbacks.build(FEATURE, "same"))],
        [(context.text("partner.button.unlink"), callbacks.build(FEATURE, "unlink"))],
    )
