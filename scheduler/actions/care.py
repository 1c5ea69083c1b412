"""Typed text outside any flow: which answer it deserves. Nothing is stored or logged.

The message is folded into words and checked against the cues in the content
(``care-words.yaml``); only the kind of answer comes back, never the text.
"""

from __future__ import annotations

from enum import StrEnum

from lessons.care import fold, mentions
from lessons.model import CareCues


class Answer(StrEnum):
    URGENT = "urgent"
    """Thoughts of suicide or self-harm, or being in danger: first, reach help now."""
    CRISIS = "crisis"
    """Pain, distress or feeling unsafe: lead with where to find support."""
    PARTNER = "partner"
    """Someone asking how to respond to the person who cries: words for them first."""
    ORDINARY = "ordinary"
    """Anything else: one warm line, and the likely next steps."""


def answer_for(cues: CareCues, text: str) -> Answer:
    """An urgent cue wins over a crisis cue, and a crisis cue over a partner cue: safety
    comes before the right words, and immediate danger before everything."""
    words = fold(text)
    if mentions(words, cues.urgent):
        return Answer.URGENT
    if mentions(words, cues.crisis):
        return Answer.CRISIS
    if mentions(words, cues.partner):
        return Answer.PARTNER
    return Answer.ORDINARY
