"""``/phrases``: words for a partner conversation, picked by situation, one at a time.

Every tap edits the same message, so browsing leaves one tidy message behind. Buttons carry
indices, not text, and every index is checked: an old keyboard may point past a list that
has since changed.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot import callbacks, render, replies, sharing
from bot.context import BotContext
from bot.keyboards import Row, in_rows, keyboard
from lessons.model import Phrase, Situation

FEATURE = "phr"
SITUATIONS: tuple[Situation, ...] = tuple(Situation)


async def menu(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    assert chat is not None  # commands only come from private chats
    await chat.send_message(
        context.text("phrases.menu.title"), reply_markup=_menu_keyboard(context)
    )


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = callbacks.parse(query.data)
    if data is None:
        await replies.stale(update, context)
    elif data.action == "menu":
        await query.answer()
        await _show(update, context.text("phrases.menu.title"), _menu_keyboard(context))
    elif data.action in {"sit", "more"}:
        await _phrase(update, context, data.arg(0), data.arg(1))
    elif data.action == "share":
        await _share(update, context, data.arg())
    else:
        await query.answer(context.text("phrases.unknown"), show_alert=True)


async def _phrase(
    update: Update, context: BotContext, situation_arg: str | None, index_arg: str | None
) -> None:
    """One phrase of a situation: the first one, or the one "Another one" points at."""
    query = update.callback_query
    assert query is not None
    number = _index(situation_arg, len(SITUATIONS))
    if number is None:
        await query.answer(context.text("phrases.unknown"), show_alert=True)
        return
    situation = SITUATIONS[number]
    phrases = context.catalog.phrases_for(situation)
    await query.answer()
    if not phrases:
        await _show(update, context.text("phrases.empty"), _menu_keyboard(context))
        return
    # A list that changed since the button was made starts again from its first phrase.
    index = _index(index_arg, len(phrases)) or 0
    text = _phrase_text(context, situation, phrases, index)
    await _show(update, text, _phrase_keyboard(context, situation, phrases, index))


async def _share(update: Update, context: BotContext, phrase_id: str | None) -> None:
    """Without inline mode: the words to forward, with no word about who sends them."""
    query = update.callback_query
    assert query is not None
    phrase = _find(context, phrase_id)
    if phrase is None:
        await query.answer(context.text("phrases.unknown"), show_alert=True)
        return
    await query.answer()
    await sharing.send_copy(update, context, phrase, context.text("phrases.share.note"))


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    """Edit the tapped message in place, or send anew when it is too old to reach."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message):
        chat = update.effective_chat
        assert chat is not None
        await chat.send_message(text, reply_markup=markup)
    else:
        await replies.edit_message(message, text, markup)


def _phrase_text(
    context: BotContext, situation: Situation, phrases: tuple[Phrase, ...], index: int
) -> str:
    heading = context.text(
        "phrases.heading",
        situation=_label(context, situation),
        position=index + 1,
        total=len(phrases),
    )
    return f"{heading}\n\n{render.phrase_html(phrases[index], context.catalog)}"


def _phrase_keyboard(
    context: BotContext, situation: Situation, phrases: tuple[Phrase, ...], index: int
) -> InlineKeyboardMarkup:
    rows: list[Row] = []
    if len(phrases) > 1:
        following = (index + 1) % len(phrases)
        more = callbacks.build(FEATURE, "more", SITUATIONS.index(situation), following)
        rows.append([(context.text("phrases.button.more"), more)])
    label = context.text("phrases.button.share")
    fallback = callbacks.build(FEATURE, "share", phrases[index].id)
    share = sharing.share_button(label, phrases[index], sharing.Share.of(context.bot), fallback)
    rows.append([(context.text("phrases.button.menu"), callbacks.build(FEATURE, "menu")), share])
    return keyboard(*rows)


def _menu_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    buttons = [
        (_label(context, situation), callbacks.build(FEATURE, "sit", number))
        for number, situation in enumerate(SITUATIONS)
    ]
    return keyboard(*in_rows(buttons, 2))


def _label(context: BotContext, situation: Situation) -> str:
    return context.text(f"phrases.situation.{situation.name.lower()}")


def _index(arg: str | None, size: int) -> int | None:
    """A list position read back from a button, or None when it is not one."""
    if arg is None or not arg.isdigit() or int(arg) >= size:
        return None
    return int(arg)


def _find(context: BotContext, phrase_id: str | None) -> Phrase | None:
    if phrase_id is None:
        return None
    try:
        return context.catalog.phrase(phrase_id)
    except KeyError:
        return None
