"""The one list of commands: it drives Telegram's command menu, ``/help`` and the wiring.

``bot.app`` refuses to build when a command here has no handler or a handler has no entry
here, so the menu, the help text and what the bot answers can never drift apart.
"""

from __future__ import annotations

from telegram import BotCommand

from lessons.model import Catalog

COMMANDS: tuple[str, ...] = (
    "start",
    "daily",
    "lesson",
    "share",
    "partner",
    "techniques",
    "breathe",
    "phrases",
    "reminders",
    "settings",
    "support",
    "privacy",
    "export",
    "delete",
    "stop",
    "help",
)


def description(catalog: Catalog, name: str) -> str:
    return catalog.text(f"command.{name}")


def menu(catalog: Catalog) -> list[BotCommand]:
    """What ``setMyCommands`` shows in Telegram's menu."""
    return [BotCommand(name, description(catalog, name)) for name in COMMANDS]


def help_text(catalog: Catalog) -> str:
    lines = [catalog.text("help.intro"), ""]
    lines += [f"/{name} - {description(catalog, name)}" for name in COMMANDS]
    lines += ["", catalog.text("help.outro")]
    return "\n".join(lines)
