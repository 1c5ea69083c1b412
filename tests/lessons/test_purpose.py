"""A lesson's ``purpose``: what it is for, read and checked like every other field, so the
course planner can order a course from a person's answers."""

from __future__ import annotations

from lessons import load_catalog
from lessons.model import Purpose

from .test_rules import RULES
from .test_validation import expect


def test_purposes_are_read_in_their_written_order(content):
    content.replace(
        "course-self.yaml", "    tags: [start]", "    tags: [start]\n    purpose: [pain, care]"
    )
    lesson = load_catalog(content.path).lesson("first-day")
    assert lesson.purpose == (Purpose.PAIN, Purpose.CARE)


def test_an_unknown_purpose_names_file_line_entry_and_field(content):
    content.replace(
        "course-self.yaml", "    tags: [start]", "    tags: [start]\n    purpose: [pian]"
    )
    line = content.line("course-self.yaml", "purpose: [pian]")
    expect(
        content.problems(),
        f"course-self.yaml:{line}: first-day: purpose",
        "unknown purpose 'pian'; expected any of: care, pain",
    )


def test_a_purpose_listed_twice_is_refused(content):
    content.replace(
        "course-self.yaml", "    tags: [start]", "    tags: [start]\n    purpose: [pain, pain]"
    )
    line = content.line("course-self.yaml", "purpose: [pain, pain]")
    expect(content.problems(), f"course-self.yaml:{line}: first-day: purpose", "listed twice")


def test_a_purpose_that_is_not_a_list_is_refused(content):
    content.replace("course-self.yaml", "    tags: [start]", "    tags: [start]\n    purpose: pain")
    line = content.line("course-self.yaml", "purpose: pain")
    expect(content.problems(), f"course-self.yaml:{line}: first-day: purpose", "expected a list")


def test_a_track_ends_with_one_closing_lesson_at_most(content):
    content.replace(
        "course-self.yaml", "    tags: [start]", "    tags: [start]\n    purpose: [closing]"
    )
    content.replace(
        "course-self.yaml", "    audience: both", "    audience: both\n    purpose: [closing]"
    )
    line = content.line("course-self.yaml", "- id: second-day")
    expect(content.problems(), f"course-self.yaml:{line}: second-day: purpose", "keep one lesson")


def test_each_track_has_every_purpose_the_planner_needs(content):
    content.write("rules.yaml", RULES + "  track_purposes: [pain]\n")
    problems = content.problems()
    expect(problems, "rules.yaml: track_purposes: pain", "no lesson of track self")
    expect(problems, "rules.yaml: track_purposes: pain", "no lesson of track partner")


def test_the_real_tracks_have_a_lesson_for_each_answer():
    catalog = load_catalog()
    for track in catalog.tracks.values():
        found = {purpose for lesson in track for purpose in lesson.purpose}
        assert {Purpose.PAIN, Purpose.MEMORIES, Purpose.GROUNDING, Purpose.CARE} <= found
