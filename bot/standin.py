"""An in-process stand-in for the Telegram Bot API, and a driver that chats through it.

``StandInBotAPI`` is a ``telegram.request.BaseRequest``: give it to ``ApplicationBuilder`` as
both ``request`` and ``get_updates_request`` and every Bot API call the bot makes is answered
from memory, in the JSON shape Telegram uses, so PTB parses real ``Message`` objects and raises
its real exceptions. It is strict where Telegram is strict (HTML that Telegram would refuse,
"message is not modified", callback data over 64 bytes, a callback query answered twice),
because a stand-in that accepts more than Telegram hides the bugs it exists to catch.

``ChatDriver`` plays one person (or one group) talking to a real ``Application``: it builds
updates the way Telegram would and returns what the bot said in reply.

This module imports nothing from the project, only ``telegram``: the local ``chat`` mode and
the end-to-end tests share it, and it must not drift with the code it checks.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from telegram import Update
from telegram.error import NetworkError
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

JSONDict = dict[str, Any]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# Telegram's own limits, enforced so that a message the real server would refuse fails here too.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_BOT_ID_IN_URL = re.compile(r"/bot(\d+):")
_BUTTON_URL = re.compile(r"^(https?|tg)://", re.IGNORECASE)

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a content and reply markup of the current message"
)
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


# ---------------------------------------------------------------------------------------------
# What tests and the terminal see
# ---------------------------------------------------------------------------------------------


class Button(NamedTuple):
    """One inline button: compares equal to a plain ``(label, value)`` pair in assertions."""

    label: str
    # The callback data, the URL, or the query a switch-inline button starts.
    value: str


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, as the person sees it at one moment."""

    chat_id: int
    message_id: int
    # What the person reads: HTML tags removed and entities decoded, like Telegram shows it;
    # for a document, its caption.
    text: str
    # The text exactly as the bot sent it, markup included.
    raw_text: str
    parse_mode: str | None
    date: datetime
    buttons: tuple[tuple[Button, ...], ...] = ()
    reply_keyboard: tuple[tuple[str, ...], ...] = ()
    document_name: str | None = None
    document_bytes: bytes | None = None
    disable_notification: bool = False
    edited: bool = False
    reply_markup: Mapping[str, Any] | None = field(default=None, compare=False)

    @property
    def labels(self) -> list[str]:
        return [button.label for row in self.buttons for button in row]


@dataclass(frozen=True)
class Call:
    """One request the bot made, and how the stand-in answered it."""

    method: str
    params: Mapping[str, Any]
    files: Mapping[str, UploadedFile] = field(default_factory=dict)
    error_code: int | None = None
    description: str | None = None
    network_error: bool = False

    @property
    def ok(self) -> bool:
        return self.error_code is None and not self.network_error


@dataclass(frozen=True)
class CallbackAnswer:
    query_id: str
    text: str | None
    show_alert: bool
    url: str | None


# ---------------------------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------------------------


class _ApiError(Exception):
    """An error answer, raised inside a method handler and turned into Telegram's JSON."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> bytes:
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return json.dumps(body).encode()


def _bad_request(reason: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class _Fault:
    error_code: int | None  # None: the connection fails instead of the server answering
    description: str
    retry_after: int | None


@dataclass(frozen=True)
class _Rendered:
    """Message text after Telegram's parsing; ``entities`` is what "not modified" compares."""

    text: str
    entities: tuple[tuple[Any, ...], ...] = ()


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


# ---------------------------------------------------------------------------------------------
# Telegram's HTML, read the way the Bot API reads it
# ---------------------------------------------------------------------------------------------

# Tag name -> entity kind. Synonyms map to one kind so "<b>" and "<strong>" compare equal.
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
# Only these character references are decoded; any other "&" stays as typed, like Telegram.
_HTML_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME_END = re.compile(r"[\s>]")
_MARKUP = re.compile(r"[<&]")


def _parse_error(reason: str) -> _ApiError:
    return _bad_request(f"can't parse entities: {reason}")


