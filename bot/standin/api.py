"""The Bot API itself: a ``telegram.request.BaseRequest`` that answers every method the bot
calls from memory, in the JSON shape Telegram uses, and records each call."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from .chats import Chats
from .faults import Faults
from .markup import check_inline_result, check_results_button
from .menus import CommandMenus, Descriptions
from .model import (
    MAX_INLINE_RESULTS,
    QUERY_INVALID,
    ApiError,
    BotMessage,
    Call,
    CallbackAnswer,
    JSONDict,
    UploadedFile,
    bad_request,
    json_copy,
)

_BOT_ID_IN_URL = re.compile(r"/bot(\d+):")


def _read_params(request_data: RequestData | None) -> JSONDict:
    return {} if request_data is None else json_copy(request_data.parameters)


def _read_files(request_data: RequestData | None) -> dict[str, UploadedFile]:
    if request_data is None or not request_data.contains_files:
        return {}
    files: dict[str, UploadedFile] = {}
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        files[name] = UploadedFile(filename, data, mime_type)
    return files


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StandInBotAPI(BaseRequest):
    """The Bot API, answered from memory. See the package docstring."""

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
        on_callback_answer: Callable[[CallbackAnswer], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        keep_sent: bool = True,
    ) -> None:
        """``keep_sent`` False: a benchmark's stand-in, which counts what the bot sends
        (``sent_to``, ``paid_sends``) but keeps neither the calls nor the messages. Telegram
        keeps its history on its own machines; kept in the bot's process, tens of thousands
        of messages make each of Python's full garbage collections pause the bot for a
        tenth of a second and more."""
        self.username = username
        self.first_name = first_name
        self.supports_inline_queries = supports_inline_queries
        # Telegram's default privacy mode: in groups the bot hears commands, not chatter.
        self.group_privacy = group_privacy
        self.bot_id = bot_id
        # Called for every message the bot sends or edits, in order, as it happens.
        self.on_outgoing = on_outgoing
        # Called for every accepted answer to a button tap: what would pop up, if anything.
        self.on_callback_answer = on_callback_answer

        self.calls: list[Call] = []
        self.outgoing: list[BotMessage] = []  # every send and edit, as it looked at that moment
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.inline_answers: dict[str, list[JSONDict]] = {}
        self.inline_buttons: dict[str, JSONDict] = {}
        """The button above an answer's results, by query id, for the answers that had one."""
        self.webhook_url = ""

        self._chats = Chats(
            clock=clock,
            monotonic=monotonic,
            bot_user=self._bot_user,
            emit=self._emit,
            max_per_second=max_per_second,
            max_per_chat_per_second=max_per_chat_per_second,
            keep_sent=keep_sent,
        )
        self._menus = CommandMenus()
        self._descriptions = Descriptions()
        self._faults = Faults()
        self._open_queries: set[str] = set()
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._methods = self._method_table()

    @property
    def sent_to(self) -> list[int]:
        """The chat of every message the bot sent, in order (kept or not)."""
        return self._chats.sent_to

    @property
    def paid_sends(self) -> int:
        """How many messages the bot sent with ``allow_paid_broadcast``."""
        return self._chats.paid_sends

    @property
    def rejected_by_rate_limit(self) -> int:
        """How many sends flood control refused."""
        return self._chats.rejected_by_rate_limit

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
                raise ApiError(404, "Not Found")
            result = await self._answer(call)
        except ApiError as error:
            self._record(replace(call, error_code=error.code, description=error.description))
            return error.code, error.payload()
        except NetworkError:
            self._record(replace(call, network_error=True))
            raise
        self._record(call)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _record(self, call: Call) -> None:
        if self._chats.keep_sent:
            self.calls.append(call)

    # -- Inspection -----------------------------------------------------------------------------

    def messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's live messages in a chat, oldest first, as they read now."""
        return self._chats.bot_messages(chat_id)

    def message(self, chat_id: int, message_id: int) -> BotMessage | None:
        return self._chats.bot_message(chat_id, message_id)

    def raw_message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A live message as Telegram would put it in an update (a copy)."""
        return self._chats.raw_message(chat_id, message_id)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    @property
    def commands(self) -> list[tuple[str, str]]:
        """The command menu for the default scope and no language: (command, description)."""
        return self.commands_for()

    def commands_for(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        return self._menus.menu(scope, language_code)

    def description(self, language_code: str = "") -> str:
        """The bot's description (the empty chat before /start) for a language; "" for the
        default one, used for every language without its own."""
        return self._descriptions.text("description", language_code)

    def short_description(self, language_code: str = "") -> str:
        """The bot's short description (its profile, and a shared link) for a language."""
        return self._descriptions.text("short_description", language_code)

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
        self._faults.add(method, error_code, description, retry_after, times)

    def network_error_next(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls to ``method`` fail in transport (PTB's NetworkError)."""
        self._faults.add(method, None, f"stand-in: connection lost during {method}", None, times)

    def block(self, chat_id: int) -> None:
        """The person blocks the bot (or a group removes it): every send there gets 403.

        Alone, this is a block whose ``my_chat_member`` update never reached the bot (or has
        not yet); ``ChatDriver.block`` also delivers that update."""
        self._chats.block(chat_id)

    def unblock(self, chat_id: int) -> None:
        self._chats.unblock(chat_id)

    def is_blocked(self, chat_id: int) -> bool:
        return self._chats.is_blocked(chat_id)

    # -- What a person does (used by ChatDriver) ------------------------------------------------

    def register_chat(self, chat: Mapping[str, Any]) -> None:
        """How a chat appears in messages, e.g. ``{"id": -5, "type": "group", "title": "x"}``."""
        self._chats.register(chat)

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def incoming_message(
        self, chat_id: int, sender: Mapping[str, Any], content: Mapping[str, Any]
    ) -> JSONDict:
        """A message a person sends: it takes the chat's next message id, as in Telegram, and
        stays deletable by the bot."""
        return self._chats.incoming(chat_id, sender, content)

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
            "chat": self._chats.chat(chat_id),
            "from": dict(sender),
            "date": self._chats.timestamp(),
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
            "setMyCommands": self._menus.set_my_commands,
            "getMyCommands": self._menus.get_my_commands,
            "deleteMyCommands": self._menus.delete_my_commands,
            "setMyDescription": self._descriptions.set_description,
            "getMyDescription": self._descriptions.get_description,
            "setMyShortDescription": self._descriptions.set_short_description,
            "getMyShortDescription": self._descriptions.get_short_description,
            "sendMessage": self._chats.send_message,
            "sendDocument": self._chats.send_document,
            "editMessageText": self._chats.edit_message_text,
            "editMessageReplyMarkup": self._chats.edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "deleteMessage": self._chats.delete_message,
            "deleteMessages": self._chats.delete_messages,
            "sendChatAction": self._chats.send_chat_action,
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
        self._faults.raise_next(call.method)
        handler = self._methods.get(call.method.lower())
        if handler is None:
            raise ApiError(404, f"Not Found: method {call.method}")
        result = handler(call)
        return await result if inspect.isawaitable(result) else result

    async def _get_updates(self, call: Call) -> list[JSONDict]:
        # Updates are fed through process_update, so there is never anything to return; a
        # short wait keeps a running Updater from spinning on empty answers.
        timeout = float(call.params.get("timeout") or 0)
        if timeout > 0:
            await asyncio.sleep(min(timeout, 1.0))
        return []

    # -- Bot identity and webhook -------------------------------------------------------------

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

    def _set_webhook(self, call: Call) -> bool:
        self.webhook_url = str(call.params.get("url", ""))
        return True

    def _delete_webhook(self, call: Call) -> bool:
        self.webhook_url = ""
        return True

    def _get_webhook_info(self, call: Call) -> JSONDict:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}

    # -- Queries --------------------------------------------------------------------------------

    def _open_query(self) -> str:
        query_id = f"q{next(self._query_ids)}"
        self._open_queries.add(query_id)
        return query_id

    def _close_query(self, query_id: str) -> None:
        # A query can be answered once; a second answer (or an unknown id) fails, as in Telegram.
        if query_id not in self._open_queries:
            raise ApiError(400, QUERY_INVALID)
        self._open_queries.discard(query_id)

    def _answer_callback_query(self, call: Call) -> bool:
        query_id = str(call.params.get("callback_query_id", ""))
        self._close_query(query_id)
        answer = CallbackAnswer(
            query_id=query_id,
            text=call.params.get("text"),
            show_alert=bool(call.params.get("show_alert")),
            url=call.params.get("url"),
        )
        self.callback_answers[query_id] = answer
        if self.on_callback_answer is not None:
            self.on_callback_answer(answer)
        return True

    def _answer_inline_query(self, call: Call) -> bool:
        query_id = str(call.params.get("inline_query_id", ""))
        results = list(call.params.get("results") or [])
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = [str(result.get("id")) for result in results]
        if len(set(ids)) != len(ids):
            raise bad_request("RESULT_ID_DUPLICATE")
        for result in results:
            check_inline_result(result)
        button = call.params.get("button")
        check_results_button(button)
        self._close_query(query_id)
        self.inline_answers[query_id] = results
        if button is not None:
            self.inline_buttons[query_id] = dict(button)
        return True

    def _emit(self, view: BotMessage) -> None:
        self.outgoing.append(view)
        if self.on_outgoing is not None:
            self.on_outgoing(view)
