"""The chats the stand-in keeps: every live message as Telegram's servers hold it, the Bot API
methods that send, edit and delete messages, and the blocks and flood control that refuse them."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .html_reader import Rendered, render
from .markup import buttons_of, check_markup, inline_only, reply_keyboard_of
from .model import (
    DELETE_NOT_FOUND,
    EDIT_NOT_FOUND,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    NOT_MODIFIED,
    ApiError,
    BotMessage,
    Call,
    JSONDict,
    UploadedFile,
    bad_request,
    json_copy,
)


@dataclass
class _Stored:
    """One live message in a chat: the JSON Telegram would return, plus what tests look at."""

    data: JSONDict
    from_bot: bool
    raw_text: str = ""
    parse_mode: str | None = None
    entities: tuple[tuple[Any, ...], ...] = ()
    markup: JSONDict | None = None
    document: UploadedFile | None = None
    disable_notification: bool = False
    edited: bool = False


def chat_id_of(params: Mapping[str, Any]) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise bad_request("chat_id is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        # "@channelname" style ids: the bot never talks to channels.
        raise bad_request("chat not found") from None


def _message_id_of(params: Mapping[str, Any]) -> int:
    value = params.get("message_id")
    if value is None:
        raise bad_request("message identifier is not specified")
    return int(value)


class Chats:
    """Every chat's messages, both ways. ``emit`` hears each message the bot sends or edits,
    as it looks at that moment; ``bot_user`` is the bot as a message's sender.

    ``keep_sent`` False keeps none of the messages the bot sends (they cannot be read back,
    edited or deleted here, and ``emit`` does not hear them); ``sent_to`` and
    ``paid_sends`` still count them."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
        bot_user: Callable[[], JSONDict],
        emit: Callable[[BotMessage], None],
        max_per_second: float | None,
        max_per_chat_per_second: float | None,
        keep_sent: bool = True,
    ) -> None:
        self.clock = clock
        self.keep_sent = keep_sent
        self.sent_to: list[int] = []
        """The chat of every message the bot sent, in order."""
        self.paid_sends = 0
        """How many of them carried ``allow_paid_broadcast``."""
        self.monotonic = monotonic
        self.max_per_second = max_per_second
        self.max_per_chat_per_second = max_per_chat_per_second
        self.rejected_by_rate_limit = 0
        self._bot_user = bot_user
        self._emit = emit
        self._chats: dict[int, JSONDict] = {}
        self._history: dict[int, dict[int, _Stored]] = {}
        self._last_message_id: dict[int, int] = {}
        self._blocked: set[int] = set()
        self._sent_times: deque[float] = deque()
        self._chat_sent_times: dict[int, deque[float]] = {}
        self._file_ids = itertools.count(1)

    # -- Chats and what is in them --------------------------------------------------------------

    def register(self, chat: Mapping[str, Any]) -> None:
        self._chats[int(chat["id"])] = dict(chat)

    def chat(self, chat_id: int) -> JSONDict:
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        # Unknown chats (a scheduled send in a test that never chatted): Telegram's id signs.
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Someone"}
        return {"id": chat_id, "type": "group", "title": "A group"}

    def timestamp(self) -> int:
        return int(self.clock().timestamp())

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def incoming(
        self, chat_id: int, sender: Mapping[str, Any], content: Mapping[str, Any]
    ) -> JSONDict:
        data: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "date": self.timestamp(),
            "chat": self.chat(chat_id),
            "from": dict(sender),
            **content,
        }
        self._history.setdefault(chat_id, {})[data["message_id"]] = _Stored(data, from_bot=False)
        return json_copy(data)

    def bot_messages(self, chat_id: int) -> list[BotMessage]:
        return [
            self._view(stored)
            for stored in self._history.get(chat_id, {}).values()
            if stored.from_bot
        ]

    def bot_message(self, chat_id: int, message_id: int) -> BotMessage | None:
        stored = self._history.get(chat_id, {}).get(message_id)
        return self._view(stored) if stored is not None and stored.from_bot else None

    def raw_message(self, chat_id: int, message_id: int) -> JSONDict | None:
        stored = self._history.get(chat_id, {}).get(message_id)
        return json_copy(stored.data) if stored is not None else None

    # -- Blocks ---------------------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def is_blocked(self, chat_id: int) -> bool:
        return chat_id in self._blocked

    def _check_not_blocked(self, chat_id: int) -> None:
        if chat_id in self._blocked:
            reason = (
                "bot was blocked by the user"
                if chat_id > 0
                else "bot was kicked from the group chat"
            )
            raise ApiError(403, f"Forbidden: {reason}")

    # -- Sending --------------------------------------------------------------------------------

    def send_message(self, call: Call) -> JSONDict:
        chat_id = chat_id_of(call.params)
        self._admit(chat_id)
        rendered = self._checked_text(call.params)
        stored = self._store_outgoing(
            chat_id,
            {"text": rendered.text},
            call.params,
            rendered,
            raw_text=str(call.params["text"]),
        )
        return stored.data

    def send_document(self, call: Call) -> JSONDict:
        chat_id = chat_id_of(call.params)
        self._admit(chat_id)
        upload = self._document_upload(call)
        params = call.params
        caption = render(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
        )
        if len(caption.text) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        content: JSONDict = {"document": self._document_json(upload, params)}
        if caption.text:
            content["caption"] = caption.text
        raw_caption = str(params.get("caption") or "")
        stored = self._store_outgoing(
            chat_id, content, params, caption, raw_text=raw_caption, document=upload
        )
        return stored.data

    def _document_upload(self, call: Call) -> UploadedFile | None:
        if "document" in call.files:
            return call.files["document"]
        if call.params.get("document"):
            return None  # a file_id or URL: nothing was uploaded
        raise bad_request("there is no document in the request")

    def _document_json(self, upload: UploadedFile | None, params: Mapping[str, Any]) -> JSONDict:
        if upload is None:
            return {"file_id": str(params["document"]), "file_unique_id": str(params["document"])}
        number = next(self._file_ids)
        return {
            "file_id": f"standin-document-{number}",
            "file_unique_id": f"standin-{number}",
            "file_name": upload.filename,
            "mime_type": upload.mime_type,
            "file_size": len(upload.content),
        }

    def send_chat_action(self, call: Call) -> bool:
        chat_id = chat_id_of(call.params)
        self._check_not_blocked(chat_id)
        return True

    def _checked_text(self, params: Mapping[str, Any]) -> Rendered:
        rendered = render(params.get("text"), params.get("parse_mode"), params.get("entities"))
        if not rendered.text:
            raise bad_request("message text is empty")
        if len(rendered.text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        return rendered

    def _store_outgoing(
        self,
        chat_id: int,
        content: JSONDict,
        params: Mapping[str, Any],
        rendered: Rendered,
        *,
        raw_text: str,
        document: UploadedFile | None = None,
    ) -> _Stored:
        markup = check_markup(params.get("reply_markup"))
        data: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "date": self.timestamp(),
            "chat": self.chat(chat_id),
            "from": self._bot_user(),
            **content,
        }
        if (inline := inline_only(markup)) is not None:
            data["reply_markup"] = inline
        stored = _Stored(
            data,
            from_bot=True,
            raw_text=raw_text,
            parse_mode=params.get("parse_mode"),
            entities=rendered.entities,
            markup=markup,
            document=document,
            disable_notification=bool(params.get("disable_notification")),
        )
        self._count_sent(chat_id)
        self.sent_to.append(chat_id)
        self.paid_sends += bool(params.get("allow_paid_broadcast"))
        if self.keep_sent:
            self._history.setdefault(chat_id, {})[data["message_id"]] = stored
            self._emit(self._view(stored))
        return stored

    # -- Limits ---------------------------------------------------------------------------------

    def _admit(self, chat_id: int) -> None:
        """Refuses a new message to a blocked chat, or one over the configured rate."""
        self._check_not_blocked(chat_id)
        now = self.monotonic()
        per_chat = self._chat_sent_times.get(chat_id, deque())
        for window in (self._sent_times, per_chat):
            while window and window[0] <= now - 1.0:
                window.popleft()
        if not per_chat:
            # Only chats written to in the last second are remembered.
            self._chat_sent_times.pop(chat_id, None)
        over_all = self.max_per_second is not None and len(self._sent_times) >= self.max_per_second
        over_chat = (
            self.max_per_chat_per_second is not None
            and len(per_chat) >= self.max_per_chat_per_second
        )
        if over_all or over_chat:
            self.rejected_by_rate_limit += 1
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)

    def _count_sent(self, chat_id: int) -> None:
        # Only accepted messages fill the window, as with Telegram's flood control.
        if self.max_per_second is None and self.max_per_chat_per_second is None:
            return
        now = self.monotonic()
        self._sent_times.append(now)
        self._chat_sent_times.setdefault(chat_id, deque()).append(now)

    # -- Editing --------------------------------------------------------------------------------

    def _editable(self, params: Mapping[str, Any]) -> _Stored:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # the bot sends no inline messages
        chat_id = chat_id_of(params)
        self._check_not_blocked(chat_id)
        stored = self._history.get(chat_id, {}).get(_message_id_of(params))
        if stored is None:
            raise ApiError(400, EDIT_NOT_FOUND)
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return stored

    def edit_message_text(self, call: Call) -> JSONDict:
        stored = self._editable(call.params)
        if stored.document is not None or "text" not in stored.data:
            raise bad_request("there is no text in the message to edit")
        rendered = self._checked_text(call.params)
        # Telegram drops the keyboard when an edit does not repeat it.
        markup = check_markup(call.params.get("reply_markup"))
        unchanged = (rendered.text, rendered.entities) == (stored.data["text"], stored.entities)
        if unchanged and markup == inline_only(stored.markup):
            raise ApiError(400, NOT_MODIFIED)
        stored.data["text"] = rendered.text
        stored.raw_text = str(call.params["text"])
        stored.parse_mode = call.params.get("parse_mode")
        stored.entities = rendered.entities
        return self._apply_edit(stored, markup)

    def edit_message_reply_markup(self, call: Call) -> JSONDict:
        stored = self._editable(call.params)
        markup = check_markup(call.params.get("reply_markup"))
        if markup == inline_only(stored.markup):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(stored, markup)

    def _apply_edit(self, stored: _Stored, markup: JSONDict | None) -> JSONDict:
        stored.markup = markup
        stored.data.pop("reply_markup", None)
        if markup is not None:
            stored.data["reply_markup"] = markup
        stored.data["edit_date"] = self.timestamp()
        stored.edited = True
        self._emit(self._view(stored))
        return stored.data

    # -- Deleting -------------------------------------------------------------------------------

    def delete_message(self, call: Call) -> bool:
        chat_id = chat_id_of(call.params)
        if self._history.get(chat_id, {}).pop(_message_id_of(call.params), None) is None:
            raise ApiError(400, DELETE_NOT_FOUND)
        return True

    def delete_messages(self, call: Call) -> bool:
        # As documented: ids that cannot be found are skipped; none found at all is an error.
        chat_id = chat_id_of(call.params)
        history = self._history.get(chat_id, {})
        removed = [history.pop(int(mid), None) for mid in call.params.get("message_ids") or []]
        if not any(item is not None for item in removed):
            raise ApiError(400, DELETE_NOT_FOUND)
        return True

    # -- How the bot's messages look ---------------------------------------------------------

    def _view(self, stored: _Stored) -> BotMessage:
        data = stored.data
        document = stored.document
        return BotMessage(
            chat_id=int(data["chat"]["id"]),
            message_id=int(data["message_id"]),
            text=str(data.get("text", data.get("caption", ""))),
            raw_text=stored.raw_text,
            parse_mode=stored.parse_mode,
            date=datetime.fromtimestamp(int(data["date"]), UTC),
            buttons=buttons_of(stored.markup),
            reply_keyboard=reply_keyboard_of(stored.markup),
            document_name=document.filename if document else None,
            document_bytes=document.content if document else None,
            disable_notification=stored.disable_notification,
            edited=stored.edited,
            reply_markup=json_copy(stored.markup) if stored.markup else None,
        )
