"""The one shape every language's reading of a typed time shares.

A language says how to clean what was typed, which words name a time outright ("noon"),
how a part of the day is said after the time ("pm", "de la noche") and what it does to
the hour, and how the rest reads as an hour and a minute. ``read_spoken`` puts them
together, so the range checks are written once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time

LONGEST_TIME = 40  # longer text is not a time, and is not worth matching


@dataclass(frozen=True, slots=True)
class SpokenTimes:
    """How one language says a time of day."""

    clean: Callable[[str], str]
    named: Mapping[str, time]
    day_part: re.Pattern[str]
    """Said after the time; its match is handed to ``in_day_part``."""
    in_day_part: Callable[[int, re.Match[str]], int]
    """The 24-hour hour for a twelve-hour ``hour`` (1 to 12) said with that part of the day."""
    read: Callable[[str], tuple[int, int] | None]
    """Hour and minute of what is left, before the part of the day applies."""


def read_spoken(language: SpokenTimes, text: str) -> time | None:
    """The time ``text`` says in ``language``, or None."""
    if len(text) > LONGEST_TIME:
        return None
    cleaned = language.clean(text)
    if cleaned in language.named:
        return language.named[cleaned]
    part = language.day_part.search(cleaned)
    if part is not None:
        cleaned = cleaned[: part.start()]
    reading = language.read(cleaned)
    if reading is None:
        return None
    hour, minute = reading
    if part is not None:
        if not 1 <= hour <= 12:
            return None
        hour = language.in_day_part(hour, part)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
