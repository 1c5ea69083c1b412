"""The article before a clock time, made to agree with the time filled in.

Spanish names a time with an article that agrees with its hour: "a las 13:00", "a las 00:30",
but "a la 01:00" and "a la 01:30" (la una, la una y media). Almost every hour takes the
plural, so a ui text writes the plural before its time placeholder ("a las {time}") and the
article turns singular when the time filled in falls in the one o'clock hour. Times are
written on a 24-hour clock (``scheduler.timing.format_local_time``), so 13:00 is plural.

The two words come from the language's ``rules.yaml`` (``time_article``); a language without
them, such as English, is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_ONE_OCLOCK = re.compile(r"0?1:[0-5]\d")
"""A time in the one o'clock hour as the bot writes it ("01:30"), or as typed ("1:30")."""


def agree_time_articles(
    template: str, values: Mapping[str, object], article: tuple[str, ...]
) -> str:
    """``template`` with the plural article turned singular before each placeholder that
    ``values`` fills with a one o'clock time; ``article`` is (plural, singular), or empty."""
    if len(article) != 2:
        return template
    plural, singular = article
    for name, value in values.items():
        if isinstance(value, str) and _ONE_OCLOCK.fullmatch(value):
            before = re.compile(rf"\b{re.escape(plural)} (?=\{{{re.escape(name)}\}})", re.I)
            template = before.sub(lambda found: _same_case(found[0], singular) + " ", template)
    return template


def _same_case(written: str, word: str) -> str:
    """``word`` capitalised as ``written`` was: "Las" gives "La", "las" gives "la"."""
    return word[:1].upper() + word[1:] if written[:1].isupper() else word
