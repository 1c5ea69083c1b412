"""``ChatDriver``: one person (or one group) talking to a real ``Application`` through the
stand-in, with updates built the way Telegram builds them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application

from .api import StandInBotAPI
from .markup import inline_rows
from .model import BotMessage, CallbackAnswer, JSONDict

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

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
        self.last_inline_button: JSONDict | None = None
        """The button above the latest inline answer's results, if it had one."""
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
        button = _pick_button(inline_rows(message.reply_markup), label)
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
        self.last_inline_button = self.api.inline_buttons.get(payload["id"])
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
            rows = inline_rows(markup)
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
