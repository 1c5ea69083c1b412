"""The typed, immutable shapes of everything the bot can say.

Content lives as YAML under ``lessons/content``; ``lessons.catalog`` turns it into these
objects once, after validation, and every part of the bot shares the same instances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Audience(StrEnum):
    SELF = "self"
    PARTNER = "partner"
    BOTH = "both"


class Track(StrEnum):
    """A course: a person follows one track at a time."""

    SELF = "self"
    PARTNER = "partner"


class Situation(StrEnum):
    """When a partner phrase is meant to be said."""

    BEFORE = "before"
    IN_THE_MOMENT = "in-the-moment"
    COMFORTING = "comforting"
    AFTER = "after"
    SIGNALS = "signals"


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Lesson:
    """A daily micro-lesson, readable in under a minute."""

    id: str
    track: Track
    day: int
    title: str
    body: str
    try_: str
    source: tuple[str, ...]
    audience: Audience
    reflect: str | None = None
    technique: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Technique:
    """On-demand help: a few steps to try in the moment or before it."""

    id: str
    name: str
    when: str
    steps: tuple[str, ...]
    source: tuple[str, ...]
    duration: str | None = None


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words a person can say aloud to a partner, or a partner to them."""

    id: str
    situation: Situation
    text: str
    source: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Routine:
    """A stress-lowering habit that a gentle reminder invites."""

    id: str
    name: str
    reminder: str
    how: tuple[str, ...]
    minutes: int
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SupportNote:
    """When and where to look for more help, said without alarm."""

    id: str
    title: str
    body: str
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    """All content, validated. Look-ups by id are the only way in."""

    sections: tuple[Section, ...]
    tracks: dict[Track, tuple[Lesson, ...]]
    techniques: tuple[Technique, ...]
    phrases: tuple[Phrase, ...]
    routines: tuple[Routine, ...]
    support: SupportNote
    ui: dict[str, str] = field(default_factory=dict)
