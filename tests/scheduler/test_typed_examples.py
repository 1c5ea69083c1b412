"""The examples the refusals offer are ones the parsers accept."""

from __future__ import annotations

import pytest

from lessons import load_catalog
from scheduler.timing import parse_local_time
from scheduler.zones import search_zone

TIME_EXAMPLES = ["7:30", "19:05", "0730", "7pm", "noon", "half past seven", "quarter to nine"]
ZONE_EXAMPLES = [
    *["Berlin", "New York", "Kyiv", "Mumbai", "Portland, Maine", "Europe/Berlin", "Asia/Tokyo"],
    *["UTC-12", "UTC+14", "UTC+2", "UTC-5:30", "São Paulo"],
]


@pytest.mark.parametrize("example", TIME_EXAMPLES)
def test_every_time_example_is_offered_and_read(example: str) -> None:
    assert example in load_catalog().text("when.time.invalid")
    assert parse_local_time(example) is not None


@pytest.mark.parametrize("example", ZONE_EXAMPLES)
def test_every_zone_example_is_offered_and_names_one_zone(example: str) -> None:
    catalog = load_catalog()
    assert example in catalog.text("when.zone.invalid") + catalog.text("when.zone.ask")
    assert search_zone(example).zone is not None
