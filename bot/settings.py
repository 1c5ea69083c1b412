"""Settings: one frozen object, built once from the environment (a ``.env`` file may supply
it) and handed to whatever needs it. No handler reads ``os.environ``."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from dotenv import dotenv_values

from scheduler.crypto import KEY_TEXT, DataKey, DataKeyError, read_key_file
from scheduler.delivery import DEFAULT_LEASE

DEFAULT_DATABASE_URL = "sqlite:///data/softlanding.db"
TELEGRAM_RATE = 30.0
"""About how many messages a second Telegram accepts from one bot token."""
PAID_RATE = 1000.0
"""Telegram's limit with paid broadcast (``allow_paid_broadcast``), messages a second."""
DEFAULT_GRACE = timedelta(hours=3)
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_LOG_FORMATS = ("text", "json")
DEFAULT_WEBHOOK_PORT = 8080
_SWITCHES = {
    "1": True,
    "true": True,
    "on": True,
    "yes": True,
    "0": False,
    "false": False,
    "off": False,
    "no": False,
    "": False,
}


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
    delivery_lease: timedelta = DEFAULT_LEASE
    """How long a claimed delivery whose send has not started stays one process's: after a
    crash, any process takes it over once this has passed."""
    log_format: str = "text"
    webhook_url: str | None = None
    """The public HTTPS address Telegram posts updates to; set, it turns webhook mode on."""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = DEFAULT_WEBHOOK_PORT
    webhook_secret: str | None = None
    """Telegram sends it back in a header with every update; derived from the token when unset."""
    metrics: bool = False
    data_key: DataKey | None = field(default=None, repr=False)
    """The key that seals chat ids: from ``DATA_KEY``, or the file ``DATA_KEY_FILE`` names
    when it exists. None: the key file (given or the default) is written at the first start."""
    data_key_file: Path | None = None
    """``DATA_KEY_FILE``: where the key is kept; unset, beside the data folder (see README)."""
    paid_broadcast: bool = False
    """Send scheduled messages with Telegram's paid broadcast, which lifts the token's limit
    to 1,000 a second and charges Telegram Stars for every message above the free 30."""

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        """Read settings; real environment variables win over the ``.env`` file."""
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        paid = _switch(values.get("PAID_BROADCAST", ""), "PAID_BROADCAST")
        return cls(
            token=_optional(values, "TELEGRAM_BOT_TOKEN"),
            api_base_url=_optional(values, "TELEGRAM_API_BASE_URL"),
            database_url=_optional(values, "DATABASE_URL") or DEFAULT_DATABASE_URL,
            admin_ids=_admin_ids(values.get("ADMIN_IDS", "")),
            log_level=_log_level(values.get("LOG_LEVEL", "INFO")),
            send_rate=_send_rate(values.get("SEND_RATE", ""), paid),
            delivery_grace=_grace(values.get("DELIVERY_GRACE_MINUTES", "")),
            delivery_lease=_lease(values.get("DELIVERY_LEASE_SECONDS", "")),
            log_format=_log_format(values.get("LOG_FORMAT", "")),
            webhook_url=_webhook_url(values.get("WEBHOOK_URL", "")),
            webhook_listen=_optional(values, "WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=_port(values.get("WEBHOOK_PORT", "")),
            webhook_secret=_secret(values.get("WEBHOOK_SECRET", "")),
            metrics=_switch(values.get("METRICS", ""), "METRICS"),
            data_key=_data_key(values),
            data_key_file=_data_key_file(values),
            paid_broadcast=paid,
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


def _send_rate(raw: str, paid: bool) -> float:
    """At most Telegram's 30 a second, or its 1,000 with paid broadcast on."""
    if not raw.strip():
        return TELEGRAM_RATE
    try:
        rate = float(raw)
    except ValueError:
        rate = 0.0
    limit = PAID_RATE if paid else TELEGRAM_RATE
    if not 0 < rate <= limit:
        why = (
            "Telegram's limit with PAID_BROADCAST on"
            if paid
            else "Telegram's free limit; PAID_BROADCAST=1 allows up to 1000"
        )
        raise SettingsError(
            f"SEND_RATE: {raw!r} is not a rate; expected messages a second, above 0 and at "
            f"most {limit:g} ({why}), such as 15 for each of two processes"
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


def _lease(raw: str) -> timedelta:
    if not raw.strip():
        return DEFAULT_LEASE
    if not raw.strip().isdigit() or int(raw) < 1:
        raise SettingsError(
            f"DELIVERY_LEASE_SECONDS: {raw!r} is not a number of seconds; expected a whole "
            f"number of at least 1, such as {DEFAULT_LEASE.seconds} (longer than a tick's "
            "batch takes to send)"
        )
    return timedelta(seconds=int(raw))


def _log_format(raw: str) -> str:
    fmt = raw.strip().lower() or "text"
    if fmt not in _LOG_FORMATS:
        raise SettingsError(f"LOG_FORMAT: {raw!r} is not a format; expected one of {_LOG_FORMATS}")
    return fmt


def _webhook_url(raw: str) -> str | None:
    url = raw.strip()
    if url and not url.startswith("https://"):
        raise SettingsError(
            f"WEBHOOK_URL: {url!r} is not an https:// address; Telegram posts updates only "
            "over HTTPS, such as https://bot.example.org/telegram"
        )
    return url or None


def _port(raw: str) -> int:
    if not raw.strip():
        return DEFAULT_WEBHOOK_PORT
    if not raw.strip().isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(
            f"WEBHOOK_PORT: {raw!r} is not a port; expected a number from 1 to 65535, such as "
            f"{DEFAULT_WEBHOOK_PORT}"
        )
    return int(raw)


# Telegram accepts 1-256 characters from this set in secret_token.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def _secret(raw: str) -> str | None:
    secret = raw.strip()
    if secret and not _SECRET.match(secret):
        raise SettingsError(
            "WEBHOOK_SECRET: expected 1 to 256 letters, digits, _ or -, as Telegram requires "
            "(leave it unset to have one derived from the token)"
        )
    return secret or None


def _switch(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value not in _SWITCHES:
        raise SettingsError(f"{name}: {raw!r} is not on or off; expected 1 or 0, true or false")
    return _SWITCHES[value]


def _data_key_file(values: Mapping[str, str]) -> Path | None:
    raw = values.get("DATA_KEY_FILE", "").strip()
    return Path(raw).expanduser().absolute() if raw else None


def _data_key(values: Mapping[str, str]) -> DataKey | None:
    """The data key from ``DATA_KEY``, or read from an existing ``DATA_KEY_FILE``; the
    error names the setting and never shows the value."""
    raw = values.get("DATA_KEY", "").strip()
    file = _data_key_file(values)
    if raw and file is not None:
        raise SettingsError(
            "DATA_KEY and DATA_KEY_FILE are both set; expected one of them: the key itself, "
            "or the file that holds it"
        )
    if raw:
        try:
            return DataKey.from_text(raw)
        except DataKeyError:
            raise SettingsError(f"DATA_KEY is not a data key; expected {KEY_TEXT}") from None
    if file is None or not file.exists():
        return None
    try:
        return read_key_file(file, "DATA_KEY_FILE")
    except DataKeyError as error:
        raise SettingsError(str(error)) from None
