"""Time zones from what people type: places, countries, IANA names and fixed offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.timing import parse_zone
from scheduler.zones import MAX_CHOICES, ZoneChoice, fold, search_zone


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("berlin", "Europe/Berlin"),
        ("Tokyo", "Asia/Tokyo"),
        ("New York", "America/New_York"),
        ("new york city", "America/New_York"),
        ("Kyiv", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
        ("Київ", "Europe/Kyiv"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("SÃO PAULO", "America/Sao_Paulo"),
        ("Mumbai", "Asia/Kolkata"),
        ("Bombay", "Asia/Kolkata"),
        ("Lodz", "Europe/Warsaw"),
        ("zurich", "Europe/Zurich"),
        ("St. Petersburg", "Europe/Moscow"),
        ("  Paris  ", "Europe/Paris"),  # not Paris, Texas: far smaller
        ("Germany", "Europe/Berlin"),
        ("Portland, Maine", "America/New_York"),
        ("Portland Oregon", "America/Los_Angeles"),
        ("Portland, OR", "America/Los_Angeles"),
        ("Portland ME", "America/New_York"),
        ("London, Canada", "America/Toronto"),
        ("Perth, United Kingdom", "Europe/London"),
    ],
)
def test_places_and_countries_name_their_zone(text: str, zone: str) -> None:
    found = search_zone(text)
    assert found.zone == zone
    assert not found.fixed_offset
    assert parse_zone(text) == zone


def test_a_place_is_labelled_with_its_region() -> None:
    assert search_zone("Kiev").zones == (ZoneChoice("Europe/Kyiv", "Kyiv, Ukraine"),)
    assert search_zone("Portland, Maine").zones[0].label == "Portland, Maine"


@pytest.mark.parametrize("text", ["Portland", "Springfield", "Washington", "Odessa"])
def test_an_ambiguous_name_offers_distinct_zones_most_populous_first(text: str) -> None:
    found = search_zone(text)
    assert found.ambiguous
    assert found.zone is None
    assert parse_zone(text) is None
    zones = [choice.zone for choice in found.zones]
    assert len(zones) == len(set(zones))
    assert 2 <= len(zones) <= MAX_CHOICES


def test_portland_offers_oregon_first_then_maine() -> None:
    choices = search_zone("Portland").zones
    assert choices[:2] == (
        ZoneChoice("America/Los_Angeles", "Portland, Oregon"),
        ZoneChoice("America/New_York", "Portland, Maine"),
    )


def test_a_country_with_many_zones_offers_at_most_the_cap() -> None:
    choices = search_zone("United States").zones
    assert len(choices) == MAX_CHOICES
    assert choices[0] == ZoneChoice("America/New_York", "New York City, New York")
    # Detroit keeps New York's clocks, so it is not offered as a separate choice.
    assert "America/Detroit" not in {choice.zone for choice in choices}


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        *[
            ("UTC-05:00", "UTC-05:00"),
            ("utc+2", "UTC+02:00"),
            ("GMT", "UTC"),
            ("+0545", "UTC+05:45"),
        ],
        *[("EST", "EST"), ("etc/gmt+5", "Etc/GMT+5")],
    ],
)
def test_a_fixed_offset_is_accepted_and_flagged(text: str, zone: str) -> None:
    found = search_zone(text)
    assert found.zone == zone
    assert found.fixed_offset


def test_an_iana_name_is_not_a_fixed_offset() -> None:
    found = search_zone("europe/berlin")
    assert found.zone == "Europe/Berlin"
    assert not found.fixed_offset


@pytest.mark.parametrize(
    "text",
    [
        *["", "   ", "Mars", "Narnia", "asdf", "Berlin!", "Mars/Olympus", "UTC+15"],
        *["UTC-13", "UTC+2:20", "Springfield, Narnia", "7:30", "12345", "x" * 5000],
        *["Berlin; DROP TABLE", "<b>Tokyo</b>", "@london"],
    ],
)
def test_text_that_names_no_zone_is_refused(text: str) -> None:
    found = search_zone(text)
    assert found.zones == ()
    assert not found.fixed_offset
    assert parse_zone(text) is None


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("  São-Paulo ") == "sao paulo"
    assert fold("ŁÓDŹ") == "lodz"
    assert fold("St. Petersburg") == "st petersburg"


@given(st.text(max_size=60))
def test_any_text_gets_a_well_formed_answer(text: str) -> None:
    found = search_zone(text)
    assert len(found.zones) <= MAX_CHOICES
    assert len({choice.zone for choice in found.zones}) == len(found.zones)
    assert parse_zone(text) == (found.zones[0].zone if len(found.zones) == 1 else None)
    if found.fixed_offset:
        assert len(found.zones) == 1


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Alemania", "Europe/Berlin"),
        ("Reino Unido", "Europe/London"),
        ("Nueva York", "America/New_York"),
        ("Ciudad de México", "America/Mexico_City"),
        ("Londres", "Europe/London"),
        ("Valencia, España", "Europe/Madrid"),
        ("Valencia, Venezuela", "America/Caracas"),
        ("Moscú", "Europe/Moscow"),
    ],
)
def test_places_and_countries_are_found_by_their_spanish_names(typed, zone):
    assert search_zone(typed).zone == zone


def test_a_choice_names_the_country_in_the_persons_language():
    assert [choice.label for choice in search_zone("Berlin", "es").zones] == ["Berlin, Alemania"]
    assert [choice.label for choice in search_zone("Berlin").zones] == ["Berlin, Germany"]


def test_a_spanish_country_with_several_zones_offers_them():
    found = search_zone("España", "es")
    assert [choice.zone for choice in found.zones] == ["Europe/Madrid", "Atlantic/Canary"]
    assert all(choice.label.endswith(", España") for choice in found.zones)


def test_a_language_without_country_names_labels_in_english():
    assert search_zone("Berlin", "xx").zones[0].label == "Berlin, Germany"
