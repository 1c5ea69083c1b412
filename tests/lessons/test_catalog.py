"""The catalog's look-ups, its read-only promise, caching, and the shape text is kept in."""

from __future__ import annotations

import dataclasses

import pytest

import lessons.catalog
import lessons.library
from lessons import Catalog, Situation, Technique, Track, load_catalog


@pytest.fixture
def catalog(content) -> Catalog:
    return load_catalog(content.path)


def test_lookups_by_id(catalog):
    assert catalog.lesson("first-day").title == "A gentle start"
    assert catalog.technique("slow-breath").steps == (
        "Breathe in for four counts.",
        "Breathe out for six counts.",
    )
    assert catalog.phrase("gentle-check").situation is Situation.BEFORE
    assert catalog.routine("short-walk").minutes == 10
    assert catalog.support.id == "more-help"


@pytest.mark.parametrize("lookup", ["lesson", "technique", "phrase", "routine"])
def test_unknown_id_raises_key_error_naming_it(catalog, lookup):
    with pytest.raises(KeyError, match="nowhere"):
        getattr(catalog, lookup)("nowhere")


def test_lookup_of_the_wrong_kind_is_a_key_error(catalog):
    with pytest.raises(KeyError, match="no technique with id 'first-day'"):
        catalog.technique("first-day")


def test_entry_finds_any_kind_or_none(catalog):
    assert isinstance(catalog.entry("slow-breath"), Technique)
    assert catalog.entry("more-help") is catalog.support
    assert catalog.entry("nowhere") is None


def test_tracks_and_days(catalog):
    assert [lesson.id for lesson in catalog.track(Track.SELF)] == ["first-day", "second-day"]
    assert catalog.track("partner")[0].track is Track.PARTNER
    assert catalog.lesson_for_day("self", 2) is catalog.lesson("second-day")
    assert catalog.lesson_for_day(Track.SELF, 3) is None
    assert catalog.lesson_for_day(Track.PARTNER, 0) is None
    with pytest.raises(KeyError, match="no track 'friends'"):
        catalog.track("friends")


def test_phrases_for_a_situation(catalog):
    assert [phrase.id for phrase in catalog.phrases_for("before")] == ["gentle-check"]
    assert catalog.phrases_for(Situation.AFTER) == ()
    with pytest.raises(KeyError, match="in-the-moment"):
        catalog.phrases_for("never")


def test_entries_in_course_order(catalog):
    ids = [entry.id for entry in catalog.entries()]
    assert ids == [
        "first-day",
        "second-day",
        "partner-first-day",
        "slow-breath",
        "gentle-check",
        "short-walk",
        "more-help",
    ]


def test_text_fills_placeholders(catalog):
    assert catalog.text("greeting", name="Sam") == "Hello, <b>Sam</b>!"


def test_text_names_a_missing_key(catalog):
    with pytest.raises(KeyError, match="no ui text 'farewell'"):
        catalog.text("farewell")


def test_text_names_a_missing_value(catalog):
    with pytest.raises(KeyError, match=r"'greeting' needs a value for \{name\}"):
        catalog.text("greeting")


def test_catalog_is_read_only(catalog):
    with pytest.raises(TypeError):
        catalog.ui["greeting"] = "changed"  # type: ignore[index]
    with pytest.raises(TypeError):
        catalog.tracks[Track.SELF] = ()  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.support = catalog.support  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.lesson("first-day").title = "changed"  # type: ignore[misc]


def test_catalog_copies_what_it_is_given(catalog):
    ui = {"hello": "Hi"}
    built = Catalog(
        sections=catalog.sections,
        tracks=dict(catalog.tracks),
        techniques=catalog.techniques,
        phrases=catalog.phrases,
        routines=catalog.routines,
        support=catalog.support,
        ui=ui,
    )
    ui["hello"] = "changed"
    assert built.text("hello") == "Hi"


def test_catalog_refuses_duplicate_ids(catalog):
    with pytest.raises(ValueError, match="slow-breath"):
        Catalog(
            sections=catalog.sections,
            tracks=catalog.tracks,
            techniques=catalog.techniques * 2,
            phrases=catalog.phrases,
            routines=catalog.routines,
            support=catalog.support,
        )


def test_explicit_folders_are_read_afresh(content):
    assert load_catalog(content.path) is not load_catalog(content.path)


def test_bundled_catalog_is_read_once(content, monkeypatch):
    monkeypatch.setattr(lessons.library, "CONTENT_DIR", content.path)
    lessons.library.bundled_library.cache_clear()
    try:
        first = load_catalog()
        content.remove("ui.yaml")
        assert load_catalog() is first
    finally:
        lessons.library.bundled_library.cache_clear()


def first_body_line(content) -> str:
    return next(line for line in content.text("course-self.yaml").splitlines() if "body:" in line)


def test_literal_block_paragraphs_are_joined_for_the_phone(content):
    words = "Tears can come when feelings run high, and that is a human thing to happen. " * 2
    body = "|\n      " + words + "\n      wrapped here for the editor.\n\n      " + words
    content.replace("course-self.yaml", first_body_line(content), f"    body: {body}")
    lesson = load_catalog(content.path).lesson("first-day")
    first, second = lesson.body.split("\n\n")
    assert "\n" not in first and first.endswith("wrapped here for the editor.")
    assert second.startswith("Tears can come") and "\n" not in second


def test_folded_block_paragraphs(content):
    words = "Tears can come when feelings run high, and that is a human thing to happen. " * 3
    body = ">\n      " + words + "\n      still one paragraph.\n\n      Second one."
    content.replace("course-self.yaml", first_body_line(content), f"    body: {body}")
    lesson = load_catalog(content.path).lesson("first-day")
    first, second = lesson.body.split("\n\n")
    assert "\n" not in first and first.endswith("still one paragraph.")
    assert second == "Second one."


def test_list_lines_in_a_literal_block_stay_lines(content):
    body = "|\n      A doctor can help with:\n      - pain\n      - worry\n      See /support.\n"
    content.replace(
        "support.yaml",
        "body: A doctor or a counsellor can help. See /support any time.\n",
        "body: " + body,
    )
    note = load_catalog(content.path).support
    assert note.body == "A doctor can help with:\n- pain\n- worry See /support."


def test_short_fields_become_one_line(content):
    content.replace(
        "course-self.yaml", "try: Write one sentence", "try: |\n      Write one\n      sentence"
    )
    assert (
        load_catalog(content.path).lesson("second-day").try_.startswith("Write one sentence about")
    )
