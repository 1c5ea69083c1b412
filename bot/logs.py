"""Logging for a real run: one line per event, as text or JSON, with nothing private in it.

People appear in log lines only by their internal subscriber id; the code never logs what
anyone types, their names or their Telegram ids. Libraries below our code could still leak
them at their DEBUG and INFO levels: the database drivers and SQLAlchemy print every statement
with its parameters (chat ids, user ids, typed times and zones), PTB and httpx print request
URLs (which carry the bot token) and request and response bodies (whole updates, with message
text and names). So those loggers are held back at every ``LOG_LEVEL`` (``HELD_BACK``), and a
filter on the handler blanks anything shaped like a token in every record that reaches it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TextIO

# "bot123456:AAE..." in a URL, or a bare "123456:AAE..." token.
TOKEN_PATTERN = re.compile(r"(?:bot)?\d{3,}:[A-Za-z0-9_-]{20,}")
REDACTED = "[token]"
REDACTED_SECRET = "[secret]"
# Library loggers and the least severe level they may speak at, whatever LOG_LEVEL says.
HELD_BACK: dict[str, int] = {
    # Every statement with its parameters: chat ids, user ids, what a person typed.
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    # Request URLs with the token in them, headers, and request and response bodies.
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "hpack": logging.WARNING,
    # Updates as received (text, names, ids) at DEBUG.
    "telegram": logging.WARNING,
    # Its one ERROR line quotes a whole response body (getUpdates: everyone's messages); the
    # error it raises next is what the caller reports.
    "telegram.request": logging.CRITICAL,
    # A line for every tick, twice a minute: noise, not events.
    "apscheduler": logging.WARNING,
    # Clients' addresses and request lines; errors still come through.
    "uvicorn": logging.WARNING,
}


class RedactTokens(logging.Filter):
    """Blank the token (and anything shaped like one) and the webhook secret in a record's
    message and exception."""

    def __init__(self, token: str | None = None, secrets: Sequence[str] = ()) -> None:
        super().__init__()
        self._token = token
        self._secrets = [secret for secret in secrets if secret]

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
        for secret in self._secrets:
            text = text.replace(secret, REDACTED_SECRET)
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
    level: str,
    fmt: str,
    token: str | None = None,
    stream: TextIO | None = None,
    *,
    secrets: Sequence[str] = (),
) -> logging.Handler:
    """Send every log line to ``stream`` (standard error), replacing earlier handlers;
    ``token`` and ``secrets`` are blanked wherever they appear."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines() if fmt == "json" else OneLine())
    handler.addFilter(RedactTokens(token, secrets))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, least in HELD_BACK.items():
        logging.getLogger(name).setLevel(least)
    return handler
