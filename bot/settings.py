"""Settings: one frozen object, built once from the environment (a ``.env`` file may supply
it) and handed to whatever needs it. No handler reads ``os.environ``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_DATABASE_URL = "sqlite:///data/softlanding.db"
TELEGRAM_RATE = 30.0
"""About how many messages a second Telegram accepts from one bot token."""
DEFAULT_GRACE = timedelta(hours=3)
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it and what is expected."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None = None
    api_base_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    log_level: str = "INFO"
    send_rate: float = TELEGRAM_RATE
    """Messages a second this process may send: Telegram's limit belongs to the token, so
    with several processes each takes its share (two processes: 15 each)."""
    delivery_grace: timedelta = DEFAULT_GRACE
    """How late a missed delivery may still go out after downtime; older ones are skipped."""

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        """Read settings; real environment variables win over the ``.env`` file."""
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        return cls(
            token=_optional(values, "TELEGRAM_BOT_TOKEN"),
            api_base_url=_optional(values, "TELEGRAM_API_BASE_URL"),
            database_url=_optional(values, "DATABASE_URL") or DEFAULT_DATABASE_URL,
            admin_ids=_admin_ids(values.get("ADMIN_IDS", "")),
            log_level=_log_level(values.get("LOG_LEVEL", "INFO")),
            send_rate=_send_rate(values.get("SEND_RATE", "")),
            delivery_grace=_grace(values.get("DELIVERY_GRACE_MINUTES", "")),
        )


def _optional(values: Mapping[str, str], name: str) -> str | None:
    value = values.get(name, "").strip()
    return value or None


def _admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise SettingsError(
                f"ADMIN_IDS: {part!r} is not a Telegram user id; "
                "expected whole numbers separated by commas, such as 12345,67890"
            )
        ids.add(int(part))
    return frozenset(ids)


def _log_level(raw: str) -> str:
    level = raw.strip().upper() or "INFO"
    if level not in _LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL: {raw!r} is not a level; expected one of {_LOG_LEVELS}")
    return level


def _send_rate(raw: str) -> float:
    if not raw.strip():
        return TELEGRAM_RATE
    try:
        rate = float(raw)
    except ValueError:
        rate = 0.0
    if not 0 < rate <= TELEGRAM_RATE:
        raise SettingsError(
            f"SEND_RATE: {raw!r} is not a rate; expected messages a second, above 0 and at "
            f"most {TELEGRAM_RATE:g}, such as 15 for each of two processes"
        )
    return rate


def _grace(raw: str) -> timedelta:
    if not raw.strip():
        return DEFAULT_GRACE
    if not raw.strip().isdigit():
        raise SettingsError(
            f"DELIVERY_GRACE_MINUTES: {raw!r} is not a number of minutes; expected a whole "
            "number such as 180 (0 sends nothing that was missed)"
        )
    return timedelta(minutes=int(raw))
