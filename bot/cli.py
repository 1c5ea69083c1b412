"""``softlanding`` (also ``python -m bot``): the command line.

Each subcommand is one small function taking the parsed arguments and returning the exit
status, registered by one ``add_command`` call in ``build_parser``. Only what a subcommand
needs is imported inside it, so ``lessons check`` never loads Telegram or a database.
"""

from __future__ import annotations

import argparse
import os
import pydoc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.settings import Settings, SettingsError
from bot.terminal import html_to_text
from bot.ui.render import entry_html
from lessons import (
    Catalog,
    ContentError,
    Entry,
    Lesson,
    Phrase,
    Reason,
    Routine,
    Technique,
)
from lessons.library import DEFAULT_LANGUAGE, Library, load_library

Command = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command: Command = args.command
    return command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="softlanding",
        description="Soft Landing: a gentle Telegram companion. See README.md for settings.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    run_command = add_command(
        commands,
        "run",
        run,
        "run the bot, long polling Telegram (with no token, at a terminal: the local chat)",
    )
    run_command.add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram webhooks at WEBHOOK_URL instead (also on when WEBHOOK_URL is set)",
    )
    chat_command = add_command(
        commands, "chat", chat, "the same bot in your terminal, no token and no network"
    )
    chat_command.add_argument(
        "--database",
        metavar="URL",
        help="where the local chat keeps its data (default: a separate data/chat.db)",
    )
    chat_command.add_argument(
        "--language",
        metavar="CODE",
        default=DEFAULT_LANGUAGE,
        help="pose as someone whose Telegram is set to this language code, such as es or "
        f"es-MX (default: {DEFAULT_LANGUAGE})",
    )

    keys = commands.add_parser("keys", help="the data key that seals the stored chat ids")
    key_commands = keys.add_subparsers(title="commands", metavar="COMMAND", required=True)
    add_command(key_commands, "new", keys_new, "print a new data key, for DATA_KEY or a key file")
    rotate = add_command(
        key_commands,
        "rotate",
        keys_rotate,
        "seal every stored chat id with a new data key, all at once, and keep the new key "
        "where the old one was (stop the bot first)",
    )
    rotate.add_argument(
        "--new-key-file",
        type=Path,
        metavar="FILE",
        help="the new key: read from FILE if it exists, else made and written there first "
        "(needed when DATA_KEY is set in the environment)",
    )
    rotate.add_argument(
        "--database", metavar="URL", help="the database to rotate (default: DATABASE_URL)"
    )

    lessons = commands.add_parser("lessons", help="check and preview the content")
    lesson_commands = lessons.add_subparsers(title="commands", metavar="COMMAND", required=True)
    check = add_command(
        lesson_commands,
        "check",
        lessons_check,
        "validate all content; list every problem and exit with status 1 if there are any",
    )
    preview = add_command(
        lesson_commands,
        "preview",
        lessons_preview,
        "show one entry as the bot renders it, or every entry in course order",
    )
    preview.add_argument("id", nargs="?", metavar="ID", help="a lesson, technique, phrase, ... id")
    preview.add_argument(
        "--language",
        default=DEFAULT_LANGUAGE,
        metavar="CODE",
        help=f"show the entry in this language (default: {DEFAULT_LANGUAGE})",
    )
    for subcommand in (check, preview):
        subcommand.add_argument(
            "--content-dir",
            type=Path,
            metavar="DIR",
            help="read content from DIR (one folder per language, or one language's files) "
            "instead of the bundled lessons/content",
        )
    return parser


def add_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    command: Command,
    summary: str,
) -> argparse.ArgumentParser:
    """Register one subcommand; the returned parser takes its own arguments."""
    parser = commands.add_parser(name, help=summary, description=summary)
    parser.set_defaults(command=command)
    return parser


LOCAL_CHAT_NOTE = (
    "TELEGRAM_BOT_TOKEN is not set, so this is the local chat, with no network; to connect to "
    "Telegram, put the token from @BotFather in TELEGRAM_BOT_TOKEN (or .env) and run again."
)


