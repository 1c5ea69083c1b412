"""``/privacy``, ``/export``, ``/delete`` and ``/stop``: what is kept, a copy of it, erasing
it, and silencing every scheduled message at once."""

from __future__ import annotations

import json
import logging

from telegram import Update
from telegram.error import BadRequest, TelegramError

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import BotContext, remembered_language
from bot.handlers.partner import tell_ended
from bot.ui import export as export_ui
from bot.ui import language as language_ui
from bot.ui import privacy as ui
from bot.ui import tailor as tailor_ui
from scheduler.actions import privacy as actions
from scheduler.actions import tailoring
from scheduler.actions.refusals import Refusal
from scheduler.delivery import DEFAULT_RETENTION

log = logging.getLogger(__name__)

EXPORT_FILENAME = "soft-landing-my-data.json"
# Telegram deletes at most 100 messages a call, and only those younger than 48 hours; a
# private chat numbers its messages one after another, so the recent ones are a range of ids.
_DELETE_BATCH = 100
_DELETE_REACH = 1000


async def explain(update: Update, context: BotContext) -> None:
    """What is kept in general, the language, how long the delivery log is kept, then the
    person's own course answers, if any are stored."""
    view = await tailoring.tailoring(context.store, context.catalog, replies.chat_id(update))
    retention = context.text("privacy.retention", days=DEFAULT_RETENTION.days)
    language = context.text(
        "privacy.language", language=language_ui.name(context, context.language)
    )
    text = f"{context.text('privacy.explain')}\n\n{language}\n\n{retention}"
    if view is not None:
        text += "\n\n" + tailor_ui.privacy_lines(context.catalog, view.profile)
    await replies.send(update, text, ui.privacy_keyboard(context))


async def export(update: Update, context: BotContext) -> None:
    """What is stored, first in plain words, then every row as a JSON file to keep."""
    chat = update.effective_chat
    assert chat is not None
    data = await actions.export(context.store, context.catalog, chat.id)
    if data is None:
        await chat.send_message(context.text("privacy.export.empty"))
        return
    language = language_ui.name(context, data.subscriber.language)
    await chat.send_message(export_ui.readable(context, data, language))
    payload = json.dumps(data.tables, indent=2, sort_keys=True, ensure_ascii=False).encode()
    await chat.send_document(
        document=payload, filename=EXPORT_FILENAME, caption=context.text("privacy.export.caption")
    )


async def confirm_delete(update: Update, context: BotContext) -> None:
    await replies.send(update, context.text("privacy.delete.confirm"), ui.confirm_keyboard(context))


async def stop_everything(update: Update, context: BotContext) -> None:
    """Names /reminders only when there are reminders kept for it to bring back."""
    stopped = await actions.stop_everything(context.store, replies.chat_id(update))
    key = "privacy.stopped.reminders" if stopped.reminders_kept else "privacy.stopped"
    await replies.send(update, context.text(key))


async def _show(press: Press) -> None:
    await explain(press.update, press.context)


async def _export(press: Press) -> None:
    await export(press.update, press.context)


async def _ask_delete(press: Press) -> None:
    await confirm_delete(press.update, press.context)


async def _erase(press: Press) -> None:
    context = press.context
    # Said in the language the person was reading, which the erase forgets with the rest.
    voice = context.voice(context.language)
    erased = await actions.erase(context.store, press.now, press.chat_id)
    if isinstance(erased, Refusal):
        # Never "done" early: the person is told plainly, the erase is tried again by itself
        # until it commits (see finish_owed_erases), and the button tries it at once.
        context.erases.failed(press.chat_id, press.now, press.message_id)
        await press.edit(press.text("privacy.delete.unfinished"), ui.confirm_keyboard(context))
        return
    context.erases.settle(press.chat_id)
    await _after_erase(context, press.chat_id, erased)
    markup = ui.erased_keyboard(voice, press.message_id or 0)
    await press.edit(voice.text("privacy.delete.done"), markup)


async def _after_erase(context: BotContext, chat_id: int, erased: actions.Erased) -> None:
    """The partner is told sharing ended, and the in-memory conversation state goes too,
    the remembered language with it: nothing about the person outlives the erase (in a
    private chat, user and chat ids are one)."""
    if erased.partner_chat is not None:
        await tell_ended(context, erased.partner_chat)
    # Cleared, not only dropped: a handler running now may still hold this chat's dict.
    state = context.application.chat_data.get(chat_id)
    if state is not None:
        state.clear()
    context.application.drop_user_data(chat_id)


async def finish_owed_erases(context: BotContext) -> None:
    """A job: erases that failed are tried again, waiting longer after each failure, until
    they commit; then the person gets one message saying it is done, and the buttons of the
    "not erased yet" message go, since neither applies any more."""
    erases = context.erases
    if not erases:
        return
    now = context.services.clock.now()
    for finished in await actions.finish_owed_erases(context.store, erases, now):
        chat_id = finished.chat_id
        # Read before the erase's memory goes; a restart has forgotten it: the default then.
        voice = context.voice(remembered_language(context.application, chat_id))
        await _after_erase(context, chat_id, finished.erased)
        try:
            if finished.message_id is not None:
                await context.bot.edit_message_reply_markup(chat_id, finished.message_id)
            await context.bot.send_message(
                chat_id,
                voice.text("erase.finished"),
                reply_markup=ui.erased_keyboard(voice, finished.message_id or 0),
            )
        except TelegramError as error:
            # The erase stands: what could not be said changes nothing that was done.
            log.info("could not say an owed erase is done (%s)", type(error).__name__)


async def _keep(press: Press) -> None:
    # Changing one's mind after an erase that failed: nothing is owed any more.
    press.context.erases.settle(press.chat_id)
    await press.edit(press.text("privacy.delete.kept"))


async def _leave(press: Press) -> None:
    await press.edit(press.text("privacy.delete.left"))


async def _wipe(press: Press, newest: int) -> None:
    """Delete the recent messages of this chat, both sides, as far as Telegram allows."""
    newest = max(newest, press.message_id or 0)
    oldest = max(1, newest - _DELETE_REACH + 1)
    for end in range(newest, oldest - 1, -_DELETE_BATCH):
        ids = list(range(max(oldest, end - _DELETE_BATCH + 1), end + 1))
        try:
            await press.context.bot.delete_messages(press.chat_id, ids)
        except BadRequest:
            # Older than 48 hours or already gone: nothing more can be removed by the bot.
            log.debug("stopped deleting messages at a batch Telegram refused")
            break
    # An alert rather than a message, so the cleared chat stays clear.
    press.say("privacy.delete.wiped", alert=True)


BUTTONS = buttons.router(
    ui.PRIVACY,
    on(ui.SHOW, _show),
    on(ui.EXPORT, _export),
    on(ui.ASK_DELETE, _ask_delete),
    on(ui.ERASE, _erase),
    on(ui.KEEP, _keep),
    on(ui.LEAVE, _leave),
    on(ui.WIPE, _wipe),
)
