"""The bundled content: it loads, it covers the guide, and it keeps the care rules.

These rules come from the content guide (shared/CONTENT.md); the file format is checked by
the loader itself, so here only what the format cannot say is asserted.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from lessons import Catalog, Entry, Lesson, Routine, Situation, SupportNote, Technique, load_catalog

SHARED_GUIDE = Path(__file__).resolve().parents[3] / "shared" / "guide"

REQUIRED_TECHNIQUES = (
    "pause-and-ground",
    "breathing-4-6",
    "soft-jaw-and-hands",
    "pace-check-in",
    "shift-the-activity",
    "decide-together",
    "shared-signals",
    "reframe-tears",
    "aftercare",
)
REQUIRED_ROUTINES = (
    "short-walk",
    "warm-shower",
    "light-stretching",
    "slow-breathing",
    "journaling",
    "talking-to-someone",
    "creative-expression",
)
# Words that must not show on a lock screen or in a menu of names.
NOT_ON_A_LOCK_SCREEN = re.compile(
    r"\b(sex|sexual|orgasm|arousal|aroused|lubrication|naked|bedroom|climax)\b", re.IGNORECASE
)
STOP_OR_PAUSE = re.compile(r"\b(stop|pause)", re.IGNORECASE)
HEALTH_CARE = re.compile(r"health[- ]?care provider|doctor", re.IGNORECASE)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def all_text(entry: Entry) -> str:
    """Every piece of text an entry shows, joined, for rules about what it says."""
    parts: list[str] = []
    for field in dataclasses.fields(entry):
        if field.name in {"id", "source", "tags", "technique"}:
            continue
        value = getattr(entry, field.name)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, tuple):
            parts.extend(item for item in value if isinstance(item, str))
    return "\n".join(parts)


def sourced_from(catalog: Catalog, *section_ids: str) -> list[Entry]:
    return [e for e in catalog.entries() if set(e.source) & set(section_ids)]


def test_real_content_loads(catalog):
    assert catalog.track("self")
    assert catalog.track("partner")


def test_sections_match_the_guide(catalog):
    listed = SHARED_GUIDE / "sections.txt"
    if not listed.exists():
        pytest.skip(f"the guide's section list is not at {listed}")
    expected = [line.strip() for line in listed.read_text(encoding="utf-8").splitlines()]
    assert [section.id for section in catalog.sections] == [s for s in expected if s]


def test_every_section_is_the_source_of_a_track_lesson(catalog):
    lessons = catalog.track("self") + catalog.track("partner")
    used = {source for lesson in lessons for source in lesson.source}
    missing = [section.id for section in catalog.sections if section.id not in used]
    assert not missing, f"no track lesson has these sections as source: {missing}"


def test_track_lengths(catalog):
    assert len(catalog.track("self")) >= 28, "the self track is a four-week course"
    assert len(catalog.track("partner")) >= 10


@pytest.mark.parametrize("technique_id", REQUIRED_TECHNIQUES)
def test_required_technique(catalog, technique_id):
    assert isinstance(catalog.entry(technique_id), Technique)


@pytest.mark.parametrize("routine_id", REQUIRED_ROUTINES)
def test_required_routine(catalog, routine_id):
    assert isinstance(catalog.entry(routine_id), Routine)


def test_phrases_cover_every_situation(catalog):
    assert len(catalog.phrases) >= 20
    empty = [situation.value for situation in Situation if not catalog.phrases_for(situation)]
    assert not empty, f"no phrases for: {empty}"


def test_pain_means_pause_and_a_health_care_provider(catalog):
    entries = sourced_from(catalog, "why.pain", "pain")
    assert entries, "nothing is sourced from why.pain or pain"
    for entry in entries:
        text = all_text(entry)
        assert STOP_OR_PAUSE.search(text), f"{entry.id} is about pain but never says stop or pause"
        assert HEALTH_CARE.search(text), (
            f"{entry.id} is about pain but names no health-care provider"
        )


def test_memories_and_support_point_to_support(catalog):
    entries = [
        entry
        for entry in sourced_from(catalog, "why.memories", "support")
        if not isinstance(entry, SupportNote)
    ]
    assert entries, "nothing besides the support note is sourced from why.memories or support"
    missing = [entry.id for entry in entries if "/support" not in all_text(entry)]
    assert not missing, f"these should point to /support: {missing}"


def test_titles_and_names_are_fine_on_a_lock_screen(catalog):
    shown: list[tuple[str, str]] = []
    for entry in catalog.entries():
        if isinstance(entry, Lesson):
            shown.append((entry.id, entry.title))
        elif isinstance(entry, Technique):
            shown.append((entry.id, entry.name))
        elif isinstance(entry, Routine):
            shown += [(entry.id, entry.name), (entry.id, entry.reminder)]
    explicit = [(entry_id, text) for entry_id, text in shown if NOT_ON_A_LOCK_SCREEN.search(text)]
    assert not explicit, f"not discreet enough for a lock screen: {explicit}"
