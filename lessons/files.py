"""One content file: its top-level keys, each handed to the reader of its kind.

A file's kind comes from its top-level keys (see ``content/README.md``), not its name, so
content can be split across files freely (``course-self-part1.yaml``, ``ui-core.yaml``).
Everything read goes into a ``Gathering``; what an entry says about other entries is checked
once every file has been read (``lessons.catalog``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from yaml.nodes import MappingNode, Node

from lessons.care import REASON_FIELDS, read_care, read_reason
from lessons.entries import (
    PHRASE_FIELDS,
    ROUTINE_FIELDS,
    RULE_FIELDS,
    SECTION_FIELDS,
    SUPPORT_FIELDS,
    TECHNIQUE_FIELDS,
    read_phrase,
    read_routine,
    read_rules,
    read_section,
    read_support,
    read_technique,
    read_ui_text,
)
from lessons.gathering import Gathering
from lessons.reader import compose_file, describe, line_of, mapping_items, scalar_text
from lessons.tracks import read_track
from lessons.validation import Where

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

KeyReader = Callable[[Gathering, str, Node, Node], None]
"""Reads one top-level key's value (its key node kept for the line) into a gathering."""


def read_file(gathering: Gathering, file: str, path: Path) -> None:
    """Everything in the file at ``path`` (named ``file`` in problems), into ``gathering``."""
    root = compose_file(file, path, TOP_LEVEL, gathering.problems)
    if root is None:
        return
    if not isinstance(root, MappingNode):
        gathering.problem(
            Where(file, line_of(root)), f"expected top-level keys, got {describe(root)}"
        )
        return
    top = _top_level(gathering, file, root)
    if "track" in top or "collection" in top or "lessons" in top:
        read_track(gathering, file, root, top, top.get("lessons"))
    for key, read in _READERS.items():
        if key in top:
            read(gathering, file, *top[key])


def _top_level(gathering: Gathering, file: str, root: MappingNode) -> dict[str, tuple[Node, Node]]:
    top: dict[str, tuple[Node, Node]] = {}
    for key, value in mapping_items(root):
        name = scalar_text(key)
        where = Where(file, line_of(key), None, str(key.value))
        if name not in TOP_LEVEL:
            gathering.problem(
                where, f"unknown top-level key; expected one of: {', '.join(TOP_LEVEL)}"
            )
        elif name in top:
            gathering.problem(where, "given twice in this file; keep one")
        else:
            top[name] = (key, value)
    return top


# Entry kinds


def _read_techniques(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    for label, node in gathering.items(file, key, value, "technique", TECHNIQUE_FIELDS):
        reader = gathering.reader(file, node, label, TECHNIQUE_FIELDS)
        technique = read_technique(reader, gathering.registry)
        if technique is not None:
            gathering.techniques.append(technique)


def _read_phrases(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    for label, node in gathering.items(file, key, value, "phrase", PHRASE_FIELDS):
        reader = gathering.reader(file, node, label, PHRASE_FIELDS)
        phrase = read_phrase(reader, gathering.registry)
        if phrase is not None:
            gathering.phrases.append(phrase)


def _read_routines(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    for label, node in gathering.items(file, key, value, "routine", ROUTINE_FIELDS):
        reader = gathering.reader(file, node, label, ROUTINE_FIELDS)
        routine = read_routine(reader, gathering.registry)
        if routine is not None:
            gathering.routines.append(routine)


def _read_support(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    where = Where(file, line_of(key), None, "support")
    if gathering.supports:
        gathering.problem(
            where, f"given again; the support note is already in {gathering.supports[0][1]}"
        )
        return
    if not isinstance(value, MappingNode):
        gathering.problem(
            where, f"expected one mapping with id, title, body, source; got {describe(value)}"
        )
        gathering.supports.append((None, where))
        return
    reader = gathering.reader(file, value, "support", SUPPORT_FIELDS)
    gathering.supports.append((read_support(reader, gathering.registry), where))


def _read_rules(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    where = Where(file, line_of(key), None, "rules")
    if gathering.rules_at is not None:
        gathering.problem(where, f"given again; the rules are already in {gathering.rules_at}")
        return
    gathering.rules_at = where
    if not isinstance(value, MappingNode):
        gathering.problem(where, f"expected a mapping of rule names, got {describe(value)}")
        return
    gathering.rules = read_rules(gathering.reader(file, value, "rules", RULE_FIELDS))


def _read_reasons(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    for label, node in gathering.items(file, key, value, "reason", REASON_FIELDS):
        reader = gathering.reader(file, node, label, REASON_FIELDS)
        reason, where = read_reason(reader, gathering.registry)
        if reason is not None:
            gathering.reasons.append((reason, where))


def _read_care(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    gathering.care = read_care(file, key, value, gathering.problems)


def _read_sections(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    if gathering.sections_at is not None:
        where = Where(file, line_of(key), None, "sections")
        gathering.problem(
            where, f"given again; sections are already listed in {gathering.sections_at}"
        )
        return
    gathering.sections_at = Where(file, line_of(key))
    for label, node in gathering.items(file, key, value, "section", SECTION_FIELDS):
        reader = gathering.reader(file, node, label, SECTION_FIELDS)
        section = read_section(reader, gathering.section_ids)
        if section is not None:
            gathering.sections.append(section)


def _read_ui(gathering: Gathering, file: str, key: Node, value: Node) -> None:
    if not isinstance(value, MappingNode):
        gathering.problem(
            Where(file, line_of(value), None, "ui"),
            f"expected a mapping of keys to texts, got {describe(value)}",
        )
        return
    for key_node, text_node in mapping_items(value):
        read_ui_text(file, key_node, text_node, gathering.ui, gathering.ui_at, gathering.problems)


_READERS: dict[str, KeyReader] = {
    "sections": _read_sections,
    "techniques": _read_techniques,
    "phrases": _read_phrases,
    "routines": _read_routines,
    "support": _read_support,
    "rules": _read_rules,
    "ui": _read_ui,
    "reasons": _read_reasons,
    "care": _read_care,
}
"""The reader of each top-level key but the lessons', in the order they are read."""
