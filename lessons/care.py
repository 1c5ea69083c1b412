"""Reading a typed message for care, and the content that drives it: the cues of
``care-words.yaml`` and the reasons of ``/why``.

A typed message is folded into plain words (accents dropped, one case, no apostrophes) and
a cue matches only as whole words in a row: "pain" is found in "it was a pain" but not in
"painting" or "Spain". The message is read here and forgotten; nothing keeps or logs it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from yaml.nodes import MappingNode, Node, SequenceNode

from lessons.entries import Registry
from lessons.model import CareCues, Lesson, Reason
from lessons.reader import EntryReader, describe, line_of, scalar_text
from lessons.validation import Problem, Where

REASON_FIELDS = ("id", "title", "body", "lesson", "source")
CARE_FIELDS = ("urgent", "crisis", "partner")

# Telegram caps a message at 4,096 characters; anything longer is not a typed message, and
# a bound keeps the scan cheap whatever arrives.
MAX_CHARACTERS = 8192
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
# What a cue may be written with: letters, digits, spaces, apostrophes and hyphens.
_CUE = re.compile(r"^[\w' \u2019-]+$")

Words = tuple[str, ...]


def fold(text: str) -> Words:
    """The plain words of ``text``: "Can't BREATHE, café" -> ("cant", "breathe", "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARACTERS])
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return tuple(_WORD.findall(_APOSTROPHES.sub("", bare.casefold())))


def mentions(words: Words, cues: Iterable[Words]) -> bool:
    """Whether any cue appears in ``words`` as whole words, one after another."""
    for cue in cues:
        size = len(cue)
        if any(words[start : start + size] == cue for start in range(len(words) - size + 1)):
            return True
    return False


# Content: the reasons of /why


def read_reason(reader: EntryReader, registry: Registry) -> tuple[Reason | None, Where | None]:
    """One card of ``/why`` and where its lesson is named, to check once all is read."""
    reason = Reason(
        id=registry.entry_id(reader),
        title=reader.text("title", max_chars=40),
        body=reader.text("body", min_words=25, max_words=90, paragraphs=True),
        lesson=reader.text("lesson"),
        source=registry.sources(reader),
    )
    return (reason if reader.ok else None), reader.where("lesson", reader.field_node("lesson"))


def lesson_problems(
    reasons: Iterable[tuple[Reason, Where | None]], lessons: Mapping[str, Lesson]
) -> list[Problem]:
    """Every reason names a lesson that exists."""
    return [
        where.problem(f"unknown lesson {reason.lesson!r}; expected the id of a lesson")
        for reason, where in reasons
        if where is not None and reason.lesson not in lessons
    ]


# Content: the cues of care-words.yaml


def read_care(file: str, key: Node, value: Node, problems: list[Problem]) -> CareCues:
    """The ``care:`` mapping's three lists of cues, each cue folded as typed text will be.

    A cue belongs to one list only: the tiers are read in order (urgent, crisis, partner) and
    the first one that matches decides the answer, so a cue in two lists says nothing new."""
    if not isinstance(value, MappingNode):
        where = Where(file, line_of(key), None, "care")
        problems.append(
            where.problem(f"expected urgent, crisis and partner lists, got {describe(value)}")
        )
        return CareCues()
    reader = EntryReader(file, value, fallback_label="care", allowed=CARE_FIELDS, problems=problems)
    seen: dict[Words, str] = {}
    return CareCues(
        urgent=_cues(reader, "urgent", seen),
        crisis=_cues(reader, "crisis", seen),
        partner=_cues(reader, "partner", seen),
    )


def _cues(reader: EntryReader, name: str, seen: dict[Words, str]) -> tuple[Words, ...]:
    node = reader.field_node(name)
    if node is None or not isinstance(node, SequenceNode) or not node.value:
        got = "nothing" if node is None else describe(node)
        reader.report(name, f"expected a list of words and short phrases, got {got}", node)
        return ()
    found: dict[Words, Node] = {}
    for item in node.value:
        cue = _cue(reader, name, item)
        if cue is None:
            continue
        shown = " ".join(cue)
        if cue in found:
            reader.report(name, f"{shown!r} is listed twice (as folded); keep one", item)
        elif cue in seen:
            reader.report(
                name, f"{shown!r} is already listed under {seen[cue]}; keep it in one list", item
            )
            continue
        found.setdefault(cue, item)
    seen.update(dict.fromkeys(found, name))
    return tuple(found)


def _cue(reader: EntryReader, name: str, item: Node) -> Words | None:
    value = scalar_text(item)
    if value is None or not _CUE.fullmatch(value):
        shown = describe(item) if value is None else repr(value)
        reader.report(name, f"expected words (letters, spaces, apostrophes), got {shown}", item)
        return None
    words = fold(value)
    if not 1 <= len(words) <= 6:
        reader.report(name, f"{value!r} must be one to six words", item)
        return None
    return words
