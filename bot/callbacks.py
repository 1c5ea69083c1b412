"""Callback data for inline buttons: ``feature:action[:arg...]``, built and read in one place.

Telegram keeps at most 64 bytes of callback data, and a button can be pressed days after it
was sent, so everything read back is treated as untrusted input: ``parse`` returns None for
anything that is not well formed, and handlers answer that politely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_.\-]*$")


@dataclass(frozen=True, slots=True)
class Callback:
    feature: str
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int = 0) -> str | None:
        return self.args[index] if index < len(self.args) else None


def build(feature: str, action: str, *args: str | int) -> str:
    """The callback data for a button; raises ValueError if it could not round-trip."""
    parts = [feature, action, *map(str, args)]
    if not all(part and _PART.match(part) for part in parts[:2]) or not all(
        _PART.match(part) for part in parts
    ):
        raise ValueError(f"callback parts must be short words, got {parts!r}")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def parse(data: str | None) -> Callback | None:
    """Read callback data back, or None when it is not something ``build`` could make."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    feature, _, rest = data.partition(":")
    action, _, tail = rest.partition(":")
    parts = [feature, action, *(tail.split(":") if tail else [])]
    if not feature or not action or not all(_PART.match(part) for part in parts):
        return None
    return Callback(feature, action, tuple(parts[2:]))


def pattern(feature: str) -> re.Pattern[str]:
    """The CallbackQueryHandler pattern that routes a feature's buttons to its handler."""
    return re.compile(rf"^{re.escape(feature)}:")
