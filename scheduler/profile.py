"""What a person told the course about themselves: three answers by option id, the taps
under lessons, and whether they chose the standard order. Nothing typed is ever kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from lessons.model import Track
from lessons.planner import NO_ANSWERS, Answers, Verdict


def _no_feedback() -> Mapping[str, Verdict]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Profile:
    subscriber_id: int
    answers: Answers = NO_ANSWERS
    asked: bool = False
    """The questions were offered once; /settings asks them again on request."""
    standard: bool = False
    """The person chose the standard order: the answers are kept but not used."""
    kept: tuple[str, ...] = ()
    """The lessons already sent when the order last changed, in the order they were sent."""
    kept_track: Track | None = None
    feedback: Mapping[str, Verdict] = field(default_factory=_no_feedback)

    @property
    def answered(self) -> bool:
        return self.answers != NO_ANSWERS