class _HtmlReader:
    """Turns Telegram-flavoured HTML into plain text and entity spans, or refuses it with the
    same wording the Bot API uses, so an escaping bug fails a test instead of a delivery."""

    def __init__(self, source: str) -> None:
        self.source = source.strip()
        self.text: list[str] = []
        self.length = 0
        self.open_tags: list[tuple[str, int, str]] = []  # (name, start in text, attributes)
        self.entities: list[tuple[Any, ...]] = []

    def read(self) -> _Rendered:
        position = 0
        while position < len(self.source):
            position = self._step(position)
        if self.open_tags:
            name = self.open_tags[-1][0]
            raise _parse_error(f'Can\'t find end tag corresponding to start tag "{name}"')
        text = "".join(self.text).rstrip()
        spans = tuple(
            (kind, start, min(end, len(text)), arg) for kind, start, end, arg in self.entities
        )
        return _Rendered(text, tuple(sorted(span for span in spans if span[2] > span[1])))

    def _step(self, position: int) -> int:
        char = self.source[position]
        if char == "&":
            return self._character_reference(position)
        if char != "<":
            # Plain text runs to the next tag or character reference, taken in one piece.
            found = _MARKUP.search(self.source, position)
            end = found.start() if found else len(self.source)
            self._emit(self.source[position:end])
            return end
        if self.source.startswith("</", position):
            return self._close(position)
        return self._open(position)

    def _character_reference(self, position: int) -> int:
        match = _HTML_ENTITY.match(self.source, position)
        if match is None:
            self._emit("&")
            return position + 1
        named, decimal, hexadecimal = match.groups()
        if named:
            self._emit(_NAMED_ENTITIES[named])
        else:
            self._emit(chr(min(int(decimal or hexadecimal, 10 if decimal else 16), 0x10FFFF)))
        return match.end()

    def _tag_end(self, position: int) -> int:
        # A ">" inside a quoted attribute value does not end the tag.
        quote: str | None = None
        for index in range(position, len(self.source)):
            char = self.source[index]
            if quote:
                quote = None if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == ">":
                return index
        return -1

    def _open(self, position: int) -> int:
        # Checked in Telegram's order: the name (up to whitespace or ">") first, then the rest.
        found = _TAG_NAME_END.search(self.source, position + 1)
        name_end = found.start() if found else len(self.source)
        name = self.source[position + 1 : name_end].lower()
        offset = self._offset(position)
        if name_end >= len(self.source):
            raise _parse_error(f"Unclosed start tag at byte offset {offset}")
        if name not in _HTML_TAGS:
            raise _parse_error(f'Unsupported start tag "{name}" at byte offset {offset}')
        end = self._tag_end(name_end)
        if end < 0:
            raise _parse_error(f"Unclosed start tag at byte offset {offset}")
        attributes = self.source[name_end:end].strip()
        if name == "span" and "tg-spoiler" not in attributes:
            raise _parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        self.open_tags.append((name, self.length, attributes))
        return end + 1

    def _close(self, position: int) -> int:
        offset = self._offset(position)
        if not self.open_tags:
            raise _parse_error(f"Unexpected end tag at byte offset {offset}")
        end = self.source.find(">", position)
        if end < 0:
            raise _parse_error(f"Unclosed end tag at byte offset {offset}")
        name = self.source[position + 2 : end].strip().lower()
        open_name, start, attributes = self.open_tags.pop()
        if name and name != open_name:
            raise _parse_error(
                f"Unmatched end tag at byte offset {offset}, "
                f'expected "</{open_name}>", found "</{name}>"'
            )
        self.entities.append((_HTML_TAGS[open_name], start, self.length, attributes))
        return end + 1

    def _emit(self, text: str) -> None:
        self.text.append(text)
        self.length += len(text)

    def _offset(self, position: int) -> int:
        return len(self.source[:position].encode())


def _render(text: Any, parse_mode: Any, entities: Any) -> _Rendered:
    """What Telegram stores for a text or caption. Markdown is kept as sent: nothing here
    renders it, and the bot uses HTML."""
    source = "" if text is None else str(text)
    if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
        return _HtmlReader(source).read()
    spans = tuple(
        (e.get("type"), e.get("offset"), e.get("length"), json.dumps(e, sort_keys=True))
        for e in entities or ()
    )
    return _Rendered(source.strip(), spans)


# ---------------------------------------------------------------------------------------------
# Keyboards
# ---------------------------------------------------------------------------------------------


def _inline_rows(markup: Mapping[str, Any] | None) -> list[list[JSONDict]]:
    return list((markup or {}).get("inline_keyboard") or [])


def _button_value(button: Mapping[str, Any]) -> str:
    for key in ("callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat"):
        if key in button:
            return str(button[key])
    if "switch_inline_query_chosen_chat" in button:
        return str(button["switch_inline_query_chosen_chat"].get("query", ""))
    nested = button.get("login_url") or button.get("web_app") or {}
    return str(nested.get("url", ""))


def _buttons(markup: Mapping[str, Any] | None) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        tuple(Button(str(b.get("text", "")), _button_value(b)) for b in row)
        for row in _inline_rows(markup)
    )