def run(args: argparse.Namespace, *, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """The bot; without a token, typed at a terminal, the local chat instead. Anywhere else
    (a container, a service) a missing token stays the one-line refusal it always was."""
    stdin = sys.stdin if stdin is None else stdin
    out = sys.stdout if out is None else out
    settings = _settings_or_report()
    if settings is None:
        return 2
    webhook = args.webhook or settings.webhook_url is not None
    if settings.token is None and not webhook and stdin.isatty() and out.isatty():
        from bot.chat import DEFAULT_DATABASE_URL, run_chat

        print(LOCAL_CHAT_NOTE, file=out, flush=True)
        return run_chat(settings, DEFAULT_DATABASE_URL, stdin, out)
    from bot.runtime import run as run_bot

    return run_bot(settings, webhook=args.webhook)


def chat(args: argparse.Namespace) -> int:
    from bot.chat import DEFAULT_DATABASE_URL, run_chat

    settings = _settings_or_report()
    if settings is None:
        return 2
    return run_chat(settings, args.database or DEFAULT_DATABASE_URL, language=args.language)


def _settings_or_report() -> Settings | None:
    """Settings from the environment, or None after one clear line about what is wrong."""
    try:
        return Settings.from_environment()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return None


def keys_new(args: argparse.Namespace) -> int:
    from scheduler.crypto import DataKey

    print(DataKey.generate()[1])
    return 0


def keys_rotate(args: argparse.Namespace) -> int:
    """``softlanding keys rotate``: every chat id sealed again with a new key, or nothing."""
    from bot.keys import rotate, rotated_report
    from scheduler.crypto import DataKeyError
    from scheduler.store import StoreConfigError

    settings = _settings_or_report()
    if settings is None:
        return 2
    try:
        rotated = rotate(settings, args.database or settings.database_url, args.new_key_file)
    except (DataKeyError, StoreConfigError) as error:
        print(error, file=sys.stderr)
        return 1
    print(rotated_report(rotated))
    return 0


def lessons_check(args: argparse.Namespace) -> int:
    library = _load_or_report(args.content_dir)
    if library is None:
        return 1
    for language, catalog in library.catalogs.items():
        print(f"content ok ({language}): {summary(catalog)}")
    return 0


def lessons_preview(args: argparse.Namespace) -> int:
    library = _load_or_report(args.content_dir)
    if library is None:
        return 1
    if args.language not in library.catalogs:
        shown = ", ".join(library.languages)
        print(f"no content in {args.language!r}; the languages are: {shown}", file=sys.stderr)
        return 1
    catalog = library.catalogs[args.language]
    if args.id is None:
        _show_long(lambda color: preview_all(catalog, color=color))
        return 0
    entry = catalog.entry(args.id)
    if entry is None:
        print(
            f"no entry with id {args.id!r}; "
            "run `softlanding lessons preview` without an id to see every entry",
            file=sys.stderr,
        )
        return 1
    print(preview(entry, catalog, color=sys.stdout.isatty()))
    return 0


def _load_or_report(directory: Path | None) -> Library | None:
    """Every language's catalog, or None after printing every content problem to stderr."""
    try:
        return load_library(directory)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"content check failed: {_count(len(error.problems), 'problem')}", file=sys.stderr)
        return None


def summary(catalog: Catalog) -> str:
    """How much content there is, such as '30 self lessons, ..., 1 support note'."""
    return ", ".join(
        [
            _count(len(catalog.track("self")), "self lesson"),
            _count(len(catalog.track("partner")), "partner lesson"),
            _count(len(catalog.techniques), "technique"),
            _count(len(catalog.phrases), "phrase"),
            _count(len(catalog.routines), "routine"),
            _count(1, "support note"),
            # Only content that has them lists its reasons (/why).
            *([_count(len(catalog.reasons), "reason")] if catalog.reasons else []),
        ]
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def preview(entry: Entry, catalog: Catalog, *, color: bool) -> str:
    """An entry as a reader sees it, under a heading that says what and where it is."""
    heading = f"━━ {_describe(entry)} · {entry.id}  (source: {', '.join(entry.source)})"
    if color:
        heading = f"\x1b[2m{heading}\x1b[0m"
    return f"{heading}\n\n{html_to_text(entry_html(entry, catalog), color=color)}"


def preview_all(catalog: Catalog, *, color: bool) -> str:
    return "\n\n\n".join(preview(entry, catalog, color=color) for entry in catalog.entries())


def _describe(entry: Entry) -> str:
    if isinstance(entry, Lesson):
        return f"{entry.track} day {entry.day}"
    if isinstance(entry, Phrase):
        return f"phrase, {entry.situation}"
    if isinstance(entry, Technique):
        return "technique"
    if isinstance(entry, Routine):
        return "routine"
    if isinstance(entry, Reason):
        return "reason, /why"
    return "support note"


def _show_long(text: Callable[[bool], str]) -> None:
    """Print, or page when a person is reading: all the content is several screens long."""
    if not sys.stdout.isatty():
        print(text(False))
        return
    # less shows ANSI styles only with -R; without it a reader would see raw escape codes.
    os.environ.setdefault("LESS", "-R")
    pager = os.environ.get("PAGER", "less")
    color = "less" in pager and "r" in os.environ["LESS"].lower()
    pydoc.pager(text(color))
