"""Logging for a real run: one line per event, as text or JSON, with nothing private in it.

People appear in log lines only by their internal subscriber id; the code never logs what
anyone types or their names. Two things outside our code could still leak: PTB and httpx
log request URLs (which carry the bot token) and whole updates (which carry message text and
names) at their DEBUG and INFO levels. So their loggers stay at WARNING at every level, and a
filter on the handler blanks anything shaped like a token in every record that reaches it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

# "bot123456:AAE..." in a URL, or a bare "123456:AAE..." token.
TOKEN_PATTERN = re.compile(r"(?:bot)?\d{3,}:[A-Za-z0-9_-]{20,}")
REDACTED = "[token]"
# Libraries whose DEBUG and INFO lines carry the token-bearing URL or a person's update.
CHATTY_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "uvicorn.access")


class RedactTokens(logging.Filter):
    """Blank the token (and anything shaped like one) in a record's message and exception."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # Arguments that do not fit the format: keep the bare format rather than crash
            # the code that logged.
            message = str(record.msg)
        record.msg = self._clean(message)
        record.args = None
        if record.exc_info:
            # Format the traceback now, so the redacted text is what every formatter sees.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True

    def _clean(self, text: str) -> str:
        if self._token:
            text = text.replace(self._token, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)


class JsonLines(logging.Formatter):
    """One JSON object a line: time, level, logger, message and, if any, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


class OneLine(logging.Formatter):
    """Text lines; a traceback is folded onto its event's line so one event is one line."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", " | ")


def configure(
    level: str, fmt: str, token: str | None = None, stream: TextIO | None = None
) -> logging.Handler:
    """Send every log line to ``stream`` (standard error), replacing earlier handlers."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines() if fmt == "json" else OneLine())
    handler.addFilter(RedactTokens(token))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
