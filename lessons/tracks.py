"""The lessons of a daily track or a collection: a file's ``track:`` or ``collection:`` key
and its ``lessons:`` list, then, once every file is read, the days of each across files."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node

from lessons.entries import LESSON_FIELDS, day_problems, read_lesson
from lessons.gathering import ALL_FILES, Gathering, Group
from lessons.model import Collection, Lesson, Track
from lessons.reader import describe, line_of, scalar_text
from lessons.validation import Where


def read_track(
    gathering: Gathering,
    file: str,
    root: MappingNode,
    top: dict[str, tuple[Node, Node]],
    lessons_pair: tuple[Node, Node] | None,
) -> None:
    """The lessons of a file with ``track:``, ``collection:`` or ``lessons:`` at its top."""
    track = _group(gathering, file, root, top)
    if lessons_pair is None:
        gathering.problem(
            Where(file, line_of(root), None, "lessons"),
            "missing; a file with `track:` or `collection:` lists its lessons under `lessons:`",
        )
        return
    key, value = lessons_pair
    if track is not None:
        gathering.track_at.setdefault(track, Where(file, line_of(key), f"track {track}", "lessons"))
    for label, node in gathering.items(file, key, value, "lesson", LESSON_FIELDS):
        _read_lesson(gathering, file, node, label, track)


def check_days(gathering: Gathering) -> None:
    """Every track has lessons, and every track's and collection's days run 1, 2, 3 ...
    across all of its files."""
    for track in Track:
        if not gathering.days[track]:
            where = gathering.track_at.get(
                track, Where(ALL_FILES, None, f"track {track}", "lessons")
            )
            gathering.problem(
                where,
                f"no lessons; expected at least one lesson in a file with `track: {track}`",
            )
            continue
        gathering.problems.extend(day_problems(gathering.days[track], track))
    for kind in Collection:
        gathering.problems.extend(day_problems(gathering.days[kind], kind))


def in_order(gathering: Gathering, group: Group) -> tuple[Lesson, ...]:
    """A track's or collection's lessons, by day."""
    return tuple(sorted(gathering.lessons[group], key=lambda lesson: lesson.day))


def _group(
    gathering: Gathering, file: str, root: MappingNode, top: dict[str, tuple[Node, Node]]
) -> Group | None:
    if "collection" in top and "track" in top:
        where = Where(file, line_of(root), None, "collection")
        gathering.problem(where, "a file holds a track or a collection, not both; keep one")
        return None
    if "collection" in top:
        return _collection(gathering, file, top["collection"])
    return _track(gathering, file, root, top.get("track"))


def _collection(gathering: Gathering, file: str, pair: tuple[Node, Node]) -> Collection | None:
    value = scalar_text(pair[1])
    if value not in {kind.value for kind in Collection}:
        shown = value if value is not None else describe(pair[1])
        expected = ", ".join(kind.value for kind in Collection)
        gathering.problem(
            Where(file, line_of(pair[1]), None, "collection"),
            f"unknown collection {shown!r}; expected one of: {expected}",
        )
        return None
    return Collection(value)


def _track(
    gathering: Gathering, file: str, root: MappingNode, pair: tuple[Node, Node] | None
) -> Track | None:
    if pair is None:
        gathering.problem(
            Where(file, line_of(root), None, "track"),
            "missing; lessons need `track: self` or `track: partner` at the top of the file",
        )
        return None
    value = scalar_text(pair[1])
    if value not in {track.value for track in Track}:
        shown = value if value is not None else describe(pair[1])
        gathering.problem(
            Where(file, line_of(pair[1]), None, "track"),
            f"unknown track {shown!r}; expected self or partner",
        )
        return None
    return Track(value)


def _read_lesson(
    gathering: Gathering, file: str, node: MappingNode, label: str, track: Group | None
) -> None:
    reader = gathering.reader(file, node, label, LESSON_FIELDS)
    lesson, day = read_lesson(reader, gathering.registry, track)
    if track is None or day is None:
        return
    gathering.days[track].append((day, reader.where("day", reader.field_node("day"))))
    if lesson is not None:
        gathering.lessons[track].append(lesson)
