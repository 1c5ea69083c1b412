"""Failures a test asks for: the next calls to a method get an error answer, or lose the
connection, before the stand-in looks at them."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from telegram.error import NetworkError

from .model import ApiError


@dataclass(frozen=True)
class _Fault:
    error_code: int | None  # None: the connection fails instead of the server answering
    description: str
    retry_after: int | None


class Faults:
    """Queued failures, per method name (matched case-insensitively, as the Bot API does)."""

    def __init__(self) -> None:
        self._queued: dict[str, deque[_Fault]] = {}

    def add(
        self,
        method: str,
        error_code: int | None,
        description: str,
        retry_after: int | None,
        times: int,
    ) -> None:
        fault = _Fault(error_code, description, retry_after)
        self._queued.setdefault(method.lower(), deque()).extend([fault] * times)

    def raise_next(self, method: str) -> None:
        """Raise the next failure queued for ``method``, if there is one."""
        queue = self._queued.get(method.lower())
        if not queue:
            return
        fault = queue.popleft()
        if fault.error_code is None:
            raise NetworkError(fault.description)
        raise ApiError(fault.error_code, fault.description, fault.retry_after)
