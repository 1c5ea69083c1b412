"""The bot's own surfaces as Telegram keeps them: command menus, one per scope and language,
as setMyCommands leaves them, and the description and short description, one per language."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .model import Call, JSONDict, bad_request

_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


def _menu_key(scope: Mapping[str, Any] | None, language_code: str | None) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""


class CommandMenus:
    """What setMyCommands, getMyCommands and deleteMyCommands read and write."""

    def __init__(self) -> None:
        self._menus: dict[tuple[str, str], list[JSONDict]] = {}

    def menu(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        stored = self._menus.get(_menu_key(scope, language_code), [])
        return [(item["command"], item["description"]) for item in stored]

    def set_my_commands(self, call: Call) -> bool:
        commands = list(call.params.get("commands") or [])
        for item in commands:
            description = str(item.get("description", ""))
            if not _COMMAND_NAME.match(str(item.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._menus[_menu_key(call.params.get("scope"), call.params.get("language_code"))] = (
            commands
        )
        return True

    def get_my_commands(self, call: Call) -> list[JSONDict]:
        return self._menus.get(
            _menu_key(call.params.get("scope"), call.params.get("language_code")), []
        )

    def delete_my_commands(self, call: Call) -> bool:
        self._menus.pop(_menu_key(call.params.get("scope"), call.params.get("language_code")), None)
        return True


DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120
"""The Bot API's limits for setMyDescription and setMyShortDescription, in characters."""


class Descriptions:
    """What setMyDescription and setMyShortDescription set (and their get methods read),
    per language code ("" for the default); an empty text clears that language's."""

    def __init__(self) -> None:
        self._texts: dict[tuple[str, str], str] = {}

    def text(self, field: str, language_code: str = "") -> str:
        return self._texts.get((field, language_code), "")

    def set_description(self, call: Call) -> bool:
        return self._set("description", call, DESCRIPTION_LIMIT)

    def set_short_description(self, call: Call) -> bool:
        return self._set("short_description", call, SHORT_DESCRIPTION_LIMIT)

    def get_description(self, call: Call) -> JSONDict:
        return {"description": self.text("description", _language(call))}

    def get_short_description(self, call: Call) -> JSONDict:
        return {"short_description": self.text("short_description", _language(call))}

    def _set(self, field: str, call: Call, limit: int) -> bool:
        text = str(call.params.get(field) or "")
        if len(text) > limit:
            raise bad_request(f"{field.upper()}_INVALID")
        if text:
            self._texts[(field, _language(call))] = text
        else:
            self._texts.pop((field, _language(call)), None)
        return True


def _language(call: Call) -> str:
    return str(call.params.get("language_code") or "")
