"""Logging set up as a real run sets it up, with every record that reaches the root logger
also kept as it arrived, so a test can scan all of them for what must never be logged."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot import logs
from bot.app import OFFLINE_TOKEN


class Keep(logging.Handler):
    """Every record that reaches the root logger, as it arrived."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def leaks(self, *secrets: str) -> list[str]:
        """Each kept record that holds any of ``secrets``, with what it held."""
        found = []
        for record in self.records:
            text = everything(record)
            if held := [secret for secret in secrets if secret in text]:
                found.append(f"{record.name} logged {held}: {text[:200]}")
        return found


def everything(record: logging.LogRecord) -> str:
    """A record's message, arguments and traceback, however a formatter would combine them."""
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    return " ".join([str(record.msg), *map(str, args), record.exc_text or ""])


@contextmanager
def logging_as_in_a_run(level: str = "DEBUG") -> Iterator[tuple[io.StringIO, Keep]]:
    """``logs.configure`` writing JSON lines to a buffer; afterwards, logging as it was."""
    root = logging.getLogger()
    handlers, root_level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logs.HELD_BACK}
    out, keep = io.StringIO(), Keep()
    logs.configure(level, "json", OFFLINE_TOKEN, stream=out)
    root.addHandler(keep)
    try:
        yield out, keep
    finally:
        root.handlers[:] = handlers
        root.setLevel(root_level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)
