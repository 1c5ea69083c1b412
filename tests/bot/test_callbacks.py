"""Callback data: what goes into a button comes back out, and anything else is refused."""

from __future__ import annotations

import pytest

from bot import callbacks


def test_data_round_trips() -> None:
    data = callbacks.build("daily", "time", "0730")
    assert data == "daily:time:0730"
    parsed = callbacks.parse(data)
    assert parsed is not None
    assert (parsed.feature, parsed.action, parsed.args) == ("daily", "time", ("0730",))
    assert parsed.arg() == "0730" and parsed.arg(1) is None


@pytest.mark.parametrize(
    "data", [None, "", "nocolon", ":action", "feature:", "a:b:c d", "a:b:<x>", "x" * 65]
)
def test_malformed_data_is_refused(data: str | None) -> None:
    assert callbacks.parse(data) is None


def test_data_that_would_not_fit_a_button_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        callbacks.build("tech", "open", "x" * 60)
    with pytest.raises(ValueError, match="short words"):
        callbacks.build("tech", "open", "has:colon")


def test_a_pattern_matches_only_its_feature() -> None:
    pattern = callbacks.pattern("les")
    assert pattern.match("les:next")
    assert not pattern.match("lesson:next") and not pattern.match("tech:les:x")
