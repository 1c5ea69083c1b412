"""Reading one entry's YAML mapping node field by field, keeping line numbers.

PyYAML's composed nodes remember where they start, which plain ``yaml.safe_load`` data does
not; so content is composed, never loaded, and each value is read off its node. A reader
never raises: it records a problem and returns a placeholder, so one run reports them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lessons.validation import Problem, Where, id_problem, text_problems

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"

_TAG_NAMES = {
    "tag:yaml.org,2002:null": "nothing",
    "tag:yaml.org,2002:bool": "true/false",
    INT_TAG: "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
}
_LIST_ITEM = re.compile(r"^(?:[-•*]|\d+[.)])\s")
_TAG_WORD = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

E = TypeVar("E", bound=StrEnum)

# YAML spells integers many ways (1_000, 0x10); its own constructor reads them all.
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def compose_file(
    file: str, path: Path, top_level: tuple[str, ...], problems: list[Problem]
) -> Node | None:
    """The file's YAML node tree, or None after reporting why there is none."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as error:
        problems.append(
            Where(file, None).problem(f"not UTF-8 text ({error.reason}); save it as UTF-8")
        )
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else int(mark.line) + 1
        what = ", ".join(str(part) for part in (error.context, error.problem) if part)
        message = f"YAML syntax: {what}; fix the indentation or quoting"
        problems.append(Where(file, line).problem(message))
        return None
    except yaml.YAMLError as error:
        problems.append(Where(file, None).problem(f"YAML syntax: {error}"))
        return None
    if node is None:
        message = f"file is empty; expected one of: {', '.join(top_level)}"
        problems.append(Where(file, None).problem(message))
    return node


def line_of(node: Node) -> int:
    """The 1-based line a node starts on (PyYAML counts from 0)."""
    return int(node.start_mark.line) + 1


