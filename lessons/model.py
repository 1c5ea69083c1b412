"""The typed, immutable shapes of everything the bot can say.

Content lives as YAML under ``lessons/content``; ``lessons.catalog`` turns it into these
objects once, after validation, and every part of the bot shares the same instances.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from lessons.agreement import agree_time_articles


class Audience(StrEnum):
    SELF = "self"
    PARTNER = "partner"
    BOTH = "both"


class Track(StrEnum):
    """A course: a person follows one track at a time."""

    SELF = "self"
    PARTNER = "partner"


class Collection(StrEnum):
    """A set of lessons outside the daily tracks, offered on demand (the finished course
    offers the maintenance set)."""

    MAINTENANCE = "maintenance"


class Situation(StrEnum):
    """When a partner phrase is meant to be said."""

    BEFORE = "before"
    IN_THE_MOMENT = "in-the-moment"
    COMFORTING = "comforting"
    AFTER = "after"
    SIGNALS = "signals"


class Purpose(StrEnum):
    """What a lesson is for, so a person's course can be ordered from their answers
    (``lessons.planner``)."""

    CARE = "care"
    """About pain or getting support: no answer or "not for me" ever moves it later."""
    PAIN = "pain"
    MEMORIES = "memories"
    GROUNDING = "grounding"
    """Calming the body and coming back to the present."""
    SUPPORT = "support"
    """Points to more help (``/support``)."""
    EMOTION = "emotion"
    """Strong feeling, release, and what the tears may say."""
    TECHNIQUE = "technique"
    """A skill to use during intimacy."""
    COUPLE = "couple"
    """Its practice needs a partner at hand."""
    SOLO = "solo"
    """Written for someone on their own."""
    CLOSING = "closing"
    """Ends the track: always the last lesson of the course."""


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Lesson:
    """A daily micro-lesson, readable in under a minute.

    ``track`` is the daily track it belongs to, or the collection for lessons offered on
    demand. ``try_solo`` is the version of ``try_`` for someone without a partner at hand.
    """

    id: str
    track: Track | Collection
    day: int
    title: str
    body: str
    try_: str
    source: tuple[str, ...]
    audience: Audience
    reflect: str | None = None
    technique: str | None = None
    tags: tuple[str, ...] = ()
    try_solo: str | None = None
    purpose: tuple[Purpose, ...] = ()


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
class Reason:
    """One reason tears can come (``/why``): a short card, and the lesson that goes deeper."""

    id: str
    title: str
    body: str
    lesson: str
    """The id of the lesson that says more, read on demand without moving a course on."""
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CareCues:
    """Words in a typed message that change how the bot answers it, each cue already folded
    into words (``lessons.care.fold``): ``urgent`` (thoughts of suicide or self-harm, being
    in danger) leads with one line on reaching emergency help now, then the support note;
    ``crisis`` (pain, distress, feeling unsafe) leads with the support note; ``partner``
    (someone asking how to help the one who cries) leads with words for a partner. The
    message itself is never kept."""

    urgent: tuple[tuple[str, ...], ...] = ()
    crisis: tuple[tuple[str, ...], ...] = ()
    partner: tuple[tuple[str, ...], ...] = ()


Entry = Lesson | Technique | Phrase | Routine | SupportNote | Reason
"""Anything with a content id; ids are unique across all kinds."""

_E = TypeVar("_E", Lesson, Technique, Phrase, Routine, SupportNote, Reason)


def _empty_ui() -> Mapping[str, str]:
    return MappingProxyType({})


def _no_collections() -> Mapping[Collection, tuple[Lesson, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ContentRules:
    """Word lists and limits from ``rules.yaml`` that the content is checked against, and
    the one piece of grammar a language needs when ui texts are filled in.

    They live in content, not code, so a writer can see and extend them; with no rules file
    every list is empty and nothing extra is checked.
    """

    preview_characters: int = 0
    shared_run_words: int = 0
    opening_words: int = 0
    explicit_words: tuple[str, ...] = ()
    us_spellings: tuple[str, ...] = ()
    partner_words: tuple[str, ...] = ()
    pause_words: tuple[str, ...] = ()
    continue_words: tuple[str, ...] = ()
    partner_topics: tuple[str, ...] = ()
    scheduled_ui: tuple[str, ...] = ()
    track_purposes: tuple[str, ...] = ()
    time_article: tuple[str, ...] = ()
    """(plural, singular): the article written before a clock time, and the one it becomes
    for a time in the one o'clock hour (Spanish "las", "la"; ``lessons.agreement``)."""


