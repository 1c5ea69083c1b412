"""Times typed in Spanish read as the same wall-clock time a Spanish speaker means."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scheduler.times import parse_local_time
from scheduler.times_es import parse_spanish_time

HOUR_WORDS = ["una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
              "diez", "once", "doce"]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("siete y media", time(7, 30)),
        ("a las 8", time(8)),
        ("19:30", time(19, 30)),
        ("a las 19:30", time(19, 30)),
        ("las 7 y cuarto", time(7, 15)),
        ("ocho menos cuarto", time(7, 45)),
        ("cuarto para las nueve", time(8, 45)),
        ("diez para las 8", time(7, 50)),
        ("la una menos diez", time(12, 50)),
        ("9 de la noche", time(21)),
        ("nueve y media de la noche", time(21, 30)),
        ("a las ocho y media de la tarde", time(20, 30)),
        ("6 por la tarde", time(18)),
        ("doce de la noche", time(0)),
        ("3 de la madrugada", time(3)),
        ("7 de la mañana", time(7)),
        ("una del mediodía", time(13)),
        ("Mediodía", time(12)),
        ("medianoche", time(0)),
        ("la una", time(1)),
        ("siete treinta", time(7, 30)),
        ("nueve cuarenta y cinco", time(9, 45)),
        ("las siete en punto", time(7)),
        ("siete y veinticinco", time(7, 25)),
        ("ocho y 10", time(8, 10)),
        ("8 p. m.", time(20)),
        ("8:30 a. m.", time(8, 30)),
        ("19h30", time(19, 30)),
        ("19.30", time(19, 30)),
        ("DIECINUEVE", None),
        ("media para las 8", None),
        ("siete cinco", None),
        ("las 25", None),
        ("13 de la tarde", None),
        ("hola", None),
        ("a las", None),
        ("", None),
        ("-1:00", None),
    ],
)
def test_spanish_times(typed: str, expected: time | None) -> None:
    assert parse_local_time(typed) == expected


def test_english_and_spanish_never_disagree_on_digits() -> None:
    for hour in range(24):
        for minute in (0, 5, 30, 59):
            typed = f"{hour}:{minute:02d}"
            assert parse_spanish_time(typed) == parse_local_time(typed) == time(hour, minute)


@given(st.integers(1, 12), st.sampled_from([("y cuarto", 15), ("y media", 30), ("", 0)]))
def test_an_hour_in_words_with_a_quarter_or_a_half(hour: int, said: tuple[str, int]) -> None:
    words, minute = said
    typed = f"a las {HOUR_WORDS[hour - 1]} {words}".strip()
    assert parse_local_time(typed) == time(hour % 12 if hour != 12 else 12, minute)


@given(st.integers(1, 12), st.integers(1, 11))
@example(1, 11)
def test_de_la_noche_is_the_evening_and_counting_back_crosses_the_hour(
    hour: int, minutes_before: int
) -> None:
    evening = parse_local_time(f"{HOUR_WORDS[hour - 1]} de la noche")
    assert evening == (time(0) if hour == 12 else time(hour + 12))
    typed = f"{HOUR_WORDS[hour - 1]} menos {minutes_before * 5}"
    back = parse_local_time(typed)
    assert back is not None
    assert (back.hour % 12 + 1) % 12 == hour % 12
    assert back.minute == 60 - minutes_before * 5


@given(st.text(max_size=60))
def test_any_text_is_a_time_or_none_and_never_an_error(text: str) -> None:
    found = parse_spanish_time(text)
    assert found is None or isinstance(found, time)
