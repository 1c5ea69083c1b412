"""An in-process stand-in for the Telegram Bot API, and a driver that chats through it.

``StandInBotAPI`` is a ``telegram.request.BaseRequest``: give it to ``ApplicationBuilder`` as
both ``request`` and ``get_updates_request`` and every Bot API call the bot makes is answered
from memory, in the JSON shape Telegram uses, so PTB parses real ``Message`` objects and raises
its real exceptions. It is strict where Telegram is strict (HTML that Telegram would refuse,
"message is not modified", callback data over 64 bytes, a callback query answered twice),
because a stand-in that accepts more than Telegram hides the bugs it exists to catch.

``ChatDriver`` plays one person (or one group) talking to a real ``Application``: it builds
updates the way Telegram would and returns what the bot said in reply.

The modules: ``api`` (the BaseRequest and its method table), ``chats`` (messages sent, edited
and deleted, with blocks and flood control), ``menus`` (command menus and descriptions, per
language), ``faults`` (failures a test asks for), ``html_reader`` (Telegram's HTML),
``markup`` (keyboards), ``model`` (what tests see) and ``driver``.

This package imports nothing from the project, only the standard library and ``telegram``:
the local ``chat`` mode and the end-to-end tests share it, and it must not drift with the
code it checks.
"""

from .api import StandInBotAPI
from .driver import AnyApplication, ChatDriver
from .model import (
    DELETE_NOT_FOUND,
    EDIT_NOT_FOUND,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_INLINE_RESULTS,
    MAX_TEXT_LENGTH,
    NOT_MODIFIED,
    QUERY_INVALID,
    BotMessage,
    Button,
    Call,
    CallbackAnswer,
    JSONDict,
    UploadedFile,
)

__all__ = [
    "DELETE_NOT_FOUND",
    "EDIT_NOT_FOUND",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_INLINE_RESULTS",
    "MAX_TEXT_LENGTH",
    "NOT_MODIFIED",
    "QUERY_INVALID",
    "AnyApplication",
    "BotMessage",
    "Button",
    "Call",
    "CallbackAnswer",
    "ChatDriver",
    "JSONDict",
    "StandInBotAPI",
    "UploadedFile",
]
