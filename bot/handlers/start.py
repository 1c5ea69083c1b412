"""``/start``: the welcome, and the door that deep links open.

A deep link (``/start PAYLOAD``) naming a shared lesson, technique or phrase opens it for
whoever tapped it, usually a partner new to the bot, then offers three ways in written for
them: what they can say, why this happens, then the course for partners. A partner's invite
links the two people. ``/start share`` (inline mode's "no lesson to share yet") is
``/share``. Any other payload, well formed or not, gets the ordinary welcome: a link is
untrusted input.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import replies, sharing
from bot.context import BotContext
from bot.handlers import course, partner, presence
from bot.ui import lessons, phrases, privacy, render, techniques
from bot.ui.daily import BEGIN, RESUME, SHOW
from bot.ui.keyboards import keyboard
from bot.ui.partner import PARTNER_COURSE
from bot.ui.progress import standing
from scheduler.actions import schedule
from scheduler.actions.schedule import Overview, Standing

WHY_LESSON = "partner-common-and-why"
"""The partner course's lesson on why this happens, offered on its own from the landing."""


async def welcome(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    payload = context.args[0] if context.args and len(context.args) == 1 else None
    code = _invite_code(payload)
    # A partner's invite: once linked, the partner picks a course like anyone else; an
    # invite that cannot be used is explained, then the ordinary welcome follows. Joining
    # brings back someone marked as having blocked the bot, in its own transaction.
    if code is not None and await partner.join(update, context, code):
        return
    if payload == sharing.SHARE_START:
        # From inline mode's "no lesson to share yet": /share says what to do.
        await course.share_last(update, context)
        return
    entry = sharing.entry_for(context.catalog, payload)
    if entry is not None:
        # A safety net for a lost my_chat_member update: someone still marked as having
        # blocked the bot is plainly back. Only /start looks: other commands cost no look-up.
        await presence.come_back(context, replies.chat_id(update))
        await replies.send(update, render.entry_html(entry, context.catalog))
        await replies.send(update, context.text("share.landing"), _landing(context))
        return
    now = context.services.clock.now()
    overview = await schedule.arrive(context.store, context.catalog, now, replies.chat_id(update))
    if overview is None or overview.standing is Standing.NEW:
        await message.reply_text(context.text("start.welcome"), reply_markup=_choices(context))
        return
    text, markup = _welcome_back(context, overview)
    await replies.send(update, text, markup)


def _welcome_back(context: BotContext, overview: Overview) -> tuple[str, InlineKeyboardMarkup]:
    """For someone set up already: where they stand and the buttons that matter now, never
    the first-time offer of a daily lesson."""
    now_row = [(context.text("start.button.now"), techniques.MENU.data())]
    where = standing(context, overview)
    if overview.standing is Standing.FINISHED:
        text = context.text("progress.back.finished") + "\n" + where
        track = overview.course.track
        ways = lessons.complete_keyboard(context.catalog, track, overview.rested).inline_keyboard
        return text, keyboard(*ways, now_row)
    if overview.standing is Standing.STOPPED:
        text = context.text("progress.back.stopped", standing=where)
        resume = (context.text("progress.resume.button"), RESUME.data())
        return text, keyboard([resume], now_row)
    text = context.text("progress.back", standing=where)
    return text, keyboard([(context.text("progress.button.daily"), SHOW.data())], now_row)


def _landing(context: BotContext) -> InlineKeyboardMarkup:
    """For someone new who opened a shared card: words first, then why, then the course."""
    why = context.catalog.lesson(WHY_LESSON)
    return keyboard(
        [(context.text("share.landing.say"), phrases.MENU.data())],
        [(context.text("share.landing.why"), lessons.READ.data(why))],
        [(context.text("share.landing.course"), PARTNER_COURSE.data())],
    )


def _invite_code(payload: str | None) -> str | None:
    if payload is None or not payload.startswith(partner.INVITE_PREFIX):
        return None
    return payload.removeprefix(partner.INVITE_PREFIX)


def _choices(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("start.button.daily"), BEGIN.data())],
        [(context.text("start.button.now"), techniques.MENU.data())],
        [(context.text("start.button.privacy"), privacy.SHOW.data())],
    )