# eq=False: catalogs are compared and hashed by identity; a field-wise hash would fail on
# the read-only mappings, and two catalogs are never meant to be compared by content.
@dataclass(frozen=True, slots=True, eq=False)
class Catalog:
    """All content, validated and read-only. Look-ups by id are the usual way in."""

    sections: tuple[Section, ...]
    tracks: Mapping[Track, tuple[Lesson, ...]]
    techniques: tuple[Technique, ...]
    phrases: tuple[Phrase, ...]
    routines: tuple[Routine, ...]
    support: SupportNote
    ui: Mapping[str, str] = field(default_factory=_empty_ui)
    collections: Mapping[Collection, tuple[Lesson, ...]] = field(default_factory=_no_collections)
    rules: ContentRules = field(default_factory=ContentRules)
    reasons: tuple[Reason, ...] = ()
    """The cards of ``/why``, in their written order."""
    care: CareCues = field(default_factory=CareCues)
    _entries: Mapping[str, Entry] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Copy into read-only views, so neither the caller nor a handler can change content.
        tracks = {track: tuple(self.tracks.get(track, ())) for track in Track}
        object.__setattr__(self, "tracks", MappingProxyType(tracks))
        collections = {kind: tuple(self.collections.get(kind, ())) for kind in Collection}
        object.__setattr__(self, "collections", MappingProxyType(collections))
        object.__setattr__(self, "ui", MappingProxyType(dict(self.ui)))
        for name in ("sections", "techniques", "phrases", "routines", "reasons"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        entries: dict[str, Entry] = {}
        for entry in self.entries():
            if entry.id in entries:
                raise ValueError(f"two catalog entries share the id {entry.id!r}")
            entries[entry.id] = entry
        object.__setattr__(self, "_entries", MappingProxyType(entries))

    def entries(self) -> tuple[Entry, ...]:
        """Every entry in course order: self track, partner track, collections, then help
        on demand, then the reasons of ``/why``."""
        lessons = tuple(lesson for track in Track for lesson in self.tracks[track])
        lessons += tuple(lesson for kind in Collection for lesson in self.collections[kind])
        on_demand: tuple[Entry, ...] = (
            *self.techniques,
            *self.phrases,
            *self.routines,
            self.support,
        )
        return (*lessons, *on_demand, *self.reasons)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, of any kind, or None."""
        return self._entries.get(entry_id)

    def _get(self, entry_id: str, kind: type[_E]) -> _E:
        entry = self._entries.get(entry_id)
        if not isinstance(entry, kind):
            raise KeyError(f"no {kind.__name__.lower()} with id {entry_id!r} in the content")
        return entry

    def lesson(self, lesson_id: str) -> Lesson:
        return self._get(lesson_id, Lesson)

    def technique(self, technique_id: str) -> Technique:
        return self._get(technique_id, Technique)

    def phrase(self, phrase_id: str) -> Phrase:
        return self._get(phrase_id, Phrase)

    def routine(self, routine_id: str) -> Routine:
        return self._get(routine_id, Routine)

    def reason(self, reason_id: str) -> Reason:
        return self._get(reason_id, Reason)

    def track(self, track: Track | str) -> tuple[Lesson, ...]:
        """A track's lessons, ordered by day."""
        if track not in {member.value for member in Track}:
            raise KeyError(f"no track {track!r}; expected one of: self, partner")
        return self.tracks[Track(track)]

    def collection(self, kind: Collection | str) -> tuple[Lesson, ...]:
        """A collection's lessons, in their written order."""
        if kind not in {member.value for member in Collection}:
            choices = ", ".join(member.value for member in Collection)
            raise KeyError(f"no collection {kind!r}; expected one of: {choices}")
        return self.collections[Collection(kind)]

    def lesson_for_day(self, track: Track | str, day: int) -> Lesson | None:
        """The lesson for a day of a track, or None past the end of the course."""
        return next((lesson for lesson in self.track(track) if lesson.day == day), None)

    def phrases_for(self, situation: Situation | str) -> tuple[Phrase, ...]:
        if situation not in {member.value for member in Situation}:
            choices = ", ".join(member.value for member in Situation)
            raise KeyError(f"no situation {situation!r}; expected one of: {choices}")
        return tuple(phrase for phrase in self.phrases if phrase.situation == situation)

    def text(self, key: str, **values: object) -> str:
        """A ``ui`` sentence with its ``{placeholders}`` filled from ``values``.

        Values go in as given: whoever inserts text that is not content escapes it first.
        """
        try:
            template = self.ui[key]
        except KeyError:
            raise KeyError(f"no ui text {key!r}: add it under ui: in lessons/content") from None
        template = agree_time_articles(template, values, self.rules.time_article)
        try:
            return template.format_map(values)
        except KeyError as missing:
            raise KeyError(f"ui text {key!r} needs a value for {{{missing.args[0]}}}") from None
