"""Spanish says "a las 13:00" but "a la 01:30": the article agrees with the time filled in."""

from __future__ import annotations

from datetime import time

import pytest

from lessons import Catalog, load_library
from lessons.agreement import agree_time_articles
from scheduler.timing import format_local_time

SPANISH = ("las", "la")


@pytest.fixture(scope="module")
def spanish() -> Catalog:
    return load_library().catalog("es")


@pytest.fixture(scope="module")
def english() -> Catalog:
    return load_library().catalog("en")


@pytest.mark.parametrize(
    ("at", "article"),
    [
        ("01:00", "la"),  # la una
        ("01:30", "la"),  # la una y media
        ("1:05", "la"),  # as a person might type it
        ("13:00", "las"),  # las trece: the 24-hour clock, never "la 13:00"
        ("00:00", "las"),  # las cero horas, midnight
        ("00:30", "las"),
        ("11:00", "las"),
        ("21:15", "las"),
    ],
)
def test_the_article_agrees_with_the_hour(at, article):
    template = "a las {time}"
    assert agree_time_articles(template, {"time": at}, SPANISH) == f"a {article} {{time}}"


def test_every_minute_of_the_day_as_the_bot_writes_it():
    # Exhaustive rather than random: exactly the sixty minutes from 01:00 are singular.
    singular = []
    for minute in range(24 * 60):
        at = format_local_time(time(minute // 60, minute % 60))
        if agree_time_articles("las {time}", {"time": at}, SPANISH) == "la {time}":
            singular.append(at)
    assert singular == [f"01:{minute:02d}" for minute in range(60)]


def test_only_the_article_before_that_time_changes():
    template = "Las {start} y de las {start} a las {end}; las {total} lecciones"
    values = {"start": "01:00", "end": "07:00", "total": "1"}
    expected = "La {start} y de la {start} a las {end}; las {total} lecciones"
    assert agree_time_articles(template, values, SPANISH) == expected


def test_a_language_without_the_rule_is_left_as_written():
    assert agree_time_articles("at {time}", {"time": "01:00"}, ()) == "at {time}"
    # "las" inside another word, or not right before the placeholder, is not an article.
    words = "Dallas {time}, las horas {time}"
    assert agree_time_articles(words, {"time": "01:00"}, SPANISH) == words


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("settings.saved_time", {"time": "01:00"}, "Guardado: lecciones a la 01:00."),
        ("settings.saved_time", {"time": "01:30"}, "Guardado: lecciones a la 01:30."),
        ("settings.saved_time", {"time": "13:00"}, "Guardado: lecciones a las 13:00."),
        ("settings.saved_time", {"time": "00:00"}, "Guardado: lecciones a las 00:00."),
        ("settings.quiet_hours.start", {"time": "01:00"}, "Desde la 01:00"),
        ("settings.quiet_hours.end", {"time": "01:00"}, "Hasta la 01:00"),
        ("settings.quiet_hours.end", {"time": "07:00"}, "Hasta las 07:00"),
    ],
)
def test_spanish_ui_texts_agree_when_filled(spanish, key, values, expected):
    assert spanish.text(key, **values) == expected


def test_a_rhythm_and_the_held_note_agree_too(spanish):
    rhythm = spanish.text("couple.rhythm.theirs_waiting", days="cada día", time="01:15")
    assert rhythm == "Tu pareja propone lecciones cada día a la 01:15."
    held = spanish.text("settings.now.held", planned="01:00")
    assert "tocaba a la 01:00" in held
    wait = spanish.text("settings.quiet_hours.now_wait", start="22:00", end="01:00")
    assert "De 22:00 a 01:00" in wait and "llegan a la 01:00" in wait


def test_english_is_unaffected(english):
    assert english.rules.time_article == ()
    for at in ("01:00", "13:00", "00:00"):
        filled = english.text("settings.saved_time", time=at)
        assert filled == english.ui["settings.saved_time"].format(time=at)
