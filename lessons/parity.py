"""Two languages of the same content must match: the same entries, ui keys and structure.

Only words differ between languages. A lesson's day, track, sources, audience, tags and
purposes, a phrase's situation, a routine's minutes: these shape the course and the
features, so every language must agree on them with the default language. An entry or ui
key that one language has and another lacks would show up at run time as a missing string
(or an entry nobody can reach), so the check refuses it before the bot starts.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import fields

from lessons.catalog import Loaded
from lessons.model import CareCues, Catalog, ContentRules, Entry
from lessons.validation import Problem, Where

STRUCTURE: tuple[str, ...] = ("track", "day", "source", "audience", "technique", "tags")
STRUCTURE += ("purpose", "situation", "minutes", "lesson")
"""Fields copied, not written, in every language: they must be equal."""

OPTIONAL_TEXTS = ("reflect", "try_solo", "duration", "note")
"""Optional texts a language must give exactly when the default language gives them."""

SHARED_RULES: tuple[str, ...] = ("preview_characters", "shared_run_words", "opening_words")
SHARED_RULES += ("partner_topics",)
SHARED_RULES += ("scheduled_ui", "track_purposes")
"""Rules that name limits, tags or ui keys rather than words: the same in every language."""


def parity_problems(
    base: str, base_loaded: Loaded, other: str, other_loaded: Loaded
) -> list[Problem]:
    """Every way ``other``'s content fails to match ``base``'s; both must have loaded."""
    base_catalog, other_catalog = base_loaded.catalog, other_loaded.catalog
    assert base_catalog is not None and other_catalog is not None
    problems = list(_missing(base, base_loaded.ids, other, other_loaded.ids, "entries"))
    problems += _missing(base, base_loaded.section_at, other, other_loaded.section_at, "sections")
    problems += _missing(base, base_loaded.ui_at, other, other_loaded.ui_at, "ui keys")
    for entry_id, where in other_loaded.ids.items():
        base_entry, other_entry = base_catalog.entry(entry_id), other_catalog.entry(entry_id)
        if base_entry is not None and other_entry is not None:
            problems += _entry_problems(base, base_entry, other_entry, where)
    problems += _placeholder_problems(base, base_catalog, other_catalog, other_loaded.ui_at)
    problems += _rules_problems(base, base_catalog.rules, other, other_catalog.rules)
    problems += _care_problems(base, base_catalog.care, other, other_catalog.care)
    return problems


def _missing(
    base: str, base_at: Mapping[str, Where], other: str, other_at: Mapping[str, Where], kind: str
) -> Iterator[Problem]:
    """Each id or key present in one language only, reported where it is present."""
    yield from _only_in(base, base_at, other, other_at, kind)
    yield from _only_in(other, other_at, base, base_at, kind)


def _only_in(
    here: str, here_at: Mapping[str, Where], there: str, there_at: Mapping[str, Where], kind: str
) -> Iterator[Problem]:
    for name, where in here_at.items():
        if name not in there_at:
            # An entry's place is its id line; the problem is the entry's, not its id field's.
            place = where if kind == "ui keys" else Where(where.file, where.line, where.entry)
            yield place.problem(
                f"is in {here} but missing in {there}; every language has the same {kind} "
                f"(add it to {there}/ or remove it here)"
            )


def _entry_problems(
    base: str, base_entry: Entry, other_entry: Entry, where: Where
) -> Iterator[Problem]:
    entry_where = Where(where.file, where.line, where.entry)
    if type(base_entry) is not type(other_entry):
        kind, expected = type(other_entry).__name__.lower(), type(base_entry).__name__.lower()
        yield entry_where.problem(f"is a {kind} here but a {expected} in {base}; ids name one kind")
        return
    names = {field.name for field in fields(base_entry)}
    for name in STRUCTURE:
        mine, theirs = getattr(other_entry, name, None), getattr(base_entry, name, None)
        if name in names and mine != theirs:
            yield Where(where.file, where.line, where.entry, name).problem(
                f"{_shown(mine)} here but {_shown(theirs)} in {base}; "
                "this field is the same in every language"
            )
    for name in OPTIONAL_TEXTS:
        if name in names and (getattr(base_entry, name) is None) != (
            getattr(other_entry, name) is None
        ):
            state = "missing" if getattr(other_entry, name) is None else "given"
            other_state = "given" if state == "missing" else "not given"
            yield Where(where.file, where.line, where.entry, name).problem(
                f"{state} here but {other_state} in {base}; give it in both languages or in neither"
            )


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def placeholders(text: str) -> Counter[str]:
    """The ``{names}`` a text fills in, each with how often it appears."""
    names = (name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    return Counter(names)


def _placeholder_problems(
    base: str, base_catalog: Catalog, other_catalog: Catalog, other_at: Mapping[str, Where]
) -> Iterator[Problem]:
    for key, text in other_catalog.ui.items():
        base_text = base_catalog.ui.get(key)
        if base_text is None:
            continue
        mine, theirs = placeholders(text), placeholders(base_text)
        if mine != theirs:
            where = other_at[key]
            yield where.problem(
                f"placeholders {_names(mine)} here but {_names(theirs)} in {base}; "
                "every language fills in the same {names}"
            )


def _names(found: Counter[str]) -> str:
    if not found:
        return "none"
    return ", ".join(
        f"{{{name}}}" + (f" x{count}" if count > 1 else "") for name, count in sorted(found.items())
    )


def _rules_problems(
    base: str, base_rules: ContentRules, other: str, other_rules: ContentRules
) -> Iterator[Problem]:
    where = Where(f"{other}/rules.yaml", None, None, "rules")
    if base_rules != ContentRules() and other_rules == ContentRules():
        yield where.problem(f"not found; {base} has rules, so {other} needs its own rules.yaml")
        return
    for name in SHARED_RULES:
        if getattr(base_rules, name) != getattr(other_rules, name):
            yield Where(where.file, None, "rules", name).problem(
                f"differs from {base}'s; limits, tags and ui keys are the same in every language"
            )


def _care_problems(
    base: str, base_care: CareCues, other: str, other_care: CareCues
) -> Iterator[Problem]:
    for tier in ("urgent", "crisis", "partner"):
        if getattr(base_care, tier) and not getattr(other_care, tier):
            yield Where(f"{other}/care-words.yaml", None, "care", tier).problem(
                f"no cues; {base} has {tier} cues, and typed text in {other} must be read as well"
            )
