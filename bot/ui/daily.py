"""``/daily``'s own buttons: open the flow, pick a course, stop the lessons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import Speaks
from bot.ui.keyboards import Row, keyboard
from lessons.model import Track

DAILY = buttons.Feature("daily", stale=buttons.EXPIRED)
BEGIN = DAILY.button("begin")
TRACK = DAILY.button1("track", buttons.enum_arg(Track))
STOP = DAILY.button("stop")
SHOW = DAILY.button("show")
"""Where the course stands: /daily's summary, from /start's welcome back."""
RESUME = DAILY.button("resume")
"""After a stop: the lessons back on the days, time and zone they had."""

# After a shared entry or an invite, the partner's course comes first.
_ORDER = {"daily.track.ask": tuple(Track), "share.invite": (Track.PARTNER, Track.SELF)}
_LABELS = {"daily.track.ask": "daily.track.{}", "share.invite": "share.invite.{}"}


def track_keyboard(context: Speaks, prompt: str, *extra: Row) -> InlineKeyboardMarkup:
    """One button per course, labelled and ordered for the question they answer."""
    label = _LABELS[prompt]
    return keyboard(
        *[
            [(context.text(label.format(track.value)), TRACK.data(track))]
            for track in _ORDER[prompt]
        ],
        *extra,
    )