def describe(node: Node) -> str:
    """What a writer typed, in words, for 'expected X, got Y' messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return _TAG_NAMES.get(str(node.tag), f"a {node.tag} value")


def scalar_text(node: Node) -> str | None:
    """The string a node holds, or None when it is not a plain YAML string."""
    if isinstance(node, ScalarNode) and node.tag == STR_TAG:
        return str(node.value)
    return None


def mapping_items(node: MappingNode) -> list[tuple[Node, Node]]:
    return [(key, value) for key, value in node.value]


def normalise(raw: str, style: str | None, *, paragraphs: bool) -> str:
    """One canonical shape for text, however the writer wrapped it in YAML.

    Short fields become one line. Multi-paragraph fields become paragraphs joined by one
    blank line: a literal block (``|``) keeps its line breaks, so lines in a paragraph are
    joined (writers wrap for their editor, not for the phone) except list items; folded and
    plain scalars have already joined lines, and mark a paragraph with a single newline.
    """
    if not paragraphs:
        return " ".join(raw.split())
    if style == "|":
        blocks = re.split(r"\n[ \t]*\n", raw.strip())
        return "\n\n".join(_join_lines(block) for block in blocks if block.strip())
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return "\n\n".join(line for line in lines if line)


def _join_lines(block: str) -> str:
    joined: list[str] = []
    for line in (" ".join(line.split()) for line in block.splitlines()):
        if joined and line and not _LIST_ITEM.match(line):
            joined[-1] += " " + line
        elif line:
            joined.append(line)
    return "\n".join(joined)


def _text_hint(max_chars: int | None, min_words: int | None, max_words: int | None) -> str:
    if max_chars is not None:
        return f"text of at most {max_chars} characters"
    if min_words is not None and max_words is not None:
        return f"text of {min_words} to {max_words} words"
    if max_words is not None:
        return f"text of at most {max_words} words"
    return "text"


class EntryReader:
    """Reads one entry (a YAML mapping) and records every problem it finds."""

    def __init__(
        self,
        file: str,
        node: MappingNode,
        *,
        fallback_label: str,
        allowed: tuple[str, ...],
        problems: list[Problem],
    ) -> None:
        self.file = file
        self.node = node
        self._problems = problems
        self._first_problem = len(problems)
        self._fields: dict[str, Node] = {}
        self._keys: dict[str, Node] = {}
        repeated: list[tuple[str, Node]] = []
        unknown: list[tuple[str, Node]] = []
        for key, value in mapping_items(node):
            name = scalar_text(key)
            if name is None or name not in allowed:
                unknown.append((str(key.value), key))
            elif name in self._fields:
                repeated.append((name, key))
            else:
                self._fields[name] = value
                self._keys[name] = key
        id_value = scalar_text(self._fields["id"]) if "id" in self._fields else None
        self.label = id_value or fallback_label
        for name, key in unknown:
            self.report(name, f"unknown field; expected one of: {', '.join(allowed)}", key)
        for name, key in repeated:
            self.report(name, "given twice; keep one", key)

    @property
    def ok(self) -> bool:
        """True while nothing about this entry was reported."""
        return len(self._problems) == self._first_problem

    def where(self, name: str, node: Node | None = None) -> Where:
        return Where(self.file, line_of(node or self.node), self.label, name)

    def report(self, name: str, message: str, node: Node | None = None) -> None:
        self._problems.append(self.where(name, node).problem(message))

    def has(self, name: str) -> bool:
        return name in self._fields

    def _field(self, name: str, *, required: bool, hint: str) -> Node | None:
        node = self._fields.get(name)
        if node is None and required:
            self.report(name, f"missing; expected {hint}")
        return node

    def _string(self, name: str, node: Node) -> str | None:
        value = scalar_text(node)
        if value is None:
            quote = " (put it in quotes)" if isinstance(node, ScalarNode) else ""
            self.report(name, f"expected text, got {describe(node)}{quote}", node)
        return value

    def identifier(self, check: Callable[[str], str | None] = id_problem) -> str:
        """The entry's ``id``, checked by ``check`` (entry ids by default, or section ids)."""
        node = self._field("id", required=True, hint="an id such as 'pause-and-ground'")
        value = self._string("id", node) if node is not None else None
        if value is not None and (message := check(value)) is not None:
            self.report("id", message, node)
        return value or ""

    def text(
        self,
        name: str,
        *,
        max_chars: int | None = None,
        min_words: int | None = None,
        max_words: int | None = None,
        paragraphs: bool = False,
        question: bool = False,
    ) -> str:
        """A required text field; its markup, length and shape are checked."""
        hint = _text_hint(max_chars, min_words, max_words)
        node = self._field(name, required=True, hint=hint)
        if node is None:
            return ""
        return self._checked_text(
            name, node, max_chars, min_words, max_words, paragraphs=paragraphs, question=question
        )

    def optional_text(
        self, name: str, *, max_words: int | None = None, question: bool = False
    ) -> str | None:
        node = self._field(name, required=False, hint="text")
        if node is None:
            return None
        return self._checked_text(name, node, None, None, max_words, question=question) or None

    def _checked_text(
        self,
        name: str,
        node: Node,
        max_chars: int | None,
        min_words: int | None,
        max_words: int | None,
        *,
        paragraphs: bool = False,
        question: bool = False,
    ) -> str:
        raw = self._string(name, node)
        if raw is None:
            return ""
        value = normalise(raw, getattr(node, "style", None), paragraphs=paragraphs)
        if not value:
            hint = _text_hint(max_chars, min_words, max_words)
            self.report(name, f"is empty; expected {hint}", node)
            return ""
        for message in text_problems(
            value, max_chars=max_chars, min_words=min_words, max_words=max_words
        ):
            self.report(name, message, node)
        if question and not value.endswith("?"):
            self.report(name, "does not end in '?'; expected one question", node)
        return value

    def field_node(self, name: str) -> Node | None:
        return self._fields.get(name)

    def _items(self, name: str, *, required: bool, hint: str) -> SequenceNode | None:
        node = self._field(name, required=required, hint=hint)
        if node is None:
            return None
        if not isinstance(node, SequenceNode):
            self.report(name, f"expected {hint}, got {describe(node)}", node)
            return None
        return node

    def text_list(
        self, name: str, *, min_items: int, max_items: int, max_words: int
    ) -> tuple[str, ...]:
        """A list of short texts, such as a technique's steps."""
        hint = f"a list of {min_items} to {max_items} short texts"
        listed = self._items(name, required=True, hint=hint)
        if listed is None:
            return ()
        items: list[Node] = listed.value
        if not min_items <= len(items) <= max_items:
            count = f"{len(items)} items; expected {min_items} to {max_items}"
            self.report(name, count, self._keys[name])
        return tuple(self._checked_text(name, item, None, None, max_words) for item in items)

    def sources(self) -> list[tuple[str, Where]]:
        """The section ids in ``source``, each with its place, for checking once all is read."""
        listed = self._items("source", required=True, hint="a list of section ids")
        if listed is None:
            return []
        if not listed.value:
            self.report(
                "source", "is empty; expected at least one section id", self._keys["source"]
            )
        found: list[tuple[str, Where]] = []
        for item in listed.value:
            value = self._string("source", item)
            if value is not None:
                found.append((value, self.where("source", item)))
        return found

    def tags(self) -> tuple[str, ...]:
        listed = self._items("tags", required=False, hint="a list of lowercase words")
        found: list[str] = []
        for item in listed.value if listed is not None else []:
            value = self._string("tags", item)
            if value is not None and not _TAG_WORD.fullmatch(value):
                self.report("tags", f"tag {value!r} is not a lowercase word", item)
            found.append(value or "")
        return tuple(found)

    def choices(self, name: str, options: type[E]) -> tuple[E, ...]:
        """An optional list of an enum's values, each once, such as a lesson's ``purpose``."""
        allowed = ", ".join(member.value for member in options)
        listed = self._items(name, required=False, hint=f"a list of: {allowed}")
        found: list[E] = []
        for item in listed.value if listed is not None else []:
            value = self._string(name, item)
            if value is None:
                continue
            if value not in {member.value for member in options}:
                self.report(name, f"unknown {name} {value!r}; expected any of: {allowed}", item)
            elif options(value) in found:
                self.report(name, f"{value!r} is listed twice; keep one", item)
            else:
                found.append(options(value))
        return tuple(found)

    def reference(self, name: str) -> tuple[str, Where] | None:
        """An optional id of another entry, such as a lesson's ``technique``."""
        node = self._field(name, required=False, hint="an id")
        if node is None:
            return None
        value = self._string(name, node)
        return None if value is None else (value, self.where(name, node))

    def whole_number(self, name: str, *, low: int, high: int | None = None) -> int | None:
        """A required integer within bounds; None when it is missing or not usable."""
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        hint = f"a whole number {bounds}"
        node = self._field(name, required=True, hint=hint)
        if node is None:
            return None
        if not (isinstance(node, ScalarNode) and node.tag == INT_TAG):
            self.report(name, f"expected {hint}, got {describe(node)}", node)
            return None
        value = int(_CONSTRUCTOR.construct_yaml_int(node))
        if value < low or (high is not None and value > high):
            self.report(name, f"{value} is out of range; expected {hint}", node)
            return None
        return value

    def choice(self, name: str, options: type[E], default: E) -> E:
        """One of an enum's values, such as a phrase's ``situation``."""
        allowed = ", ".join(member.value for member in options)
        node = self._field(name, required=True, hint=f"one of: {allowed}")
        if node is None:
            return default
        value = self._string(name, node)
        if value is None:
            return default
        if value not in {member.value for member in options}:
            self.report(name, f"unknown {name} {value!r}; expected one of: {allowed}", node)
            return default
        return options(value)
