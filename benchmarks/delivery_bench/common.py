"""Shared by the measurements: units, the bench day, statement timing, a bare bot."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

import sqlalchemy as sa
from telegram.ext import Application, ApplicationBuilder

from bot.app import OFFLINE_TOKEN
from bot.standin import StandInBotAPI

JSON = dict[str, Any]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

MINUTE = timedelta(minutes=1)
BATCH = 1000
"""The engine's default batch: what one tick claims at most."""
RATE_LIMIT = 30
"""Telegram's overall limit, messages a second, as the stand-in enforces it."""
CHAT_BASE = 1_000_000_000

BENCH_DAY = date(2026, 4, 15)
"""A Wednesday clear of every DST change in ``population.ZONES`` (Chile, New Zealand and
Australia changed on 5 April, Egypt changes on 24 April), so each person's UTC minute is the
same all day."""


def progress(text: str) -> None:
    """What the parent is doing now, on stderr: stdout carries the report."""
    print(f"... {text}", file=sys.stderr, flush=True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


class StatementTimer:
    """Times every statement any engine hands its driver (SQLAlchemy cursor events), which
    splits a claim into its SELECT, INSERTs and UPDATEs without touching the store."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}
        self.select: tuple[str, Any] | None = None
        self._started = 0.0

    def before(self, *args: Any) -> None:
        statement, parameters = args[2], args[3]
        if self.select is None and statement.lstrip().upper().startswith("SELECT"):
            self.select = (statement, parameters)
        self._started = perf_counter()

    def after(self, *args: Any) -> None:
        verb = str(args[2]).split(None, 1)[0].upper()
        self.spent.setdefault(verb, []).append(perf_counter() - self._started)

    def __enter__(self) -> StatementTimer:
        sa.event.listen(sa.Engine, "before_cursor_execute", self.before)
        sa.event.listen(sa.Engine, "after_cursor_execute", self.after)
        return self

    def __exit__(self, *_: object) -> None:
        sa.event.remove(sa.Engine, "before_cursor_execute", self.before)
        sa.event.remove(sa.Engine, "after_cursor_execute", self.after)

    def summary(self) -> dict[str, list[float]]:
        """Per verb: [statements, milliseconds]."""
        return {verb: [len(times), sum(times) * 1000] for verb, times in self.spent.items()}


def bare_application(api: StandInBotAPI) -> AnyApplication:
    application: AnyApplication = (
        ApplicationBuilder().token(OFFLINE_TOKEN).request(api).get_updates_request(api).build()
    )
    return application
