"""Times of day as Spanish speakers type them: ``a las 8``, ``las 19:30``, ``siete y media``,
``ocho menos cuarto``, ``cuarto para las nueve``, ``9 de la noche``, ``mediodía``.

The same rule as in English for a reading without a part of the day: words are the morning
("siete y media" is 07:30) except twelve, which is midday; "de la tarde" or "de la noche"
make it later ("doce de la noche" is midnight), "de la mañana" or "de la madrugada" keep it
early. Digits without a part of the day are a 24-hour clock. Accents never matter.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time

_LONGEST_TIME = 40  # longer text is not a time, and is not worth matching
_HOURS = {
    "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
_ONES = {
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9,
}  # fmt: skip
_SMALL = {
    **_ONES,
    "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiuno": 21, "veintiuna": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
    "veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28,
    "veintinueve": 29, "cuarto": 15, "media": 30,
}  # fmt: skip
_TENS = {"treinta": 30, "cuarenta": 40, "cincuenta": 50}
_MINUTES = {
    **_SMALL,
    **_TENS,
    **{f"{ten} y {one}": value + n for ten, value in _TENS.items() for one, n in _ONES.items()},
}
_NAMED = {"mediodia": time(12), "medianoche": time(0)}
_EARLY = {"manana", "madrugada", "am"}
# "de la tarde", "por la noche", "en la mañana", "del mediodía", or "p. m." (as Spanish
# writes it, with spaces), after the time.
_PART_OF_DAY = re.compile(
    r"\s+(?:de|por|en)\s+la\s+(?P<part>manana|madrugada|tarde|noche)$"
    r"|\s+del\s+(?P<noon>mediodia)$"
    r"|\s*(?:(?P<am>a\.\s?m)|(?P<pm>p\.\s?m))\.?$"
)
_DIGITS = re.compile(r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})|h)?$")
# "menos cuarto", "y diez", "con veinte" after the hour; "cuarto para las nueve" before it.
_AFTER = re.compile(r"^(?P<hour>\S+)\s+(?P<way>y|con|menos)\s+(?P<minutes>.+?)(?:\s+minutos?)?$")
_BEFORE = re.compile(r"^(?P<minutes>.+?)(?:\s+minutos?)?\s+para\s+(?:las?\s+)?(?P<hour>\S+)$")
_WORDS_THEN_MINUTES = re.compile(r"^(?P<hour>[a-z]+)\s+(?P<minutes>[a-z]+(?:\s+y\s+[a-z]+)?)$")


def parse_spanish_time(text: str) -> time | None:
    """A wall-clock time in Spanish, or None; see the module docstring for the forms."""
    cleaned = _clean(text)
    if cleaned in _NAMED:
        return _NAMED[cleaned]
    part = _PART_OF_DAY.search(cleaned)
    if part is not None:
        cleaned = cleaned[: part.start()]
    reading = _read(cleaned)
    if reading is None:
        return None
    hour, minute = reading
    if part is not None:
        if not 1 <= hour <= 12:
            return None
        named = part["part"] or part["noon"] or ("am" if part["am"] else "pm")
        hour = _in_part_of_day(hour, named)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _clean(text: str) -> str:
    if len(text) > _LONGEST_TIME:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    # A hyphen between letters parts words; anywhere else ("-1:00") it is not part of a time.
    words = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", plain).split()
    if words[:1] == ["a"]:
        words = words[1:]  # "a las ocho"
    if words[:1] in (["la"], ["las"]):
        words = words[1:]  # "las ocho", "la una"
    if words[-2:] == ["en", "punto"]:
        words = words[:-2]  # "las siete en punto"
    return " ".join(words)


def _in_part_of_day(hour: int, part: str) -> int:
    if part in _EARLY:
        return hour % 12
    if part == "noche" and hour == 12:
        return 0  # "las doce de la noche" is midnight
    if part == "mediodia":
        return 12 if hour == 12 else hour + 12 if hour <= 3 else hour
    return hour % 12 + 12


def _read(text: str) -> tuple[int, int] | None:
    """Hour and minute before the part of the day is applied, or None."""
    digits = _DIGITS.match(text)
    if digits is not None:
        return int(digits["hour"]), int(digits["minute"] or 0)
    if text in _HOURS:
        return _HOURS[text], 0
    before = _BEFORE.match(text)
    if before is not None:
        return _counted_back(before["hour"], before["minutes"])
    after = _AFTER.match(text)
    if after is not None:
        if after["way"] == "menos":
            return _counted_back(after["hour"], after["minutes"])
        return _past(after["hour"], after["minutes"])
    spoken = _WORDS_THEN_MINUTES.match(text)
    if spoken is not None and spoken["hour"] in _HOURS:
        # "siete treinta", "nueve cuarenta y cinco": the minutes said after the hour.
        minutes = _MINUTES.get(spoken["minutes"])
        if minutes is not None and minutes >= 10 and spoken["minutes"] not in {"cuarto", "media"}:
            return _HOURS[spoken["hour"]], minutes
    return None


def _hour(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _HOURS.get(text)


def _minutes(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _MINUTES.get(text)


def _past(hour_text: str, minutes_text: str) -> tuple[int, int] | None:
    """``siete y media``, ``8 y cuarto``, ``nueve con diez``."""
    hour, minutes = _hour(hour_text), _minutes(minutes_text)
    if hour is None or minutes is None or not 1 <= minutes <= 59:
        return None
    return hour, minutes


def _counted_back(hour_text: str, minutes_text: str) -> tuple[int, int] | None:
    """``ocho menos cuarto`` and ``cuarto para las ocho`` are both 7:45; ``la una menos
    diez`` is 12:50, counted back on the clock face."""
    hour, minutes = _hour(hour_text), _minutes(minutes_text)
    if hour is None or minutes is None or not 1 <= minutes <= 59 or minutes_text == "media":
        return None
    if hour > 23:
        return None
    earlier = (12 if hour == 1 else hour - 1) if 1 <= hour <= 12 else (hour - 1) % 24
    return earlier, 60 - minutes
