"""Times of day as people type them: ``7:30``, ``0730``, ``19h``, ``7:30pm``, ``noon``,
``half past seven``, ``quarter to nine``, ``ten to six pm``, ``seven thirty``.

The rule for a twelve-hour reading without am or pm ("half past seven", "seven o'clock"):
it is the morning, except twelve, which is midday; "pm", "in the evening" or "in the
afternoon" make it later. Digits without am or pm are a 24-hour clock, as before: "7:30" is
07:30 and "19:30" is 19:30. "Quarter to one" is 12:45, counted back on the clock face.

What English does not read is tried as Spanish (``scheduler/times_es.py``): no time reads
differently in the two, so a person's language need not be known to read their time.
"""

from __future__ import annotations

import re
from datetime import time

from scheduler.times_es import parse_spanish_time

_LONGEST_TIME = 40  # longer text is not a time, and is not worth matching
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_HOUR_WORDS = {word: number for number, word in enumerate([*_UNITS, *_TEENS[:3]], start=1)}
_MINUTE_WORDS = {
    **{word: number for number, word in enumerate([*_UNITS, *_TEENS], start=1)},
    **_TENS,
    **{
        f"{ten} {unit}": value + n
        for ten, value in _TENS.items()
        for n, unit in enumerate(_UNITS, 1)
    },
    **{f"{oh} {unit}": n for oh in ("oh", "o") for n, unit in enumerate(_UNITS, 1)},
}
_NAMED = {
    "noon": time(12),
    "midday": time(12),
    "12 noon": time(12),
    "midnight": time(0),
    "12 midnight": time(0),
}
_MERIDIEM = re.compile(
    r"\s*(?P<am>a\.?m\.?|in the morning)$|\s*(?P<pm>p\.?m\.?|in the (?:afternoon|evening))$"
)
_OCLOCK = re.compile("\\s*o\\s?['\u2019]?\\s?clock$")  # phones curl the apostrophe
_RELATIVE = re.compile(
    r"^(?P<minutes>.+?)(?: minutes?)? (?P<way>past|after|to|before) (?P<hour>\S+)$"
)
_DIGITS = re.compile(r"^(?P<hour>\d{1,2})(?::(?P<minute>\d{1,2})|[.h](?P<minute2>\d{2})|h)?$")
_COMPACT = re.compile(r"^(?P<hour>\d{1,2})(?P<minute>\d{2})$")


def parse_local_time(text: str) -> time | None:
    """Read a wall-clock time as people type it; see the module docstring for the forms.

    Returns None when the text is not a time, so the caller can say what is expected.
    """
    if len(text) > _LONGEST_TIME:
        return None
    return _parse_english(text) or parse_spanish_time(text)


def _parse_english(text: str) -> time | None:
    cleaned = _clean(text)
    if cleaned in _NAMED:
        return _NAMED[cleaned]
    meridiem = _MERIDIEM.search(cleaned)
    if meridiem is not None:
        cleaned = cleaned[: meridiem.start()]
    reading = _read(cleaned)
    if reading is None:
        return None
    hour, minute = reading
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.group("pm") else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _clean(text: str) -> str:
    if len(text) > _LONGEST_TIME:
        return ""
    # "twenty-five" is two words; a hyphen anywhere else is not part of a time.
    words = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text.strip().lower()).split()
    if words[:1] == ["at"]:
        words = words[1:]
    return " ".join(words)


def _read(text: str) -> tuple[int, int] | None:
    """Hour and minute before am or pm is applied, or None."""
    text = _OCLOCK.sub("", text)
    relative = _RELATIVE.match(text)
    if relative is not None:
        return _relative(relative["minutes"], relative["way"], relative["hour"])
    digits = _DIGITS.match(text) or _COMPACT.match(text)
    if digits is not None:
        minute = digits.groupdict().get("minute") or digits.groupdict().get("minute2") or 0
        return int(digits["hour"]), int(minute)
    hour_word, _, minute_words = text.partition(" ")
    if hour_word in _HOUR_WORDS:
        if not minute_words:
            return _HOUR_WORDS[hour_word], 0
        minute = _MINUTE_WORDS.get(minute_words, 0)
        # "seven five" is not how anyone says 7:05; "seven oh five" is.
        if minute >= 10 or minute_words.startswith("o"):
            return _HOUR_WORDS[hour_word], minute
    return None


def _relative(minutes_text: str, way: str, hour_text: str) -> tuple[int, int] | None:
    """``quarter past 8``, ``half past seven``, ``ten to six``, ``25 to 9``."""
    hour = _HOUR_WORDS.get(hour_text, int(hour_text) if hour_text.isdigit() else None)
    minutes = {"quarter": 15, "a quarter": 15, "half": 30}.get(minutes_text)
    if minutes is None:
        minutes = int(minutes_text) if minutes_text.isdigit() else _MINUTE_WORDS.get(minutes_text)
    if hour is None or minutes is None or not 1 <= minutes <= 59 or hour > 23:
        return None
    if way in {"past", "after"}:
        return hour, minutes
    if minutes_text == "half":
        return None  # "half to seven" is not said in English
    # Counted back on the clock face, so "quarter to one" is 12:45.
    earlier = (12 if hour == 1 else hour - 1) if 1 <= hour <= 12 else (hour - 1) % 24
    return earlier, 60 - minutes
