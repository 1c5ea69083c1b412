"""Typed button arguments: what a button writes comes back out, anything else is refused."""

from __future__ import annotations

from datetime import time
from typing import Any, cast

import pytest

from bot import buttons
from bot.context import BotContext
from bot.ui import daily, lessons, phrases, reminders, settings, techniques
from lessons import Track, load_catalog
from scheduler.model import QuietMode
from scheduler.zones import search_zone

NO_CONTEXT = cast(BotContext, None)  # the plain arguments never look at it


def test_int_args_keep_to_their_bounds() -> None:
    day = buttons.int_arg(0, 6)
    assert [day.read(NO_CONTEXT, text) for text in ("0", "6", "7", "-1", "x", "")] == [
        0,
        6,
        None,
        None,
        None,
        None,
    ]
    with pytest.raises(ValueError, match="outside"):
        day.write(7)


def test_enum_flag_time_and_choice_args_round_trip() -> None:
    cases: list[tuple[buttons.Arg[Any], object, str]] = [
        (buttons.enum_arg(Track), Track.PARTNER, "partner"),
        (buttons.enum_arg(QuietMode), QuietMode.WAIT, "wait"),
        (buttons.flag_arg, True, "1"),
        (buttons.flag_arg, False, "0"),
        (buttons.time_arg, time(7, 30), "0730"),
        (buttons.choice_arg(("a", "b")), "b", "1"),
    ]
    for arg, value, written in cases:
        assert arg.write(value) == written
        assert arg.read(NO_CONTEXT, written) == value
    for arg, bad in [
        (buttons.enum_arg(Track), "nobody"),
        (buttons.flag_arg, "2"),
        (buttons.time_arg, "2460"),
        (buttons.time_arg, "930"),
        (buttons.choice_arg(("a", "b")), "2"),
    ]:
        assert arg.read(NO_CONTEXT, bad) is None


def test_buttons_with_the_longest_content_ids_fit_telegrams_64_bytes() -> None:
    catalog = load_catalog()
    datas = [lessons.NEXT.data(lesson) for track in Track for lesson in catalog.track(track)]
    datas += [techniques.OPEN.data(technique) for technique in catalog.techniques]
    datas += [phrases.SHARE.data(phrase) for phrase in catalog.phrases]
    datas += [reminders.LATER.data(routine) for routine in catalog.routines]
    assert datas and all(len(data.encode()) <= 64 for data in datas)
    assert lessons.RESTART.data(Track.SELF, Track.PARTNER) == "les:track:self:partner"


def test_a_router_needs_exactly_one_row_per_button() -> None:
    feature = buttons.Feature("demo")
    tap = feature.button("tap")

    async def run(_: buttons.Press) -> None:
        return None

    with pytest.raises(ValueError, match="exactly one row"):
        buttons.router(feature, buttons.on(tap, run), buttons.on(tap, run))
    with pytest.raises(ValueError, match="exactly one row"):
        buttons.router(feature, buttons.on(buttons.Feature("other").button("tap"), run))


def test_every_zone_a_place_can_offer_fits_a_place_button_and_reads_back() -> None:
    offered = {
        choice.zone
        for name in ("United States", "Russia", "Brazil", "Australia", "Mexico", "Portland")
        for choice in search_zone(name).zones
    }
    assert len(offered) > 20
    for feature in (daily.DAILY, reminders.REMINDERS, settings.SETTINGS):
        place = feature.button1("place", buttons.zone_arg)
        for zone in offered:
            data = place.data(zone)
            assert len(data.encode()) <= 64
            assert buttons.zone_arg.read(NO_CONTEXT, data.split(":")[-1]) == zone


def test_a_zone_argument_refuses_what_is_not_a_zone() -> None:
    read = buttons.zone_arg.read
    assert read(NO_CONTEXT, "America.New_York") == "America/New_York"
    assert [read(NO_CONTEXT, text) for text in ("Mars.Olympus", "", "america.new_york")] == [
        None,
        None,
        None,
    ]