def _reply_keyboard(markup: Mapping[str, Any] | None) -> tuple[tuple[str, ...], ...]:
    rows = (markup or {}).get("keyboard") or []
    return tuple(tuple(str(key.get("text", "")) for key in row) for row in rows)


def _check_markup(markup: Any) -> JSONDict | None:
    """Refuses inline buttons Telegram would refuse, the mistakes a handler can really make."""
    if not isinstance(markup, dict):
        return None
    for row in _inline_rows(markup):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not _BUTTON_URL.match(str(url)):
                raise _bad_request("BUTTON_URL_INVALID")
    return markup


def _check_inline_result(result: Mapping[str, Any]) -> None:
    """What Telegram checks of one result: an id, a title, and a message it could send."""
    if not 1 <= len(str(result.get("id", "")).encode()) <= 64:
        raise _bad_request("RESULT_ID_INVALID")
    if result.get("type") == "article" and not str(result.get("title", "")).strip():
        raise _bad_request("RESULT_TITLE_EMPTY")
    content = result.get("input_message_content") or {}
    if "message_text" in content:
        rendered = _render(
            content["message_text"], content.get("parse_mode"), content.get("entities")
        )
        if not rendered.text:
            raise _bad_request("MESSAGE_EMPTY")
        if len(rendered.text) > MAX_TEXT_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
    _check_markup(result.get("reply_markup"))


def _inline_only(markup: JSONDict | None) -> JSONDict | None:
    # Telegram echoes only inline keyboards in the returned Message; a reply keyboard belongs
    # to the chat, and PTB would fail to parse it as Message.reply_markup.
    return markup if markup is not None and "inline_keyboard" in markup else None


# ---------------------------------------------------------------------------------------------
# Reading a request
# ---------------------------------------------------------------------------------------------


def _copy(data: Mapping[str, Any]) -> JSONDict:
    # A JSON round trip: a deep copy nobody else holds, with values as a server decodes them.
    copied: JSONDict = json.loads(json.dumps(data))
    return copied


def _read_params(request_data: RequestData | None) -> JSONDict:
    return {} if request_data is None else _copy(request_data.parameters)


def _read_files(request_data: RequestData | None) -> dict[str, UploadedFile]:
    if request_data is None or not request_data.contains_files:
        return {}
    files: dict[str, UploadedFile] = {}
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        files[name] = UploadedFile(filename, data, mime_type)
    return files


