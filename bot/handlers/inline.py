"""Inline mode: ``@bot words`` in any chat finds lessons, techniques and phrases to send.

The card a result sends is written for someone who has never heard of the bot, and its title
and description (what the chat picker and previews show) stay plain. Nothing a person types
here is stored or logged: the query is matched and forgotten.
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)

from bot import sharing
from bot.context import BotContext
from lessons.model import Lesson, Situation, Technique
from lessons.search import MAX_QUERY_CHARACTERS, Shareable, search
from lessons.telegram_html import plain_text
from scheduler.actions import course

MAX_RESULTS = 50  # Telegram's limit for one answer
# Search results are the same for everyone; suggestions depend on the person's course.
GENERIC_CACHE_SECONDS = 300
PERSONAL_CACHE_SECONDS = 30
_TITLE_CHARACTERS = 64
_SUGGESTED_PHRASES = (Situation.BEFORE, Situation.COMFORTING, Situation.AFTER)


async def answer(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    text = query.query[:MAX_QUERY_CHARACTERS]
    if _is_invite(text):
        # From the invite's share button: one card, for the partner, holding the link.
        await query.answer([_invite_card(context, text)], cache_time=0, is_personal=True)
        return
    personal = not text.strip()
    if personal:
        entries = await _suggestions(context, query.from_user.id)
    else:
        entries = search(context.catalog, text, MAX_RESULTS)
    share = sharing.Share.of(context.bot)
    await query.answer(
        [_article(context, entry, share) for entry in entries[:MAX_RESULTS]],
        cache_time=PERSONAL_CACHE_SECONDS if personal else GENERIC_CACHE_SECONDS,
        # Cards are in the sharer's language: unless marked personal, Telegram hands the
        # same answer to everyone who types the same words, whatever language they read.
        is_personal=personal or len(context.library.languages) > 1,
    )


async def _suggestions(context: BotContext, user_id: int) -> list[Shareable]:
    """The lesson the person read last (or would read next, or day 1), then a few phrases.

    In a private chat the chat id is the person's id; nobody new is stored by asking."""
    catalog = context.catalog
    lesson = await course.suggested_lesson(context.store, catalog, user_id)
    phrases = [catalog.phrases_for(s)[0] for s in _SUGGESTED_PHRASES if catalog.phrases_for(s)]
    return [*([lesson] if lesson is not None else []), *phrases]


def _article(
    context: BotContext, entry: Shareable, share: sharing.Share
) -> InlineQueryResultArticle:
    catalog = context.catalog
    return InlineQueryResultArticle(
        id=entry.id,
        title=_title(entry),
        description=catalog.text(f"share.kind.{_kind(entry)}"),
        input_message_content=InputTextMessageContent(sharing.card_html(catalog, entry)),
        reply_markup=sharing.card_markup(catalog, entry, share),
    )


def _is_invite(text: str) -> bool:
    return text.startswith(sharing.INVITE_PREFIX) and bool(sharing.PAYLOAD.fullmatch(text))


def _invite_card(context: BotContext, start: str) -> InlineQueryResultArticle:
    """The invite as the partner receives it: a discreet first line and one button. The
    code is only put into the link, never looked up, stored or logged here."""
    share = sharing.Share.of(context.bot)
    link = sharing.start_link(share, start)
    buttons = [[InlineKeyboardButton(context.text("partner.invite.card.open"), url=link)]]
    return InlineQueryResultArticle(
        id="invite",
        title=context.text("partner.invite.card.title"),
        description=context.text("partner.invite.card.description"),
        input_message_content=InputTextMessageContent(context.text("partner.invite.card")),
        reply_markup=InlineKeyboardMarkup(buttons) if link is not None else None,
    )


def _title(entry: Shareable) -> str:
    if isinstance(entry, Lesson):
        words = entry.title
    elif isinstance(entry, Technique):
        words = entry.name
    else:
        words = entry.text
    title = plain_text(words)
    return title if len(title) <= _TITLE_CHARACTERS else title[: _TITLE_CHARACTERS - 1] + "…"


def _kind(entry: Shareable) -> str:
    if isinstance(entry, Lesson):
        return "lesson"
    return "technique" if isinstance(entry, Technique) else "phrase"
