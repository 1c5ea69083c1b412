"""The order of a person's course, from their answers and their taps: pure and deterministic.

A course is the lessons of the chosen track, plus the few lessons of the other track that
cover guide sections the track leaves out, so every path reads the whole guide. Answers only
reorder it, and so does "not for me"; nothing is ever dropped:

- the track's first lesson opens every course, and a closing lesson always ends it;
- pain or discomfort: the pain lessons come straight after it, then the support ones;
- memories: the memory lessons, grounding and support, all before any technique;
- strong emotion: the lessons about strong feeling and release come early;
- the partner's tears: the lessons written for a partner come early; both people's: they
  come early too, after those the third answer brings;
- single: the lessons for someone on their own come early, and those whose practice needs
  a partner at hand come late;
- "not for me": lessons sharing a tag with it move later; a care lesson never moves.

Every lesson comes with the reason for its place, so the bot can say why it comes next.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from lessons.model import Catalog, Collection, Lesson, Purpose, Track


class Whose(StrEnum):
    MINE = "mine"
    PARTNER = "partner"
    BOTH = "both"
    NOT_SURE = "not-sure"


class Relationship(StrEnum):
    PARTNERED = "partnered"
    DATING = "dating"
    SINGLE = "single"
    NOT_SURE = "not-sure"


class ComesWith(StrEnum):
    EMOTION = "emotion"
    PAIN = "pain"
    MEMORIES = "memories"
    NOT_SURE = "not-sure"


class Verdict(StrEnum):
    """The tap under a lesson."""

    HELPFUL = "helpful"
    NOT_FOR_ME = "not-for-me"


@dataclass(frozen=True, slots=True)
class Answers:
    """The three onboarding answers; None is a question skipped (or never asked)."""

    whose: Whose | None = None
    relationship: Relationship | None = None
    comes_with: ComesWith | None = None


NO_ANSWERS = Answers()

Feedback = Mapping[str, Verdict]
"""A lesson id to the last verdict given under it."""


class Reason(StrEnum):
    """Why a lesson sits where it does, when it is not its standard place."""

    PAIN = "pain"
    MEMORIES = "memories"
    EMOTION = "emotion"
    PARTNER = "partner"
    BOTH = "both"
    SINGLE = "single"
    NOT_FOR_ME = "not-for-me"


class _Band(IntEnum):
    OPENING = 0
    EARLY = 1
    MIDDLE = 2
    LATE = 3
    CLOSING = 4


@dataclass(frozen=True, slots=True)
class Planned:
    lesson: Lesson
    reason: Reason | None = None


def course_lessons(
    catalog: Catalog, track: Track, answers: Answers = NO_ANSWERS, feedback: Feedback | None = None
) -> tuple[Lesson, ...]:
    """The person's course on ``track``, in the order to send it."""
    return tuple(planned.lesson for planned in planned_course(catalog, track, answers, feedback))


def planned_course(
    catalog: Catalog, track: Track, answers: Answers = NO_ANSWERS, feedback: Feedback | None = None
) -> tuple[Planned, ...]:
    """``course_lessons`` with the reason for each lesson's place."""
    own = catalog.track(track)
    bridge = bridge_lessons(catalog, track)
    standard = _standard(own, bridge)
    disliked = _disliked(catalog, feedback or {})
    placed: list[tuple[tuple[int, int, int, int], Planned]] = []
    for index, lesson in enumerate(standard):
        band, rank, reason = _place(lesson, index, answers, lesson in bridge)
        penalty = 0 if Purpose.CARE in lesson.purpose else _similar(lesson, disliked)
        if penalty and reason is None:
            reason = Reason.NOT_FOR_ME
        placed.append(((band, rank, penalty, index), Planned(lesson, reason)))
    return tuple(planned for _, planned in sorted(placed, key=lambda pair: pair[0]))


def bridge_lessons(catalog: Catalog, track: Track) -> tuple[Lesson, ...]:
    """The other track's lessons, in its order, that cover a guide section ``track`` does
    not: each one taken only while it adds a section still missing."""
    covered = {section for lesson in catalog.track(track) for section in lesson.source}
    other = Track.PARTNER if track is Track.SELF else Track.SELF
    taken: list[Lesson] = []
    for lesson in catalog.track(other):
        if Purpose.CLOSING not in lesson.purpose and not set(lesson.source) <= covered:
            taken.append(lesson)
            covered.update(lesson.source)
    return tuple(taken)