def _chat_id_of(params: Mapping[str, Any]) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise _bad_request("chat_id is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        # "@channelname" style ids: the bot never talks to channels.
        raise _bad_request("chat not found") from None


def _message_id_of(params: Mapping[str, Any]) -> int:
    value = params.get("message_id")
    if value is None:
        raise _bad_request("message identifier is not specified")
    return int(value)


# ---------------------------------------------------------------------------------------------
# The stand-in
# ---------------------------------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StandInBotAPI(BaseRequest):
    """The Bot API, answered from memory. See the module docstring."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = _utc_now,
        username: str = "SoftLandingBot",
        first_name: str = "Soft Landing",
        supports_inline_queries: bool = True,
        group_privacy: bool = True,
        bot_id: int | None = None,
        max_per_second: float | None = None,
        max_per_chat_per_second: float | None = None,
        on_outgoing: Callable[[BotMessage], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.username = username
        self.first_name = first_name
        self.supports_inline_queries = supports_inline_queries
        # Telegram's default privacy mode: in groups the bot hears commands, not chatter.
        self.group_privacy = group_privacy
        self.bot_id = bot_id
        self.max_per_second = max_per_second
        self.max_per_chat_per_second = max_per_chat_per_second
        # Called for every message the bot sends or edits, in order, as it happens.
        self.on_outgoing = on_outgoing
        self.monotonic = monotonic

        self.calls: list[Call] = []
        self.outgoing: list[BotMessage] = []  # every send and edit, as it looked at that moment
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.inline_answers: dict[str, list[JSONDict]] = {}
        self.webhook_url = ""
        self.rejected_by_rate_limit = 0

        self._chats: dict[int, JSONDict] = {}
        self._history: dict[int, dict[int, _Stored]] = {}
        self._last_message_id: dict[int, int] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._blocked: set[int] = set()
        self._sent_times: deque[float] = deque()
        self._chat_sent_times: dict[int, deque[float]] = {}
        self._open_queries: set[str] = set()
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._methods = self._method_table()

    # -- BaseRequest ----------------------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        # Nominal: nothing here waits on a socket. PTB adds it to getUpdates' long-poll timeout.
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open: the stand-in has no connections."""

    async def shutdown(self) -> None:
        """Nothing to close; recorded state stays readable after the application stops."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        self._learn_bot_id(url)
        call = Call(url.rsplit("/", 1)[-1], _read_params(request_data), _read_files(request_data))
        try:
            if method != "POST":
                # File downloads (GET) never come up: nothing the bot receives carries a file.
                raise _ApiError(404, "Not Found")
            result = await self._answer(call)
        except _ApiError as error:
            self.calls.append(replace(call, error_code=error.code, description=error.description))
            return error.code, error.payload()
        except NetworkError:
            self.calls.append(replace(call, network_error=True))
            raise
        self.calls.append(call)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # -- Inspection -----------------------------------------------------------------------------

    def messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's live messages in a chat, oldest first, as they read now."""
        return [
            self._view(stored)
            for stored in self._history.get(chat_id, {}).values()
            if stored.from_bot
        ]

    def message(self, chat_id: int, message_id: int) -> BotMessage | None:
        stored = self._history.get(chat_id, {}).get(message_id)
        return self._view(stored) if stored is not None and stored.from_bot else None

    def raw_message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A live message as Telegram would put it in an update (a copy)."""
        stored = self._history.get(chat_id, {}).get(message_id)
        return _copy(stored.data) if stored is not None else None

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    @property
    def commands(self) -> list[tuple[str, str]]:
        """The command menu for the default scope and no language: (command, description)."""
        return self.commands_for()

    def commands_for(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        stored = self._commands.get(self._commands_key(scope, language_code), [])
        return [(item["command"], item["description"]) for item in stored]

    # -- Fault injection ------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls to ``method`` get this error, before anything else."""
        fault = _Fault(error_code, description, retry_after)
        self._faults.setdefault(method.lower(), deque()).extend([fault] * times)

    def network_error_next(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls to ``method`` fail in transport (PTB's NetworkError)."""
        fault = _Fault(None, f"stand-in: connection lost during {method}", None)
        self._faults.setdefault(method.lower(), deque()).extend([fault] * times)

    def block(self, chat_id: int) -> None:
        """The person blocks the bot (or a group removes it): every send there gets 403.

        Alone, this is a block whose ``my_chat_member`` update never reached the bot (or has
        not yet); ``ChatDriver.block`` also delivers that update."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def is_blocked(self, chat_id: int) -> bool:
        return chat_id in self._blocked

    # -- What a person does (used by ChatDriver) ------------------------------------------------

    def register_chat(self, chat: Mapping[str, Any]) -> None:
        """How a chat appears in messages, e.g. ``{"id": -5, "type": "group", "title": "x"}``."""
        self._chats[int(chat["id"])] = dict(chat)

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def incoming_message(
        self, chat_id: int, sender: Mapping[str, Any], content: Mapping[str, Any]
    ) -> JSONDict:
        """A message a person sends: it takes the chat's next message id, as in Telegram, and
        stays deletable by the bot."""
        data: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "date": self._timestamp(),
            "chat": self._chat(chat_id),
            "from": dict(sender),
            **content,
        }
        self._history.setdefault(chat_id, {})[data["message_id"]] = _Stored(data, from_bot=False)
        return _copy(data)

    def callback_query(
        self, sender: Mapping[str, Any], chat_id: int, message_id: int, data: str
    ) -> JSONDict:
        """A tap on a button of a live message: the update's ``callback_query`` part."""
        message = self.raw_message(chat_id, message_id)
        if message is None:
            raise AssertionError(f"message {message_id} in chat {chat_id} is gone")
        query_id = self._open_query()
        return {
            "id": query_id,
            "from": dict(sender),
            "chat_instance": str(chat_id),
            "message": message,
            "data": data,
        }

    def my_chat_member(
        self, chat_id: int, sender: Mapping[str, Any], *, old: str, new: str
    ) -> JSONDict:
        """The bot's own status in a chat changing from ``old`` to ``new`` ("member",
        "kicked", ...) because of ``sender``: the update's ``my_chat_member`` part."""
        return {
            "chat": self._chat(chat_id),
            "from": dict(sender),
            "date": self._timestamp(),
            "old_chat_member": self._bot_member(old),
            "new_chat_member": self._bot_member(new),
        }

    def inline_query(self, sender: Mapping[str, Any], query: str) -> JSONDict:
        return {
            "id": self._open_query(),
            "from": dict(sender),
            "query": query,
            "offset": "",
            "chat_type": "sender",
        }

    # -- Dispatch -------------------------------------------------------------------------------

    def _method_table(self) -> dict[str, Callable[[Call], Any]]:
        table: dict[str, Callable[[Call], Any]] = {
            "getMe": self._get_me,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "sendChatAction": self._send_chat_action,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "close": lambda call: True,
            "logOut": lambda call: True,
        }
        # The Bot API matches method names case-insensitively.
        return {name.lower(): handler for name, handler in table.items()}

    async def _answer(self, call: Call) -> Any:
        self._raise_injected_fault(call.method)
        handler = self._methods.get(call.method.lower())
        if handler is None:
            raise _ApiError(404, f"Not Found: method {call.method}")
        result = handler(call)
        return await result if inspect.isawaitable(result) else result

    def _raise_injected_fault(self, method: str) -> None:
        queue = self._faults.get(method.lower())
        if not queue:
            return
        fault = queue.popleft()
        if fault.error_code is None:
            raise NetworkError(fault.description)
        raise _ApiError(fault.error_code, fault.description, fault.retry_after)

    async def _get_updates(self, call: Call) -> list[JSONDict]:
        # Updates are fed through process_update, so there is never anything to return; a
        # short wait keeps a running Updater from spinning on empty answers.
        timeout = float(call.params.get("timeout") or 0)
        if timeout > 0:
            await asyncio.sleep(min(timeout, 1.0))
        return []

    # -- Bot identity, commands, webhook --------------------------------------------------------

    def _learn_bot_id(self, url: str) -> None:
        # A token starts with the bot's id, as Telegram's do; the URL carries the token.
        if self.bot_id is None:
            match = _BOT_ID_IN_URL.search(url)
            self.bot_id = int(match.group(1)) if match else 1_000_000

    def _bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def _bot_member(self, status: str) -> JSONDict:
        member: JSONDict = {"user": self._bot_user(), "status": status}
        if status == "kicked":
            member["until_date"] = 0  # Telegram's "forever": a block has no end date
        return member

    def _get_me(self, call: Call) -> JSONDict:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.group_privacy,
            "supports_inline_queries": self.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @staticmethod
    def _commands_key(
        scope: Mapping[str, Any] | None, language_code: str | None
    ) -> tuple[str, str]:
        return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""

    def _set_my_commands(self, call: Call) -> bool:
        commands = list(call.params.get("commands") or [])
        for item in commands:
            description = str(item.get("description", ""))
            if not _COMMAND_NAME.match(str(item.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        self._commands[key] = commands
        return True

    def _get_my_commands(self, call: Call) -> list[JSONDict]:
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        return self._commands.get(key, [])

    def _delete_my_commands(self, call: Call) -> bool:
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        self._commands.pop(key, None)
        return True

    def _set_webhook(self, call: Call) -> bool:
        self.webhook_url = str(call.params.get("url", ""))
        return True

    def _delete_webhook(self, call: Call) -> bool:
        self.webhook_url = ""
        return True

    def _get_webhook_info(self, call: Call) -> JSONDict:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}

    # -- Sending --------------------------------------------------------------------------------

    def _send_message(self, call: Call) -> JSONDict:
        chat_id = _chat_id_of(call.params)
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

    def _send_document(self, call: Call) -> JSONDict:
        chat_id = _chat_id_of(call.params)
        self._admit(chat_id)
        upload = self._document_upload(call)
        params = call.params
        caption = _render(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
        )
        if len(caption.text) > MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
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
        raise _bad_request("there is no document in the request")

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

    def _send_chat_action(self, call: Call) -> bool:
        chat_id = _chat_id_of(call.params)
        self._check_not_blocked(chat_id)
        return True

    def _checked_text(self, params: Mapping[str, Any]) -> _Rendered:
        rendered = _render(params.get("text"), params.get("parse_mode"), params.get("entities"))
        if not rendered.text:
            raise _bad_request("message text is empty")
        if len(rendered.text) > MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        return rendered

    def _store_outgoing(
        self,
        chat_id: int,
        content: JSONDict,
        params: Mapping[str, Any],
        rendered: _Rendered,
        *,
        raw_text: str,
        document: UploadedFile | None = None,
    ) -> _Stored:
        markup = _check_markup(params.get("reply_markup"))
        data: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "date": self._timestamp(),
            "chat": self._chat(chat_id),
            "from": self._bot_user(),
            **content,
        }
        if (inline := _inline_only(markup)) is not None:
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
        self._history.setdefault(chat_id, {})[data["message_id"]] = stored
        self._count_sent(chat_id)
        self._emit(stored)
        return stored

    # -- Limits and blocks ----------------------------------------------------------------------

    def _check_not_blocked(self, chat_id: int) -> None:
        if chat_id in self._blocked:
            reason = (
                "bot was blocked by the user"
                if chat_id > 0
                else "bot was kicked from the group chat"
            )
            raise _ApiError(403, f"Forbidden: {reason}")

    def _admit(self, chat_id: int) -> None:
        """Refuses a new message to a blocked chat, or one over the configured rate."""
        self._check_not_blocked(chat_id)
        now = self.monotonic()
        per_chat = self._chat_sent_times.get(chat_id, deque())
        for window in (self._sent_times, per_chat):
            while window and window[0] <= now - 1.0:
                window.popleft()
        over_all = self.max_per_second is not None and len(self._sent_times) >= self.max_per_second
        over_chat = (
            self.max_per_chat_per_second is not None
            and len(per_chat) >= self.max_per_chat_per_second
        )
        if over_all or over_chat:
            self.rejected_by_rate_limit += 1
            raise _ApiError(429, "Too Many Requests: retry after 1", retry_after=1)

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
            raise _bad_request("MESSAGE_ID_INVALID")  # the bot sends no inline messages
        chat_id = _chat_id_of(params)
        self._check_not_blocked(chat_id)
        stored = self._history.get(chat_id, {}).get(_message_id_of(params))
        if stored is None:
            raise _ApiError(400, EDIT_NOT_FOUND)
        if not stored.from_bot:
            raise _bad_request("message can't be edited")
        return stored

    def _edit_message_text(self, call: Call) -> JSONDict:
        stored = self._editable(call.params)
        if stored.document is not None or "text" not in stored.data:
            raise _bad_request("there is no text in the message to edit")
        rendered = self._checked_text(call.params)
        # Telegram drops the keyboard when an edit does not repeat it.
        markup = _check_markup(call.params.get("reply_markup"))
        unchanged = (rendered.text, rendered.entities) == (stored.data["text"], stored.entities)
        if unchanged and markup == _inline_only(stored.markup):
            raise _ApiError(400, NOT_MODIFIED)
        stored.data["text"] = rendered.text
        stored.raw_text = str(call.params["text"])
        stored.parse_mode = call.params.get("parse_mode")
        stored.entities = rendered.entities
        return self._apply_edit(stored, markup)

    def _edit_message_reply_markup(self, call: Call) -> JSONDict:
        stored = self._editable(call.params)
        markup = _check_markup(call.params.get("reply_markup"))
        if markup == _inline_only(stored.markup):
            raise _ApiError(400, NOT_MODIFIED)
        return self._apply_edit(stored, markup)

    def _apply_edit(self, stored: _Stored, markup: JSONDict | None) -> JSONDict:
        stored.markup = markup
        stored.data.pop("reply_markup", None)
        if markup is not None:
            stored.data["reply_markup"] = markup
        stored.data["edit_date"] = self._timestamp()
        stored.edited = True
        self._emit(stored)
        return stored.data

    # -- Deleting -------------------------------------------------------------------------------

    def _delete_message(self, call: Call) -> bool:
        chat_id = _chat_id_of(call.params)
        if self._history.get(chat_id, {}).pop(_message_id_of(call.params), None) is None:
            raise _ApiError(400, DELETE_NOT_FOUND)
        return True

    def _delete_messages(self, call: Call) -> bool:
        # As documented: ids that cannot be found are skipped; none found at all is an error.
        chat_id = _chat_id_of(call.params)
        history = self._history.get(chat_id, {})
        removed = [history.pop(int(mid), None) for mid in call.params.get("message_ids") or []]
        if not any(item is not None for item in removed):
            raise _ApiError(400, DELETE_NOT_FOUND)
        return True

    # -- Queries --------------------------------------------------------------------------------

    def _open_query(self) -> str:
        query_id = f"q{next(self._query_ids)}"
        self._open_queries.add(query_id)
        return query_id

    def _close_query(self, query_id: str) -> None:
        # A query can be answered once; a second answer (or an unknown id) fails, as in Telegram.
        if query_id not in self._open_queries:
            raise _ApiError(400, QUERY_INVALID)
        self._open_queries.discard(query_id)

    def _answer_callback_query(self, call: Call) -> bool:
        query_id = str(call.params.get("callback_query_id", ""))
        self._close_query(query_id)
        self.callback_answers[query_id] = CallbackAnswer(
            query_id=query_id,
            text=call.params.get("text"),
            show_alert=bool(call.params.get("show_alert")),
            url=call.params.get("url"),
        )
        return True

    def _answer_inline_query(self, call: Call) -> bool:
        query_id = str(call.params.get("inline_query_id", ""))
        results = list(call.params.get("results") or [])
        if len(results) > MAX_INLINE_RESULTS:
            raise _bad_request("RESULTS_TOO_MUCH")
        ids = [str(result.get("id")) for result in results]
        if len(set(ids)) != len(ids):
            raise _bad_request("RESULT_ID_DUPLICATE")
        for result in results:
            _check_inline_result(result)
        self._close_query(query_id)
        self.inline_answers[query_id] = results
        return True

    # -- Chats and messages ---------------------------------------------------------------------

    def _chat(self, chat_id: int) -> JSONDict:
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        # Unknown chats (a scheduled send in a test that never chatted): Telegram's id signs.
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Someone"}
        return {"id": chat_id, "type": "group", "title": "A group"}

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _timestamp(self) -> int:
        return int(self.clock().timestamp())

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
            buttons=_buttons(stored.markup),
            reply_keyboard=_reply_keyboard(stored.markup),
            document_name=document.filename if document else None,
            document_bytes=document.content if document else None,
            disable_notification=stored.disable_notification,
            edited=stored.edited,
            reply_markup=_copy(stored.markup) if stored.markup else None,
        )

    def _emit(self, stored: _Stored) -> None:
        view = self._view(stored)
        self.outgoing.append(view)
        if self.on_outgoing is not None:
            self.on_outgoing(view)


# ---------------------------------------------------------------------------------------------
# A person at the keyboard
# ---------------------------------------------------------------------------------------------

_CHAT_TYPES = ("private", "group", "supergroup")


def _utf16_length(text: str) -> int:
    # Telegram measures entity offsets and lengths in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def _command_entities(text: str) -> list[JSONDict]:
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": _utf16_length(command)}]


def _pick_button(rows: Sequence[Sequence[Mapping[str, Any]]], label: str) -> Mapping[str, Any]:
    """The button with exactly this label, or the one whose label contains it (any case)."""
    buttons = [button for row in rows for button in row]
    exact = [b for b in buttons if b.get("text") == label]
    loose = [b for b in buttons if label.casefold() in str(b.get("text", "")).casefold()]
    matches = exact or loose
    available = ", ".join(repr(b.get("text")) for b in buttons) or "none"
    if not matches:
        raise AssertionError(f"no button {label!r}; the buttons are: {available}")
    if len(matches) > 1:
        raise AssertionError(f"{label!r} matches several buttons: {available}")
    return matches[0]


class ChatDriver:
    """One person (or one group) talking to the bot, the way Telegram would deliver it.

    Every action returns the bot's messages sent or edited in this chat while the update was
    processed, in order, as they looked at that moment.
    """

    def __init__(
        self,
        application: AnyApplication,
        api: StandInBotAPI,
        chat_id: int = 1001,
        *,
        first_name: str = "Alex",
        chat_type: str = "private",
        user_id: int | None = None,
        title: str = "Soft Landing test group",
        language_code: str = "en",
    ) -> None:
        if chat_type not in _CHAT_TYPES:
            raise ValueError(f"chat_type must be one of {_CHAT_TYPES}, not {chat_type!r}")
        if (chat_type == "private") != (chat_id > 0):
            raise ValueError("Telegram gives private chats positive ids and groups negative ones")
        self.application = application
        self.api = api
        self.chat_id = chat_id
        self.chat_type = chat_type
        # In a private chat the chat id is the person's id; in a group someone else speaks.
        self.user: JSONDict = {
            "id": user_id if user_id is not None else abs(chat_id),
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        self.last_callback_answer: CallbackAnswer | None = None
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": first_name} if chat_type == "private" else {"title": title})
        api.register_chat(chat)

    # -- Reading --------------------------------------------------------------------------------

    @property
    def messages(self) -> list[BotMessage]:
        """The bot's live messages in this chat, oldest first."""
        return self.api.messages(self.chat_id)

    @property
    def last(self) -> BotMessage:
        """The bot's most recent live message in this chat."""
        messages = self.messages
        if not messages:
            raise AssertionError(f"the bot has not said anything in chat {self.chat_id}")
        return messages[-1]

    # -- Acting ---------------------------------------------------------------------------------

    async def send(self, text: str) -> list[BotMessage]:
        """Type and send a message; a leading "/command" is marked as a command, as clients do."""
        content: JSONDict = {"text": text}
        if entities := _command_entities(text):
            content["entities"] = entities
        return await self._say(content)

    async def send_location(self, latitude: float, longitude: float) -> list[BotMessage]:
        return await self._say({"location": {"latitude": latitude, "longitude": longitude}})

    async def tap(self, label: str) -> list[BotMessage]:
        """Tap a button on the most recent bot message here that has an inline keyboard."""
        message = self._last_keyboard_message()
        if message is None:
            raise AssertionError(f"no message with buttons in chat {self.chat_id}")
        button = _pick_button(_inline_rows(message.reply_markup), label)
        return await self._tap(message.message_id, button)

    async def tap_on(self, message_id: int, label: str) -> list[BotMessage]:
        """Tap a button on a particular message, which may be old (a stale button).

        The keyboard it shows now is searched first, then the ones it showed before, newest
        first: a client that has not yet received an edit still shows, and sends, old buttons.
        """
        if self.api.message(self.chat_id, message_id) is None:
            raise AssertionError(f"message {message_id} in chat {self.chat_id} is gone")
        keyboards = self._keyboards_shown(message_id) or [[]]
        first_miss: AssertionError | None = None
        for rows in keyboards:
            try:
                button = _pick_button(rows, label)
            except AssertionError as miss:
                first_miss = first_miss or miss
                continue
            return await self._tap(message_id, button)
        assert first_miss is not None
        raise first_miss

    async def tap_data(self, data: str) -> list[BotMessage]:
        """Send any callback data from the last keyboard message (or the last message at all):
        what a forged, truncated or long-outdated button would deliver."""
        message = self._last_keyboard_message() or self.last
        return await self._callback(message.message_id, data)

    async def inline_query(self, query: str) -> list[JSONDict]:
        """Type "@bot query" anywhere; returns the results the bot answered with."""
        payload = self.api.inline_query(self.user, query)
        await self._process({"inline_query": payload})
        return self.api.inline_answers.get(payload["id"], [])

    async def block(self) -> list[BotMessage]:
        """Block the bot (in a group: remove it). Every send here gets 403 from now on, and
        Telegram tells the bot with a ``my_chat_member`` update, as it does only when the
        status really changes."""
        if self.api.is_blocked(self.chat_id):
            return []
        self.api.block(self.chat_id)
        return await self._membership(old="member", new="kicked")

    async def unblock(self) -> list[BotMessage]:
        """Unblock the bot (in a group: add it back); sends work again and the bot is told.
        Telegram's Restart button is this followed by ``send("/start")``."""
        if not self.api.is_blocked(self.chat_id):
            return []
        self.api.unblock(self.chat_id)
        return await self._membership(old="kicked", new="member")

    # -- Plumbing -------------------------------------------------------------------------------

    async def _membership(self, *, old: str, new: str) -> list[BotMessage]:
        payload = self.api.my_chat_member(self.chat_id, self.user, old=old, new=new)
        return await self._process({"my_chat_member": payload})

    def _last_keyboard_message(self) -> BotMessage | None:
        with_buttons = [message for message in self.messages if message.buttons]
        return with_buttons[-1] if with_buttons else None

    def _keyboards_shown(self, message_id: int) -> list[list[list[JSONDict]]]:
        current = self.api.message(self.chat_id, message_id)
        earlier = [
            view.reply_markup
            for view in reversed(self.api.outgoing)
            if view.chat_id == self.chat_id and view.message_id == message_id
        ]
        keyboards: list[list[list[JSONDict]]] = []
        for markup in [current.reply_markup if current else None, *earlier]:
            rows = _inline_rows(markup)
            if rows and rows not in keyboards:
                keyboards.append(rows)
        return keyboards

    async def _tap(self, message_id: int, button: Mapping[str, Any]) -> list[BotMessage]:
        if "callback_data" not in button:
            kind = next((k for k in button if k != "text"), "unknown")
            raise AssertionError(
                f"{button.get('text')!r} is a {kind} button: tapping it never reaches the bot"
            )
        return await self._callback(message_id, str(button["callback_data"]))

    async def _callback(self, message_id: int, data: str) -> list[BotMessage]:
        payload = self.api.callback_query(self.user, self.chat_id, message_id, data)
        replies = await self._process({"callback_query": payload})
        self.last_callback_answer = self.api.callback_answers.get(payload["id"])
        return replies

    async def _say(self, content: JSONDict) -> list[BotMessage]:
        message = self.api.incoming_message(self.chat_id, self.user, content)
        if not self._delivered(message):
            return []
        return await self._process({"message": message})

    def _delivered(self, message: Mapping[str, Any]) -> bool:
        # With privacy mode on (Telegram's default) a group's ordinary messages never reach
        # the bot; commands do. Replies to the bot's messages do too, but nothing here replies.
        if self.chat_type == "private" or not self.api.group_privacy:
            return True
        return bool(message.get("entities")) and str(message.get("text", "")).startswith("/")

    async def _process(self, payload: JSONDict) -> list[BotMessage]:
        start = len(self.api.outgoing)
        data = {"update_id": self.api.next_update_id(), **payload}
        await self.application.process_update(Update.de_json(data, self.application.bot))
        return [view for view in self.api.outgoing[start:] if view.chat_id == self.chat_id]
