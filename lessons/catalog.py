"""Loading content: every YAML file in the content folder, validated, into one ``Catalog``.

A file's kind comes from its top-level keys (see ``content/README.md``), not its name, so
content can be split across files freely (``course-self-part1.yaml``, ``ui-core.yaml``).
Everything is read and checked before anything is built: either the whole catalog loads,
or ``ContentError`` lists every problem at once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from lessons.model import (
    Audience,
    Catalog,
    Lesson,
    Phrase,
    Routine,
    Section,
    Situation,
    SupportNote,
    Technique,
    Track,
)
from lessons.reader import EntryReader, describe, line_of, mapping_items, scalar_text
from lessons.telegram_html import html_problems
from lessons.validation import (
    UI_KEY,
    ContentError,
    Problem,
    Where,
    placeholder_problems,
    section_id_problem,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"

TOP_LEVEL = ("sections", "track", "lessons", "techniques", "phrases", "routines", "support", "ui")
LESSON_FIELDS = (
    "id",
    "day",
    "title",
    "body",
    "try",
    "reflect",
    "source",
    "audience",
    "technique",
    "tags",
)
TECHNIQUE_FIELDS = ("id", "name", "when", "steps", "duration", "source")
PHRASE_FIELDS = ("id", "situation", "text", "note", "source")
ROUTINE_FIELDS = ("id", "name", "reminder", "how", "minutes", "source")
SUPPORT_FIELDS = ("id", "title", "body", "source")
SECTION_FIELDS = ("id", "title")

# Problems that belong to no one file (a track nobody wrote) are filed under this name.
ALL_FILES = "*.yaml"


def load_catalog(directory: Path | None = None) -> Catalog:
    """The validated content of ``directory``, by default the bundled ``content`` folder.

    The bundled catalog is read once per process and shared; an explicit folder is read
    afresh on every call, so tests and ``lessons check`` always see the files as they are.
    Raises ``ContentError`` listing every problem when anything is wrong.
    """
    if directory is None:
        return _bundled_catalog()
    return _load(Path(directory))


@functools.cache
def _bundled_catalog() -> Catalog:
    return _load(CONTENT_DIR)


def _load(directory: Path) -> Catalog:
    if not directory.is_dir():
        message = "no such folder; expected the folder that holds the content YAML files"
        raise ContentError((Problem(str(directory), None, None, None, message),))
    content = _Content()
    for path in sorted(directory.glob("*.yaml")):
        content.read_file(path.name, path)
    return content.build()


class _Content:
    """Everything read so far, plus every problem found; ``build`` makes the catalog."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.sections: list[Section] = []
        self.section_ids: dict[str, Where] = {}
        self.sections_at: Where | None = None
        self.lessons: dict[Track, list[Lesson]] = {track: [] for track in Track}
        self.days: dict[Track, list[tuple[int, Where]]] = {track: [] for track in Track}
        self.track_at: dict[Track, Where] = {}
        self.techniques: list[Technique] = []
        self.phrases: list[Phrase] = []
        self.routines: list[Routine] = []
        self.supports: list[tuple[SupportNote | None, Where]] = []
        self.ui: dict[str, str] = {}
        self.ui_at: dict[str, Where] = {}
        self.ids: dict[str, Where] = {}
        self.technique_ids: set[str] = set()
        self.source_refs: list[tuple[str, Where]] = []
        self.technique_refs: list[tuple[str, Where]] = []

    # Files and top-level keys

    def read_file(self, file: str, path: Path) -> None:
        root = self._compose(file, path)
        if root is None:
            return
        if not isinstance(root, MappingNode):
            self._problem(
                Where(file, line_of(root)), f"expected top-level keys, got {describe(root)}"
            )
            return
        top = self._top_level(file, root)
        if "track" in top or "lessons" in top:
            self._read_track(file, root, top.get("track"), top.get("lessons"))
        readers = {
            "sections": self._read_sections,
            "techniques": self._read_techniques,
            "phrases": self._read_phrases,
            "routines": self._read_routines,
            "support": self._read_support,
            "ui": self._read_ui,
        }
        for key, read in readers.items():
            if key in top:
                read(file, *top[key])

    def _compose(self, file: str, path: Path) -> Node | None:
        """The file's YAML node tree, or None after reporting why there is none."""
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except UnicodeDecodeError as error:
            self._problem(Where(file, None), f"not UTF-8 text ({error.reason}); save it as UTF-8")
            return None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = None if mark is None else int(mark.line) + 1
            what = ", ".join(str(part) for part in (error.context, error.problem) if part)
            self._problem(Where(file, line), f"YAML syntax: {what}; fix the indentation or quoting")
            return None
        except yaml.YAMLError as error:
            self._problem(Where(file, None), f"YAML syntax: {error}")
            return None
        if node is None:
            self._problem(
                Where(file, None), f"file is empty; expected one of: {', '.join(TOP_LEVEL)}"
            )
        return node

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
        track_pair: tuple[Node, Node] | None,
        lessons_pair: tuple[Node, Node] | None,
    ) -> None:
        track = self._track(file, root, track_pair)
        if lessons_pair is None:
            self._problem(
                Where(file, line_of(root), None, "lessons"),
                "missing; a file with `track:` lists its lessons under `lessons:`",
            )
            return
        key, value = lessons_pair
        if track is not None:
            self.track_at.setdefault(track, Where(file, line_of(key), f"track {track}", "lessons"))
        for label, node in self._items(file, key, value, "lesson", LESSON_FIELDS):
            self._read_lesson(file, node, label, track)

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

    def _read_lesson(self, file: str, node: MappingNode, label: str, track: Track | None) -> None:
        reader = EntryReader(
            file, node, fallback_label=label, allowed=LESSON_FIELDS, problems=self.problems
        )
        lesson_id = self._entry_id(reader)
        day = reader.whole_number("day", low=1)
        title = reader.text("title", max_chars=60)
        body = reader.text("body", min_words=40, max_words=110, paragraphs=True)
        try_ = reader.text("try", max_words=40)
        reflect = reader.optional_text("reflect", max_words=25, question=True)
        source = self._sources(reader)
        audience = reader.choice("audience", Audience, Audience.SELF)
        technique = reader.reference("technique")
        if technique is not None:
            self.technique_refs.append(technique)
        tags = reader.tags()
        if track is None or day is None:
            return
        self.days[track].append((day, reader.where("day", reader.field_node("day"))))
        if reader.ok:
            lesson = Lesson(
                id=lesson_id,
                track=track,
                day=day,
                title=title,
                body=body,
                try_=try_,
                source=source,
                audience=audience,
                reflect=reflect,
                technique=technique[0] if technique else None,
                tags=tags,
            )
            self.lessons[track].append(lesson)

    def _read_techniques(self, file: str, key: Node, value: Node) -> None:
        for label, node in self._items(file, key, value, "technique", TECHNIQUE_FIELDS):
            reader = EntryReader(
                file, node, fallback_label=label, allowed=TECHNIQUE_FIELDS, problems=self.problems
            )
            technique_id = self._entry_id(reader)
            if technique_id:
                self.technique_ids.add(technique_id)
            technique = Technique(
                id=technique_id,
                name=reader.text("name", max_chars=40),
                when=reader.text("when", max_words=25),
                steps=reader.text_list("steps", min_items=2, max_items=6, max_words=25),
                source=self._sources(reader),
                duration=reader.optional_text("duration"),
            )
            if reader.ok:
                self.techniques.append(technique)

    def _read_phrases(self, file: str, key: Node, value: Node) -> None:
        for label, node in self._items(file, key, value, "phrase", PHRASE_FIELDS):
            reader = EntryReader(
                file, node, fallback_label=label, allowed=PHRASE_FIELDS, problems=self.problems
            )
            phrase = Phrase(
                id=self._entry_id(reader),
                situation=reader.choice("situation", Situation, Situation.BEFORE),
                text=reader.text("text", max_words=25),
                source=self._sources(reader),
                note=reader.optional_text("note", max_words=30),
            )
            if reader.ok:
                self.phrases.append(phrase)

    def _read_routines(self, file: str, key: Node, value: Node) -> None:
        for label, node in self._items(file, key, value, "routine", ROUTINE_FIELDS):
            reader = EntryReader(
                file, node, fallback_label=label, allowed=ROUTINE_FIELDS, problems=self.problems
            )
            routine = Routine(
                id=self._entry_id(reader),
                name=reader.text("name", max_chars=40),
                reminder=reader.text("reminder", max_words=30),
                how=reader.text_list("how", min_items=1, max_items=3, max_words=40),
                minutes=reader.whole_number("minutes", low=1, high=60) or 0,
                source=self._sources(reader),
            )
            if reader.ok:
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
        reader = EntryReader(
            file, value, fallback_label="support", allowed=SUPPORT_FIELDS, problems=self.problems
        )
        note = SupportNote(
            id=self._entry_id(reader),
            title=reader.text("title", max_chars=60),
            body=reader.text("body", max_words=180, paragraphs=True),
            source=self._sources(reader),
        )
        self.supports.append((note if reader.ok else None, where))

    def _read_sections(self, file: str, key: Node, value: Node) -> None:
        if self.sections_at is not None:
            where = Where(file, line_of(key), None, "sections")
            self._problem(where, f"given again; sections are already listed in {self.sections_at}")
            return
        self.sections_at = Where(file, line_of(key))
        for label, node in self._items(file, key, value, "section", SECTION_FIELDS):
            reader = EntryReader(
                file, node, fallback_label=label, allowed=SECTION_FIELDS, problems=self.problems
            )
            section_id = reader.identifier(check=section_id_problem)
            if section_id in self.section_ids:
                first = self.section_ids[section_id]
                reader.report(
                    "id", f"duplicate section id; also listed at {first}", reader.field_node("id")
                )
            elif section_id:
                self.section_ids[section_id] = reader.where("id", reader.field_node("id"))
            section = Section(id=section_id, title=reader.text("title"))
            if reader.ok:
                self.sections.append(section)

    def _read_ui(self, file: str, key: Node, value: Node) -> None:
        if not isinstance(value, MappingNode):
            self._problem(
                Where(file, line_of(value), None, "ui"),
                f"expected a mapping of keys to texts, got {describe(value)}",
            )
            return
        for key_node, text_node in mapping_items(value):
            self._read_ui_text(file, key_node, text_node)

    def _read_ui_text(self, file: str, key_node: Node, text_node: Node) -> None:
        name = scalar_text(key_node)
        where = Where(file, line_of(key_node), "ui", str(key_node.value))
        if name is None or not UI_KEY.fullmatch(name):
            self._problem(
                where, "key is not lowercase words joined by '.' (such as 'start.welcome')"
            )
            return
        if name in self.ui_at:
            self._problem(where, f"duplicate ui key; also defined at {self.ui_at[name]}")
            return
        self.ui_at[name] = where
        text = scalar_text(text_node)
        if text is None:
            self._problem(where, f"expected text, got {describe(text_node)}")
            return
        text = text.strip()
        problems = html_problems(text) + placeholder_problems(text)
        if not text:
            problems.append("is empty; expected text")
        for message in problems:
            self._problem(Where(file, line_of(text_node), "ui", name), message)
        self.ui[name] = text

    # Shared pieces

    def _entry_id(self, reader: EntryReader) -> str:
        """The entry's id, checked for uniqueness across every file and kind."""
        entry_id = reader.identifier()
        if not entry_id:
            return entry_id
        where = reader.where("id", reader.field_node("id"))
        first = self.ids.setdefault(entry_id, where)
        if first is not where:
            reader.report(
                "id",
                f"duplicate id; also used at {first}; ids must be unique across all files",
                reader.field_node("id"),
            )
        return entry_id

    def _sources(self, reader: EntryReader) -> tuple[str, ...]:
        found = reader.sources()
        self.source_refs.extend(found)
        return tuple(section_id for section_id, _ in found)

    def _problem(self, where: Where, message: str) -> None:
        self.problems.append(where.problem(message))

    # Checks across files, then the catalog

    def build(self) -> Catalog:
        self._check_references()
        self._check_tracks()
        support = self._check_support()
        if self.sections_at is None:
            self._problem(
                Where(ALL_FILES, None, None, "sections"),
                "not found; expected sections.yaml with a `sections:` list",
            )
        if self.problems or support is None:
            raise ContentError(tuple(sorted(self.problems, key=lambda p: (p.file, p.line or 0))))
        return Catalog(
            sections=tuple(self.sections),
            tracks={
                track: tuple(sorted(self.lessons[track], key=lambda lesson: lesson.day))
                for track in Track
            },
            techniques=tuple(self.techniques),
            phrases=tuple(self.phrases),
            routines=tuple(self.routines),
            support=support,
            ui=self.ui,
        )

    def _check_references(self) -> None:
        if self.sections_at is not None:
            for section_id, where in self.source_refs:
                if section_id not in self.section_ids:
                    self._problem(
                        where,
                        f"unknown section id {section_id!r}; expected an id from sections.yaml",
                    )
        for technique_id, where in self.technique_refs:
            if technique_id not in self.technique_ids:
                self._problem(
                    where,
                    f"unknown technique {technique_id!r}; expected an id from techniques.yaml",
                )

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
            self._check_days(track)

    def _check_days(self, track: Track) -> None:
        """Days run 1, 2, 3 ... across all of a track's files: no repeats, no gaps."""
        first_at: dict[int, Where] = {}
        for day, where in self.days[track]:
            if day in first_at:
                first = first_at[day]
                message = f"day {day} repeats the day of {first.entry} at {first}"
                self._problem(where, f"{message}; expected each day once in track {track}")
            else:
                first_at[day] = where
        expected = 1
        for day in sorted(first_at):
            if day != expected:
                missing = str(expected) if day == expected + 1 else f"{expected} to {day - 1}"
                message = f"track {track} has no day {missing} before day {day}"
                self._problem(first_at[day], f"{message}; expected days 1, 2, 3 ... with no gaps")
            expected = day + 1

    def _check_support(self) -> SupportNote | None:
        if not self.supports:
            self._problem(
                Where(ALL_FILES, None, None, "support"),
                "not found; expected support.yaml with a `support:` note",
            )
            return None
        return self.supports[0][0]
