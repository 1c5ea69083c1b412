"""Keyboards as Telegram sends them: the buttons a person sees, and the checks Telegram makes
of a keyboard (and of an inline result) before it accepts a message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .html_reader import render
from .model import MAX_CALLBACK_DATA_BYTES, MAX_TEXT_LENGTH, Button, JSONDict, bad_request

_BUTTON_URL = re.compile(r"^(https?|tg)://", re.IGNORECASE)
_START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def inline_rows(markup: Mapping[str, Any] | None) -> list[list[JSONDict]]:
    return list((markup or {}).get("inline_keyboard") or [])


def _button_value(button: Mapping[str, Any]) -> str:
    for key in ("callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat"):
        if key in button:
            return str(button[key])
    if "switch_inline_query_chosen_chat" in button:
        return str(button["switch_inline_query_chosen_chat"].get("query", ""))
    nested = button.get("login_url") or button.get("web_app") or {}
    return str(nested.get("url", ""))


def buttons_of(markup: Mapping[str, Any] | None) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        tuple(Button(str(b.get("text", "")), _button_value(b)) for b in row)
        for row in inline_rows(markup)
    )


def reply_keyboard_of(markup: Mapping[str, Any] | None) -> tuple[tuple[str, ...], ...]:
    rows = (markup or {}).get("keyboard") or []
    return tuple(tuple(str(key.get("text", "")) for key in row) for row in rows)


def check_markup(markup: Any) -> JSONDict | None:
    """Refuses inline buttons Telegram would refuse, the mistakes a handler can really make."""
    if not isinstance(markup, dict):
        return None
    for row in inline_rows(markup):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not _BUTTON_URL.match(str(url)):
                raise bad_request("BUTTON_URL_INVALID")
    return markup


def check_inline_result(result: Mapping[str, Any]) -> None:
    """What Telegram checks of one result: an id, a title, and a message it could send."""
    if not 1 <= len(str(result.get("id", "")).encode()) <= 64:
        raise bad_request("RESULT_ID_INVALID")
    if result.get("type") == "article" and not str(result.get("title", "")).strip():
        raise bad_request("RESULT_TITLE_EMPTY")
    content = result.get("input_message_content") or {}
    if "message_text" in content:
        rendered = render(
            content["message_text"], content.get("parse_mode"), content.get("entities")
        )
        if not rendered.text:
            raise bad_request("MESSAGE_EMPTY")
        if len(rendered.text) > MAX_TEXT_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
    check_markup(result.get("reply_markup"))


def check_results_button(button: Mapping[str, Any] | None) -> None:
    """The button above inline results: a label, and a start parameter Telegram takes."""
    if button is None:
        return
    if not str(button.get("text", "")).strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    if "web_app" not in button and not _START_PARAMETER.fullmatch(
        str(button.get("start_parameter", ""))
    ):
        raise bad_request("START_PARAM_INVALID")


def inline_only(markup: JSONDict | None) -> JSONDict | None:
    # Telegram echoes only inline keyboards in the returned Message; a reply keyboard belongs
    # to the chat, and PTB would fail to parse it as Message.reply_markup.
    return markup if markup is not None and "inline_keyboard" in markup else None


# ---------------------------------------------------------------------------------------------
# Reading a request
# ---------------------------------------------------------------------------------------------
