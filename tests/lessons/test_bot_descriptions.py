"""Telegram's own words about the bot, per language: what anyone sees on its profile, in a
shared link and in the empty chat before /start, so as discreet as a lock screen."""

from __future__ import annotations

import pytest

from lessons import load_library
from lessons.rules import words

LIMITS = {"bot.description": 512, "bot.short_description": 120}
"""The Bot API's limits for setMyDescription and setMyShortDescription."""


def _contains(haystack: list[str], term: str) -> bool:
    needle = term.split()
    return any(
        haystack[at : at + len(needle)] == needle for at in range(len(haystack) - len(needle) + 1)
    )


@pytest.mark.parametrize("key", sorted(LIMITS))
def test_every_language_describes_the_bot_plainly_discreetly_and_within_limits(key: str) -> None:
    for language, catalog in load_library().catalogs.items():
        text = catalog.text(key)
        assert 0 < len(text) <= LIMITS[key], (language, key)
        # Telegram shows these as plain text: no markup, no placeholders.
        assert not set(text) & set("<>{}"), (language, key)
        found = [t for t in catalog.rules.explicit_words if _contains(words(text), t)]
        assert found == [], (language, key, found)
