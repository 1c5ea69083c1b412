"""The bundled content: it loads, it covers the guide, and it keeps the care rules.

These rules come from the content guide (shared/CONTENT.md); the file format is checked by
the loader itself, so here only what the format cannot say is asserted.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from lessons import (
    Catalog,
    Collection,
    Entry,
    Lesson,
    Routine,
    Situation,
    SupportNote,
    Technique,
    Track,
    load_catalog,
)
from lessons.rules import words

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
    assert len(catalog.track("partner")) >= 16


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


# The second edition: what the partner course covers, the solo path, care for survivors,
# help with seeing someone, the arc of the self course, and the rules that keep it so.
PARTNER_TOPICS = (
    "pain",
    "memories",
    "comedown",
    "own-feelings",
    "what-not-to-say",
    "rushed",
    "self-care",
    "talking",
    "aftercare",
    "consent",
)
PROFESSIONALS = (
    "GP",
    "gynaecologist",
    "urologist",
    "pelvic-floor physiotherapist",
    "certified sex therapist",
    "counsellor",
    "trauma-informed",
)


def tagged(lessons: tuple[Lesson, ...], tag: str) -> list[Lesson]:
    return [lesson for lesson in lessons if tag in lesson.tags]


def test_the_rules_file_is_there_and_strict(catalog):
    rules = catalog.rules
    assert rules.shared_run_words and rules.shared_run_words <= 6
    assert rules.opening_words and rules.opening_words <= 4
    assert rules.preview_characters >= 150
    assert set(PARTNER_TOPICS) <= set(rules.partner_topics)
    assert {"afterward", "toward", "counselor", "practicing", "gynecologist"} <= set(
        rules.us_spellings
    )
    assert {"pause", "stop", "later"} <= set(rules.pause_words)
    assert {"carry on", "keep going", "continue"} <= set(rules.continue_words)
    assert {"partner", "together"} <= set(rules.partner_words)
    assert {"share.invite", "share.card.intro", "delivery.lesson.header"} <= set(rules.scheduled_ui)


@pytest.mark.parametrize("topic", PARTNER_TOPICS)
def test_the_partner_course_covers(catalog, topic):
    assert tagged(catalog.track("partner"), topic), f"no partner lesson is tagged {topic}"


def test_partner_pain_lesson_says_stop_at_once_and_not_a_verdict(catalog):
    [lesson] = tagged(catalog.track("partner"), "pain")
    assert "stop at once" in lesson.body and "not a verdict on you" in lesson.body


def test_partner_memories_lesson_says_what_helps_in_the_moment(catalog):
    [lesson] = tagged(catalog.track("partner"), "memories")
    for fragment in ("eyes", "name the room", "today's date", "ask before touching", "explain"):
        assert fragment in lesson.body, fragment


def test_a_flashback_card_serves_both_people_and_points_to_support(catalog):
    card = catalog.technique("back-to-now")
    text = all_text(card)
    assert "why.memories" in card.source
    assert "eyes open" in text and "ask before any touch" in text and "/support" in text
    assert "For either of you" in card.when


def test_nothing_promises_safety_in_a_hard_moment(catalog):
    # "You're safe" or "safe enough to let it out" can misfire during a flashback.
    for phrase in catalog.phrases:
        assert not re.search(r"you're safe|safe enough", phrase.text, re.IGNORECASE), phrase.id


def test_the_support_note_maps_who_fits_what_without_numbers(catalog):
    body = catalog.support.body
    for professional in PROFESSIONALS:
        assert professional in body, professional
    assert "local emergency services" in body and "national helpline" in body
    assert not re.search(r"\d{3}", body), "no phone numbers or addresses"


def test_the_support_note_opens_on_reaching_out_and_says_when_it_is_urgent(catalog):
    # The note follows the urgent line ("contact emergency services now") and the crisis
    # line in typed-text answers: an opening about tears being human reads oddly there.
    paragraphs = catalog.support.body.split("\n\n")
    assert not re.search(r"\btears?\b|\bcry|human", paragraphs[0], re.IGNORECASE)
    assert "support" in paragraphs[0]
    # Someone in danger who opens /support reads where to turn before the list of who fits.
    emergency = next(i for i, text in enumerate(paragraphs) if "emergency services" in text)
    listing = next(i for i, text in enumerate(paragraphs) if "Who fits what" in text)
    assert emergency < listing


def test_a_lesson_says_which_professional_fits_and_when_to_go(catalog):
    [lesson] = [lesson for lesson in catalog.track("self") if "who-can-help" in lesson.id]
    for professional in PROFESSIONALS:
        assert professional in lesson.body, professional
    assert "lasting days" in lesson.body and "local emergency services" in lesson.body


def test_the_experience_is_named_once(catalog):
    named = [e.id for e in catalog.entries() if "postcoital dysphoria" in all_text(e)]
    assert len(named) == 1, named
    [lesson] = [catalog.lesson(entry_id) for entry_id in named]
    assert "sometimes called postcoital dysphoria" in lesson.body
    assert "gender and orientation" in lesson.body and "religious" in lesson.body


def test_the_self_course_reads_right_when_single(catalog):
    solo = tagged(catalog.track("self"), "solo")
    assert solo and "solo sex" in solo[0].body
    needing = [lesson for lesson in catalog.track("self") if lesson.try_solo is not None]
    assert len(needing) >= 5


def test_talking_with_a_partner_arrives_by_day_15(catalog):
    talking = tagged(catalog.track("self"), "talking")
    assert talking and min(lesson.day for lesson in talking) <= 15


def test_aftercare_returns_through_the_middle_of_the_course(catalog):
    days = [lesson.day for lesson in tagged(catalog.track("self"), "aftercare")]
    assert any(day <= 10 for day in days) and any(11 <= day <= 20 for day in days), days


def test_the_self_course_ends_with_a_plan_the_person_keeps(catalog):
    last = catalog.track("self")[-1]
    assert "plan" in last.tags
    for part in ("What helps me", "My signals", "My aftercare", "Who I can ask"):
        assert part in last.body, part
    assert "stores nothing you type" in last.body


def test_a_maintenance_set_follows_the_course(catalog):
    lessons = catalog.collection(Collection.MAINTENANCE)
    assert [lesson.title for lesson in lessons] == [
        "When it comes back",
        "Someone new",
        "After a hard week",
    ]
    assert all(lesson.track is Collection.MAINTENANCE for lesson in lessons)


@pytest.mark.parametrize(
    "entry_id",
    [
        "phrase-in-the-moment-three-options",
        "partner-offer-choices",
        "decide-together",
        "self-11-you-have-choices",
    ],
)
def test_options_name_pausing_before_going_on(catalog, entry_id):
    entry = catalog.entry(entry_id)
    assert entry is not None
    said = " ".join(words(all_text(entry)))
    going_on = [said.index(term) for term in ("carry on", "continue") if term in said]
    assert going_on, f"{entry_id} offers no way of going on any more; update this test"
    assert said.index("pause") < min(going_on)


def test_no_two_lessons_open_alike(catalog):
    lessons = [lesson for track in Track for lesson in catalog.track(track)]
    openings = [tuple(words(lesson.body)[:4]) for lesson in lessons]
    assert len(set(openings)) == len(openings)
    assert len({lesson.title for lesson in lessons}) == len(lessons)
