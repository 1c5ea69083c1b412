"""``/start``: the welcome, and the door that deep links open.

A deep link (``/start PAYLOAD``) naming a shared lesson, technique or phrase opens it for
whoever tapped it, usually a partner new to the bot, then offers a course. Any other payload,
well formed or not, gets the ordinary welcome: a link is untrusted input.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import replies, sharing
from bot.context import BotContext
from bot.handlers import daily, partner, presence
from bot.ui import lessons, privacy, render, techniques
from bot.ui.daily import BEGIN, RESUME, SHOW
from bot.ui.keyboards import keyboard
from bot.ui.progress import standing
from scheduler.actions import schedule
from scheduler.actions.schedule import Overview, Standing


async def welcome(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    # A safety net for a lost my_chat_member update: someone still marked as having blocked
    # the bot is plainly back. Only /start looks, so other commands cost no look-up.
    await presence.come_back(context, replies.chat_id(update))
    payload = context.args[0] if context.args and len(context.args) == 1 else None
    # A partner's invite: once linked, the partner picks a course like anyone else; an
    # invite that cannot be used is explained, then the ordinary welcome follows.
    if (
        payload is not None
        and payload.startswith(partner.INVITE_PREFIX)
        and await partner.join(update, context, payload.removeprefix(partner.INVITE_PREFIX))
    ):
        await _invite(update, context)
        return
    entry = sharing.entry_for(context.catalog, payload)
    if entry is not None:
        await replies.send(update, render.entry_html(entry, context.catalog))
        await _invite(update, context)
        return
    overview = await schedule.course_overview(
        context.store, context.catalog, replies.chat_id(update)
    )
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
        ways = lessons.complete_keyboard(context.catalog, overview.course.track).inline_keyboard
        return text, keyboard(*ways, now_row)
    if overview.standing is Standing.STOPPED:
        text = context.text("progress.back.stopped", standing=where)
        resume = (context.text("progress.resume.button"), RESUME.data())
        return text, keyboard([resume], now_row)
    text = context.text("progress.back", standing=where)
    return text, keyboard([(context.text("progress.button.daily"), SHOW.data())], now_row)


async def _invite(update: Update, context: BotContext) -> None:
    """The /daily flow, opened at its first question: which course, partner's first."""
    await daily.ask_track(update, context, "share.invite")


def _choices(context: BotContext) -> InlineKeyboardMarkup:
    return keyboard(
        [(context.text("start.button.daily"), BEGIN.data())],
        [(context.text("start.button.now"), techniques.MENU.data())],
        [(context.text("start.button.privacy"), privacy.SHOW.data())],
    )