def review_lessons(catalog: Catalog, feedback: Feedback | None = None) -> tuple[Lesson, ...]:
    """What the finished course offers to come back to: the lessons marked helpful first,
    in course order, then the set for later, those like a helpful lesson first and those
    marked "not for me" last."""
    feedback = feedback or {}
    lessons = [*catalog.tracks[Track.SELF], *catalog.tracks[Track.PARTNER]]
    helpful = [lesson for lesson in lessons if feedback.get(lesson.id) is Verdict.HELPFUL]
    liked_tags = {tag for lesson in helpful for tag in lesson.tags}

    def rank(pair: tuple[int, Lesson]) -> tuple[int, int]:
        index, lesson = pair
        verdict = feedback.get(lesson.id)
        if verdict is Verdict.NOT_FOR_ME:
            return 3, index
        if verdict is Verdict.HELPFUL:
            return 0, index
        return (1 if liked_tags & set(lesson.tags) else 2), index

    kept = sorted(enumerate(catalog.collection(Collection.MAINTENANCE)), key=rank)
    return (*helpful, *(lesson for _, lesson in kept))


def _standard(own: tuple[Lesson, ...], bridge: tuple[Lesson, ...]) -> tuple[Lesson, ...]:
    """The course with no answers: the track, the bridge lessons before its closing."""
    closing = tuple(lesson for lesson in own if Purpose.CLOSING in lesson.purpose)
    body = tuple(lesson for lesson in own if Purpose.CLOSING not in lesson.purpose)
    return (*body, *bridge, *closing)


# What each answer brings early, in the order it comes: pain, then where to get help;
# memories, then grounding, then support, all before any technique.
_EARLY: Mapping[ComesWith, tuple[Purpose, ...]] = {
    ComesWith.PAIN: (Purpose.PAIN, Purpose.SUPPORT),
    ComesWith.MEMORIES: (Purpose.MEMORIES, Purpose.GROUNDING, Purpose.SUPPORT),
    ComesWith.EMOTION: (Purpose.EMOTION,),
}


def _place(
    lesson: Lesson, index: int, answers: Answers, bridged: bool
) -> tuple[_Band, int, Reason | None]:
    """The lesson's band, its rank within the band, and the reason for it."""
    if Purpose.CLOSING in lesson.purpose:
        return _Band.CLOSING, 0, None
    if index == 0:
        return _Band.OPENING, 0, None
    comes_with = answers.comes_with
    for rank, purpose in enumerate(_EARLY.get(comes_with, ()) if comes_with else ()):
        if purpose in lesson.purpose:
            return _Band.EARLY, rank, Reason(str(comes_with))
    if bridged and lesson.track is Track.PARTNER and answers.whose is Whose.PARTNER:
        return _Band.EARLY, len(Purpose), Reason.PARTNER
    if bridged and lesson.track is Track.PARTNER and answers.whose is Whose.BOTH:
        # Both cry: the few partner lessons follow soon, after what the answers put first.
        return _Band.EARLY, len(Purpose) + 1, Reason.BOTH
    single = answers.relationship is Relationship.SINGLE
    if single and Purpose.SOLO in lesson.purpose:
        return _Band.EARLY, len(Purpose), Reason.SINGLE
    if single and (bridged or Purpose.COUPLE in lesson.purpose):
        return _Band.LATE, 0, Reason.SINGLE
    return _Band.MIDDLE, 0, None


def _disliked(catalog: Catalog, feedback: Feedback) -> list[frozenset[str]]:
    """The tags of each lesson marked "not for me" (in a stable order)."""
    found: list[frozenset[str]] = []
    for lesson_id in sorted(feedback):
        entry = catalog.entry(lesson_id)
        if feedback[lesson_id] is Verdict.NOT_FOR_ME and isinstance(entry, Lesson):
            found.append(frozenset(entry.tags))
    return found


def _similar(lesson: Lesson, disliked: Iterable[frozenset[str]]) -> int:
    """How many lessons marked "not for me" share a tag with ``lesson``."""
    tags = set(lesson.tags)
    return sum(1 for other in disliked if tags & other)
