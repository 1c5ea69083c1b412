"""Loading content: every YAML file in the content folder, validated, into one ``Catalog``.

A file's kind comes from its top-level keys (see ``content/README.md``), not its name, so
content can be split across files freely (``course-self-part1.yaml``, ``ui-core.yaml``).
Everything is read and checked before anything is built: either the whole catalog loads,
or ``ContentError`` lists every problem at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from lessons.care import REASON_FIELDS, lesson_problems, read_care, read_reason
from lessons.entries import (
    LESSON_FIELDS,
    PHRASE_FIELDS,
    ROUTINE_FIELDS,
    RULE_FIELDS,
    SECTION_FIELDS,
    SUPPORT_FIELDS,
    TECHNIQUE_FIELDS,
    Registry,
    day_problems,
    read_lesson,
    read_phrase,
    read_routine,
    read_rules,
    read_section,
    read_support,
    read_technique,
    read_ui_text,
)
from lessons.model import (
    CareCues,
    Catalog,
    Collection,
    ContentRules,
    Lesson,
    Phrase,
    Reason,
    Routine,
    Section,
    SupportNote,
    Technique,
    Track,
)
from lessons.reader import (
    EntryReader,
    compose_file,
    describe,
    line_of,
    mapping_items,
    scalar_text,
)
from lessons.rules import rule_problems
from lessons.validation import (
    ContentError,
    Problem,
    Where,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
"""The bundled content: one folder per language (``en``, ``es``), each a whole catalog."""

TOP_LEVEL = (
    "sections",
    "track",
    "collection",
    "lessons",
    "techniques",
    "phrases",
    "routines",
    "support",
    "rules",
    "ui",
    "reasons",
    "care",
)
# A list of lessons belongs to a daily track or to a collection offered on demand.
Group = Track | Collection

# Problems that belong to no one file (a track nobody wrote) are filed under this name.
ALL_FILES = "*.yaml"


def load_catalog(directory: Path | None = None) -> Catalog:
    """The validated content of ``directory``, by default the bundled English catalog.

    The bundled catalog is read once per process and shared, checked against every other
    bundled language (``lessons.library``); an explicit folder is read afresh on every call,
    so tests and ``lessons check`` always see the files as they are.
    Raises ``ContentError`` listing every problem when anything is wrong.
    """
    if directory is None:
        from lessons.library import bundled_library

        return bundled_library().default_catalog
    loaded = read_folder(Path(directory))
    if loaded.catalog is None:
        raise ContentError(loaded.problems)
    return loaded.catalog


@dataclass(frozen=True, slots=True)
class Loaded:
    """One folder read: its catalog (None when anything is wrong), every problem, and where
    each entry id and ui key was found, for the checks that compare languages."""

    catalog: Catalog | None
    problems: tuple[Problem, ...]
    ids: Mapping[str, Where]
    ui_at: Mapping[str, Where]
    section_at: Mapping[str, Where]


def read_folder(directory: Path, shown_as: str = "") -> Loaded:
    """Read every YAML file of ``directory``; problems name files as ``shown_as`` + name."""
    if not directory.is_dir():
        message = "no such folder; expected the folder that holds the content YAML files"
        return Loaded(None, (Problem(str(directory), None, None, None, message),), {}, {}, {})
    content = _Content()
    for path in sorted(directory.glob("*.yaml")):
        content.read_file(shown_as + path.name, path)
    catalog = content.build()
    # Problems of no one file ("no lessons in any file") still name the language's folder.
    named = (
        dataclasses.replace(problem, file=shown_as + problem.file)
        if problem.file == ALL_FILES
        else problem
        for problem in content.problems
    )
    problems = tuple(sorted(named, key=lambda p: (p.file, p.line or 0)))
    ids, ui_at, section_at = content.registry.ids, content.ui_at, content.section_ids
    return Loaded(catalog, problems, dict(ids), dict(ui_at), dict(section_at))


class _Content:
    """Everything read so far, plus every problem found; ``build`` makes the catalog."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.sections: list[Section] = []
        self.section_ids: dict[str, Where] = {}
        self.sections_at: Where | None = None
        groups: tuple[Group, ...] = (*Track, *Collection)
        self.lessons: dict[Group, list[Lesson]] = {group: [] for group in groups}
        self.days: dict[Group, list[tuple[int, Where]]] = {group: [] for group in groups}
        self.track_at: dict[Group, Where] = {}
        self.techniques: list[Technique] = []
        self.phrases: list[Phrase] = []
        self.routines: list[Routine] = []
        self.supports: list[tuple[SupportNote | None, Where]] = []
        self.ui: dict[str, str] = {}
        self.ui_at: dict[str, Where] = {}
        self.registry = Registry(self.problems)
        self.rules = ContentRules()
        self.rules_at: Where | None = None
        self.reasons: list[tuple[Reason, Where | None]] = []
        self.care = CareCues()

    # Files and top-level keys

    def read_file(self, file: str, path: Path) -> None:
        root = compose_file(file, path, TOP_LEVEL, self.problems)
        if root is None:
            return
        if not isinstance(root, MappingNode):
            self._problem(
                Where(file, line_of(root)), f"expected top-level keys, got {describe(root)}"
            )
            return
        top = self._top_level(file, root)
        if "track" in top or "collection" in top or "lessons" in top:
            self._read_track(file, root, top, top.get("lessons"))
        readers = {
            "sections": self._read_sections,
            "techniques": self._read_techniques,
            "phrases": self._read_phrases,
            "routines": self._read_routines,
            "support": self._read_support,
            "rules": self._read_rules,
            "ui": self._read_ui,
            "reasons": self._read_reasons,
            "care": self._read_care,
        }
        for key, read in readers.items():
            if key in top:
                read(file, *top[key])

    def _top_level(self, file: str, root: MappingNode) -> dict[str, tuple[Node, Node]]:
        top: dict[str, tuple[Node, Node]] = {}
        for key, value in mapping_items(root):
            name = scalar_text(key)
            where = Where(file, line_of(key), None, str(key.value))
            if name not in TOP_LEVEL:
                self._problem(
                    where, f"unknown top-level key; expected one of: {', '.join(TOP_LEVEL)}"
                )
            elif name in top:
                self._problem(where, "given twice in this file; keep one")
            else:
                top[name] = (key, value)
        return top

    def _items(
        self, file: str, key: Node, value: Node, kind: str, fields: tuple[str, ...]
    ) -> Iterator[tuple[str, MappingNode]]:
        """The mappings of a top-level list, each with a label for when its id is missing."""
        name = str(key.value)
        if not isinstance(value, SequenceNode):
            where = Where(file, line_of(value), None, name)
            self._problem(where, f"expected a list of {kind}s, got {describe(value)}")
            return
        for index, item in enumerate(value.value, start=1):
            label = f"{name} #{index}"
            if isinstance(item, MappingNode):
                yield label, item
            else:
                expected = f"a {kind}: a mapping with {', '.join(fields)}"
                self._problem(
                    Where(file, line_of(item), label), f"expected {expected}, got {describe(item)}"
                )

    # Entry kinds

    def _read_track(
        self,
        file: str,
        root: MappingNode,
        top: dict[str, tuple[Node, Node]],
        lessons_pair: tuple[Node, Node] | None,
    ) -> None:
        track = self._group(file, root, top)
        if lessons_pair is None:
            self._problem(
                Where(file, line_of(root), None, "lessons"),
                "missing; a file with `track:` or `collection:` lists its lessons under `lessons:`",
            )
            return
        key, value = lessons_pair
        if track is not None:
            self.track_at.setdefault(track, Where(file, line_of(key), f"track {track}", "lessons"))
        for label, node in self._items(file, key, value, "lesson", LESSON_FIELDS):
            self._read_lesson(file, node, label, track)

    def _group(
        self, file: str, root: MappingNode, top: dict[str, tuple[Node, Node]]
    ) -> Group | None:
        if "collection" in top and "track" in top:
            where = Where(file, line_of(root), None, "collection")
            self._problem(where, "a file holds a track or a collection, not both; keep one")
            return None
        if "collection" in top:
            return self._collection(file, top["collection"])
        return self._track(file, root, top.get("track"))

    def _collection(self, file: str, pair: tuple[Node, Node]) -> Collection | None:
        value = scalar_text(pair[1])
        if value not in {kind.value for kind in Collection}:
            shown = value if value is not None else describe(pair[1])
            expected = ", ".join(kind.value for kind in Collection)
            self._problem(
                Where(file, line_of(pair[1]), None, "collection"),
                f"unknown collection {shown!r}; expected one of: {expected}",
            )
            return None
        return Collection(value)

    def _track(self, file: str, root: MappingNode, pair: tuple[Node, Node] | None) -> Track | None:
        if pair is None:
            self._problem(
                Where(file, line_of(root), None, "track"),
                "missing; lessons need `track: self` or `track: partner` at the top of the file",
            )
            return None
        value = scalar_text(pair[1])
        if value not in {track.value for track in Track}:
            shown = value if value is not None else describe(pair[1])
            self._problem(
                Where(file, line_of(pair[1]), None, "track"),
                f"unknown track {shown!r}; expected self or partner",
            )
            return None
        return Track(value)

    def _read_lesson(
        self, file: str, node: MappingNode, label: str, track: Track | Collection | None
    ) -> None:
        reader = self._reader(file, node, label, LESSON_FIELDS)
        lesson, day = read_lesson(reader, self.registry, track)
        if track is None or day is None:
            return
        self.days[track].append((day, reader.where("day", reader.field_node("day"))))
        if lesson is not None:
            self.lessons[track].append(lesson)

    def _read_techniques(self, file: str, key: Node, value: Node) -> None:
        for label, node in self._items(file, key, value, "technique", TECHNIQUE_FIELDS):
            technique = read_technique(
                self._reader(file, node, label, TECHNIQUE_FIELDS), self.registry
            )
            if technique is not None:
                self.techniques.append(technique)

    def _read_phrases(self, file: str, key: Node, value: Node) -> None:
        for label, node in self._items(file, key, value, "phrase", PHRASE_FIELDS):
            phrase = read_phrase(self._reader(file, node, label, PHRASE_FIELDS), self.registry)
            if phrase is not None:
                self.phrases.append(phrase)

    def _read_routines(self, file: str, key: Node, value: Node) -> None:
        for label, node in self._items(file, key, value, "routine", ROUTINE_FIELDS):
            routine = read_routine(self._reader(file, node, label, ROUTINE_FIELDS), self.registry)
            if routine is not None:
                self.routines.append(routine)

    def _read_support(self, file: str, key: Node, value: Node) -> None:
        where = Where(file, line_of(key), None, "support")
        if self.supports:
            self._problem(
                where, f"given again; the support note is already in {self.supports[0][1]}"
            )
            return
        if not isinstance(value, MappingNode):
            self._problem(
                where, f"expected one mapping with id, title, body, source; got {describe(value)}"
            )
            self.supports.append((None, where))
            return
        note = read_support(self._reader(file, value, "support", SUPPORT_FIELDS), self.registry)
        self.supports.append((note, where))

    def _read_rules(self, file: str, key: Node, value: Node) -> None:
        where = Where(file, line_of(key), None, "rules")
        if self.rules_at is not None:
            self._problem(where, f"given again; the rules are already in {self.rules_at}")
            return
        self.rules_at = where
        if not isinstance(value, MappingNode):
            self._problem(where, f"expected a mapping of rule names, got {describe(value)}")
            return
        self.rules = read_rules(self._reader(file, value, "rules", RULE_FIELDS))

    def _read_reasons(self, file: str, key: Node, value: Node) -> None:
        for label, node in self._items(file, key, value, "reason", REASON_FIELDS):
            reason, where = read_reason(
                self._reader(file, node, label, REASON_FIELDS), self.registry
            )
            if reason is not None:
                self.reasons.append((reason, where))

    def _read_care(self, file: str, key: Node, value: Node) -> None:
        self.care = read_care(file, key, value, self.problems)

    def _reader(
        self, file: str, node: MappingNode, label: str, fields: tuple[str, ...]
    ) -> EntryReader:
        return EntryReader(file, node, fallback_label=label, allowed=fields, problems=self.problems)

    def _read_sections(self, file: str, key: Node, value: Node) -> None:
        if self.sections_at is not None:
            where = Where(file, line_of(key), None, "sections")
            self._problem(where, f"given again; sections are already listed in {self.sections_at}")
            return
        self.sections_at = Where(file, line_of(key))
        for label, node in self._items(file, key, value, "section", SECTION_FIELDS):
            reader = self._reader(file, node, label, SECTION_FIELDS)
            section = read_section(reader, self.section_ids)
            if section is not None:
                self.sections.append(section)

    def _read_ui(self, file: str, key: Node, value: Node) -> None:
        if not isinstance(value, MappingNode):
            self._problem(
                Where(file, line_of(value), None, "ui"),
                f"expected a mapping of keys to texts, got {describe(value)}",
            )
            return
        for key_node, text_node in mapping_items(value):
            read_ui_text(file, key_node, text_node, self.ui, self.ui_at, self.problems)

    # Shared pieces

    def _problem(self, where: Where, message: str) -> None:
        self.problems.append(where.problem(message))

    # Checks across files, then the catalog

    def build(self) -> Catalog | None:
        """The catalog, or None when any problem was found (``problems`` lists them)."""
        self.registry.check_references(None if self.sections_at is None else set(self.section_ids))
        self._check_tracks()
        lessons = {lesson.id: lesson for group in self.lessons.values() for lesson in group}
        self.problems.extend(lesson_problems(self.reasons, lessons))
        support = self._check_support()
        if self.sections_at is None:
            self._problem(
                Where(ALL_FILES, None, None, "sections"),
                "not found; expected sections.yaml with a `sections:` list",
            )
        if self.problems or support is None:
            return None
        catalog = Catalog(
            sections=tuple(self.sections),
            tracks={track: self._in_order(track) for track in Track},
            techniques=tuple(self.techniques),
            phrases=tuple(self.phrases),
            routines=tuple(self.routines),
            support=support,
            ui=self.ui,
            collections={kind: self._in_order(kind) for kind in Collection},
            rules=self.rules,
            reasons=tuple(reason for reason, _ in self.reasons),
            care=self.care,
        )
        # The rules read the finished catalog: what a lock screen shows, what repeats.
        self.problems.extend(rule_problems(catalog, self.registry.ids, self.ui_at))
        return None if self.problems else catalog

    def _in_order(self, group: Group) -> tuple[Lesson, ...]:
        return tuple(sorted(self.lessons[group], key=lambda lesson: lesson.day))

    def _check_tracks(self) -> None:
        for track in Track:
            if not self.days[track]:
                where = self.track_at.get(
                    track, Where(ALL_FILES, None, f"track {track}", "lessons")
                )
                self._problem(
                    where,
                    f"no lessons; expected at least one lesson in a file with `track: {track}`",
                )
                continue
            self.problems.extend(day_problems(self.days[track], track))
        for kind in Collection:
            self.problems.extend(day_problems(self.days[kind], kind))

    def _check_support(self) -> SupportNote | None:
        if not self.supports:
            self._problem(
                Where(ALL_FILES, None, None, "support"),
                "not found; expected support.yaml with a `support:` note",
            )
            return None
        return self.supports[0][0]
