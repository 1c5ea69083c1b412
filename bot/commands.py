"""The one list of commands: it drives Telegram's command menu, ``/help`` and the wiring.

``bot.app`` refuses to build when a command here has no handler or a handler has no entry
here, so the menu, the help text and what the bot answers can never drift apart. Each
command declares the group ``/help`` lists it under; the menu keeps the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from telegram import BotCommand

from lessons.model import Catalog


class Group(StrEnum):
    """The headings of ``/help``, in the order it shows them (``help.group.<value>``)."""

    COURSE = "course"
    NOW = "now"
    PARTNER = "partner"
    PRIVACY = "privacy"


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    group: Group


DECLARED: tuple[Command, ...] = (
    Command("start", Group.COURSE),
    Command("daily", Group.COURSE),
    Command("lesson", Group.COURSE),
    Command("reminders", Group.COURSE),
    Command("settings", Group.COURSE),
    Command("language", Group.COURSE),
    Command("stop", Group.COURSE),
    Command("help", Group.COURSE),
    Command("techniques", Group.NOW),
    Command("breathe", Group.NOW),
    Command("why", Group.NOW),
    Command("support", Group.NOW),
    Command("phrases", Group.PARTNER),
    Command("share", Group.PARTNER),
    Command("partner", Group.PARTNER),
    Command("privacy", Group.PRIVACY),
    Command("export", Group.PRIVACY),
    Command("delete", Group.PRIVACY),
)

COMMANDS: tuple[str, ...] = tuple(command.name for command in DECLARED)


def description(catalog: Catalog, name: str) -> str:
    return catalog.text(f"command.{name}")


def menu(catalog: Catalog) -> list[BotCommand]:
    """What ``setMyCommands`` shows in Telegram's menu."""
    return [BotCommand(name, description(catalog, name)) for name in COMMANDS]


def help_text(catalog: Catalog) -> str:
    """Every command once, under its group's heading, groups in ``Group`` order."""
    lines = [catalog.text("help.intro")]
    for group in Group:
        listed = [command.name for command in DECLARED if command.group is group]
        if listed:
            lines += ["", catalog.text(f"help.group.{group.value}")]
            lines += [f"/{name} - {description(catalog, name)}" for name in listed]
    lines += ["", catalog.text("help.outro")]
    return "\n".join(lines)
