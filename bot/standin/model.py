"""What tests and the terminal see of the stand-in, Telegram's limits, and its error answers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

JSONDict = dict[str, Any]

# Telegram's own limits, enforced so that a message the real server would refuse fails here too.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a content and reply markup of the current message"
)
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


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


class ApiError(Exception):
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


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def json_copy(data: Mapping[str, Any]) -> JSONDict:
    # A JSON round trip: a deep copy nobody else holds, with values as a server decodes them.
    copied: JSONDict = json.loads(json.dumps(data))
    return copied
