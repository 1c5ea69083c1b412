"""What a content folder has given so far, file by file, and every problem found in it.

``lessons.files`` reads each file into one ``Gathering`` (``lessons.tracks`` the lessons of
tracks and collections); ``lessons.catalog`` builds the catalog from it once every file is
read, so problems from all files are listed together.
"""

from __future__ import annotations

from collections.abc import Iterator

from yaml.nodes import MappingNode, Node, SequenceNode

from lessons.entries import Registry
from lessons.model import (
    CareCues,
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
from lessons.reader import EntryReader, describe, line_of
from lessons.validation import Problem, Where

# A list of lessons belongs to a daily track or to a collection offered on demand.
Group = Track | Collection

# Problems that belong to no one file (a track nobody wrote) are filed under this name.
ALL_FILES = "*.yaml"


class Gathering:
    """Everything read so far, plus every problem found; ``lessons.catalog`` builds from it."""

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

    def problem(self, where: Where, message: str) -> None:
        self.problems.append(where.problem(message))

    def reader(
        self, file: str, node: MappingNode, label: str, fields: tuple[str, ...]
    ) -> EntryReader:
        """A reader for one entry's mapping, reporting into this gathering's problems."""
        return EntryReader(file, node, fallback_label=label, allowed=fields, problems=self.problems)

    def items(
        self, file: str, key: Node, value: Node, kind: str, fields: tuple[str, ...]
    ) -> Iterator[tuple[str, MappingNode]]:
        """The mappings of a top-level list, each with a label for when its id is missing."""
        name = str(key.value)
        if not isinstance(value, SequenceNode):
            where = Where(file, line_of(value), None, name)
            self.problem(where, f"expected a list of {kind}s, got {describe(value)}")
            return
        for index, item in enumerate(value.value, start=1):
            label = f"{name} #{index}"
            if isinstance(item, MappingNode):
                yield label, item
            else:
                expected = f"a {kind}: a mapping with {', '.join(fields)}"
                self.problem(
                    Where(file, line_of(item), label), f"expected {expected}, got {describe(item)}"
                )
