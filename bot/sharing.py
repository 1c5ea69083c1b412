"""Sharing an entry with a partner: share buttons, cards that travel, and deep links back.

With inline mode on (BotFather's ``/setinline``), a share button opens Telegram's chat picker
with a query naming the entry, and the partner receives a card sent "via" the bot. Without
it, the button asks the bot for a clean copy to forward. Either way the card ends with one
link, ``https://t.me/<bot>?start=<payload>``, that opens the same entry in the bot.

Payloads are ``l-<id>``, ``t-<id>`` and ``p-<id>`` for a lesson, a technique and a phrase.
Content ids are lower-case words joined by "-", so a payload always fits Telegram's rule. A
share button's inline query is the same payload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    SwitchInlineQueryChosenChat,
    Update,
)

from bot import replies
from bot.context import BotContext
from bot.ui import render
from lessons.model import Catalog, Lesson, Phrase, Technique, Track
from lessons.search import Shareable

# Telegram's rule for a deep link's start parameter.
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
INVITE_PREFIX = "inv-"
"""A partner invite's start parameter: ``inv-<code>``."""
SHARE_START = "share"
"""The start parameter that opens ``/share``: where inline mode sends someone with no
lesson to share yet."""
_PREFIXES: dict[type[Shareable], str] = {Lesson: "l", Technique: "t", Phrase: "p"}


@dataclass(frozen=True, slots=True)
class Share:
    """How this bot can share: by inline mode or by forwarding, and its username for links."""

    username: str | None
    inline: bool

    @classmethod
    def of(cls, bot: Bot) -> Share:
        """Read from ``getMe``, which PTB calls once at start-up."""
        return cls(bot.username, bool(bot.supports_inline_queries))


# Scheduled messages rendered where no bot is at hand (benchmarks) share by forwarding.
FORWARD_ONLY = Share(username=None, inline=False)


def payload(entry: Shareable) -> str:
    return f"{_PREFIXES[type(entry)]}-{entry.id}"


def entry_for(catalog: Catalog, value: str | None) -> Shareable | None:
    """The entry a deep-link payload names, or None for anything else."""
    if value is None or not PAYLOAD.fullmatch(value):
        return None
    prefix, _, entry_id = value.partition("-")
    entry = catalog.entry(entry_id)
    if isinstance(entry, Lesson | Technique | Phrase) and _PREFIXES[type(entry)] == prefix:
        return entry
    return None


def deep_link(share: Share, entry: Shareable) -> str | None:
    return start_link(share, payload(entry))


def start_link(share: Share, start: str) -> str | None:
    """A link that opens the bot with ``/start <start>``; None when the bot's name is unknown."""
    if share.username is None:
        return None
    return f"https://t.me/{share.username}?start={start}"


def share_button(label: str, entry: Shareable, share: Share, fallback: str) -> InlineKeyboardButton:
    """The "Share with partner" button: Telegram's chat picker, limited to one-to-one chats
    with people, or, without inline mode, the ``fallback`` callback that sends a copy."""
    if not share.inline:
        return InlineKeyboardButton(label, callback_data=fallback)
    # The query names the entry as its links do, so it answers that entry alone; plain
    # words would also match lessons the person has not reached.
    chosen = SwitchInlineQueryChosenChat(
        query=payload(entry),
        allow_user_chats=True,
        allow_bot_chats=False,
        allow_group_chats=False,
        allow_channel_chats=False,
    )
    return InlineKeyboardButton(label, switch_inline_query_chosen_chat=chosen)


def card_html(catalog: Catalog, entry: Shareable) -> str:
    """What the partner reads: a line saying who it comes from and what it is (the first
    line, all a chat list or a notification shows), then the entry itself. A lesson written
    for the person who cries says so, since its "you" is not the reader."""
    intro = catalog.text("share.card.intro")
    if isinstance(entry, Lesson) and entry.track is Track.SELF:
        intro = f"{intro}\n{catalog.text('share.card.self_note')}"
    return f"{intro}\n\n{render.entry_html(entry, catalog)}"


def card_markup(catalog: Catalog, entry: Shareable, share: Share) -> InlineKeyboardMarkup | None:
    link = deep_link(share, entry)
    if link is None:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(catalog.text("share.button.open"), url=link)]]
    )


async def send_copy(update: Update, context: BotContext, entry: Shareable, note: str) -> None:
    """Without inline mode: a note, then a clean card to forward, with nothing about the
    sender in it."""
    share = Share.of(context.bot)
    await replies.send(update, note)
    await replies.send(
        update, card_html(context.catalog, entry), card_markup(context.catalog, entry, share)
    )
