"""Each kind of content problem, caught on a small broken copy of a valid content folder.

Every test checks the whole location a writer needs: file, line, entry id and field.
"""

from __future__ import annotations

import pytest

from lessons import ContentError, load_catalog

LONG = " ".join(["word"] * 30)


def expect(problems: list[str], place: str, fragment: str) -> None:
    """Some problem starts with ``place`` (``file:line: id: field``) and says ``fragment``."""
    matches = [p for p in problems if p.startswith(place + ": ") and fragment in p]
    assert matches, f"no problem at {place!r} saying {fragment!r} in:\n" + "\n".join(problems)


def test_fixture_is_valid(content):
    catalog = load_catalog(content.path)
    assert [lesson.id for lesson in catalog.track("self")] == ["first-day", "second-day"]


def test_yaml_syntax_error_names_file_and_line(content):
    content.replace("phrases.yaml", "    text: Can we go slowly tonight?", '    text: "unclosed')
    problems = content.problems()
    line = content.line("phrases.yaml", '"unclosed')
    assert any(p.startswith("phrases.yaml:") and "YAML syntax" in p for p in problems), problems
    reported = next(p for p in problems if "YAML syntax" in p)
    assert int(reported.split(":")[1]) >= line


def test_yaml_syntax_error_line_is_exact(content):
    content.replace("routines.yaml", "    minutes: 10", "    minutes: 10\n   bad: [")
    expect(content.problems(), f"routines.yaml:{content.line('routines.yaml', 'bad:')}", "YAML")


def test_unknown_top_level_key(content):
    content.write("extra.yaml", "colour: blue\n")
    expect(content.problems(), "extra.yaml:1: colour", "unknown top-level key")


def test_unknown_field(content):
    content.replace("techniques.yaml", "    duration: one minute", "    durration: one minute")
    line = content.line("techniques.yaml", "durration")
    expect(content.problems(), f"techniques.yaml:{line}: slow-breath: durration", "unknown field")


def test_field_given_twice(content):
    content.replace("phrases.yaml", "    note:", "    text: Again?\n    note:")
    line = content.line("phrases.yaml", "Again?")
    expect(content.problems(), f"phrases.yaml:{line}: gentle-check: text", "given twice")


def test_missing_required_field(content):
    content.replace("course-self.yaml", "    try: Write one sentence about how today felt.\n", "")
    line = content.line("course-self.yaml", "- id: second-day")
    expect(content.problems(), f"course-self.yaml:{line}: second-day: try", "missing")


@pytest.mark.parametrize(
    ("file", "old", "new", "entry", "field", "says"),
    [
        ("course-self.yaml", "day: 2", "day: two", "second-day", "day", "whole number"),
        ("course-self.yaml", "day: 2", 'day: "2"', "second-day", "day", "whole number"),
        ("course-self.yaml", "title: A gentle start", "title: 2024", "first-day", "title", "text"),
        ("course-self.yaml", "title: A gentle start", "title: yes", "first-day", "title", "text"),
        ("course-self.yaml", "source: [intro]", "source: intro", "first-day", "source", "list"),
        (
            "techniques.yaml",
            "steps:",
            "steps: one step\n    old_steps:",
            "slow-breath",
            "steps",
            "list",
        ),
        ("routines.yaml", "minutes: 10", "minutes: ten", "short-walk", "minutes", "whole number"),
        ("course-self.yaml", "tags: [start]", "tags: [Start]", "first-day", "tags", "lowercase"),
    ],
)
def test_wrong_type(content, file, old, new, entry, field, says):
    content.replace(file, old, new)
    line = content.line(file, new.split("\n")[0])
    expect(content.problems(), f"{file}:{line}: {entry}: {field}", says)


@pytest.mark.parametrize("bad_id", ["First-Day", "first_day", "first--day", "-first", "first day"])
def test_id_pattern(content, bad_id):
    content.replace("course-self.yaml", "id: first-day", f"id: {bad_id}")
    line = content.line("course-self.yaml", bad_id)
    expect(content.problems(), f"course-self.yaml:{line}: {bad_id}: id", "lowercase words")


def test_section_id_pattern(content):
    content.replace("sections.yaml", "id: intro", "id: Intro")
    line = content.line("sections.yaml", "Intro")
    expect(content.problems(), f"sections.yaml:{line}: Intro: id", "section id")


def test_missing_id_uses_position_as_entry_name(content):
    content.replace("phrases.yaml", "  - id: gentle-check\n    situation", "  - situation")
    line = content.line("phrases.yaml", "- situation")
    expect(content.problems(), f"phrases.yaml:{line}: phrases #1: id", "missing")


def test_duplicate_id_across_files_names_both_places(content):
    content.replace("routines.yaml", "id: short-walk", "id: first-day")
    first = content.line("course-self.yaml", "id: first-day")
    second = content.line("routines.yaml", "id: first-day")
    expect(
        content.problems(),
        f"routines.yaml:{second}: first-day: id",
        f"also used at course-self.yaml:{first}",
    )


def test_duplicate_section_id(content):
    content.replace("sections.yaml", "id: support", "id: intro")
    second = content.line("sections.yaml", "id: intro\n    title: More")
    expect(content.problems(), f"sections.yaml:{second}: intro: id", "sections.yaml:2")


def test_unknown_source(content):
    content.replace("techniques.yaml", "source: [intro]", "source: [intro, why.tears]")
    line = content.line("techniques.yaml", "why.tears")
    expect(content.problems(), f"techniques.yaml:{line}: slow-breath: source", "'why.tears'")


def test_empty_source(content):
    content.replace("phrases.yaml", "source: [intro]", "source: []")
    line = content.line("phrases.yaml", "source: []")
    expect(content.problems(), f"phrases.yaml:{line}: gentle-check: source", "empty")


@pytest.mark.parametrize(
    ("file", "old", "new", "entry", "field", "says"),
    [
        (
            "course-self.yaml",
            "title: A gentle start",
            "title: " + "a" * 61,
            "first-day",
            "title",
            "61 characters; expected at most 60",
        ),
        (
            "course-self.yaml",
            "body: Tears",
            "body: Too short.\n    old: Tears",
            "first-day",
            "body",
            "expected at least 40",
        ),
        (
            "course-self.yaml",
            "body: Tears",
            f"body: {LONG} {LONG} {LONG} {LONG} Tears",
            "first-day",
            "body",
            "expected at most 110",
        ),
        (
            "course-self.yaml",
            "try: Take",
            f"try: {LONG} {LONG} Take",
            "first-day",
            "try",
            "expected at most 40",
        ),
        (
            "course-self.yaml",
            "reflect: What",
            f"reflect: {LONG} What",
            "first-day",
            "reflect",
            "expected at most 25",
        ),
        (
            "techniques.yaml",
            "name: Slow breathing",
            "name: " + "b" * 41,
            "slow-breath",
            "name",
            "expected at most 40",
        ),
        (
            "techniques.yaml",
            "when: When",
            f"when: {LONG} When",
            "slow-breath",
            "when",
            "expected at most 25",
        ),
        (
            "techniques.yaml",
            "- Breathe in",
            f"- {LONG} Breathe in",
            "slow-breath",
            "steps",
            "expected at most 25",
        ),
        (
            "phrases.yaml",
            "text: Can",
            f"text: {LONG} Can",
            "gentle-check",
            "text",
            "expected at most 25",
        ),
        (
            "phrases.yaml",
            "note: Say",
            f"note: {LONG} {LONG} Say",
            "gentle-check",
            "note",
            "expected at most 30",
        ),
        (
            "routines.yaml",
            "name: A short walk",
            "name: " + "c" * 41,
            "short-walk",
            "name",
            "expected at most 40",
        ),
        (
            "routines.yaml",
            "reminder: A few",
            f"reminder: {LONG} {LONG} A few",
            "short-walk",
            "reminder",
            "expected at most 30",
        ),
        ("routines.yaml", "minutes: 10", "minutes: 61", "short-walk", "minutes", "from 1 to 60"),
        ("routines.yaml", "minutes: 10", "minutes: 0", "short-walk", "minutes", "from 1 to 60"),
        (
            "support.yaml",
            "body: A doctor",
            "body: " + " ".join([LONG] * 7) + " A doctor",
            "more-help",
            "body",
            "expected at most 180",
        ),
        ("course-self.yaml", "title: A gentle start", 'title: ""', "first-day", "title", "empty"),
    ],
)
def test_limits(content, file, old, new, entry, field, says):
    content.replace(file, old, new)
    line = content.line(file, new.split("\n")[0])
    expect(content.problems(), f"{file}:{line}: {entry}: {field}", says)


@pytest.mark.parametrize(
    ("file", "old", "new", "entry", "field", "says"),
    [
        (
            "techniques.yaml",
            "      - Breathe out for six counts.\n",
            "",
            "slow-breath",
            "steps",
            "1 items; expected 2 to 6",
        ),
        (
            "techniques.yaml",
            "      - Breathe out for six counts.\n",
            "      - Again.\n" * 6,
            "slow-breath",
            "steps",
            "7 items; expected 2 to 6",
        ),
        (
            "routines.yaml",
            "      - Walk at an easy pace.\n",
            "      - Again.\n" * 3,
            "short-walk",
            "how",
            "4 items; expected 1 to 3",
        ),
        (
            "routines.yaml",
            "    how:\n      - Step outside.\n      - Walk at an easy pace.\n",
            "    how: []\n",
            "short-walk",
            "how",
            "0 items",
        ),
    ],
)
def test_list_lengths(content, file, old, new, entry, field, says):
    content.replace(file, old, new)
    line = content.line(file, f"{field}:")
    expect(content.problems(), f"{file}:{line}: {entry}: {field}", says)


def test_empty_track_in_its_file(content):
    text = content.text("course-partner.yaml")
    content.write("course-partner.yaml", text[: text.index("lessons:")] + "lessons: []\n")
    line = content.line("course-partner.yaml", "lessons:")
    expect(content.problems(), f"course-partner.yaml:{line}: track partner: lessons", "no lessons")


def test_missing_track(content):
    content.remove("course-partner.yaml")
    expect(content.problems(), "*.yaml: track partner: lessons", "`track: partner`")


def test_unknown_track(content):
    content.replace("course-partner.yaml", "track: partner", "track: partners")
    expect(content.problems(), "course-partner.yaml:1: track", "expected self or partner")


def test_lessons_without_track(content):
    content.replace("course-partner.yaml", "track: partner\n", "")
    expect(content.problems(), "course-partner.yaml:1: track", "missing")


def test_track_skips_a_day(content):
    content.replace("course-self.yaml", "day: 2", "day: 3")
    line = content.line("course-self.yaml", "day: 3")
    expect(content.problems(), f"course-self.yaml:{line}: second-day: day", "no day 2 before day 3")


def test_track_repeats_a_day_across_files(content):
    text = content.text("course-self.yaml")
    second = text.index("  - id: second-day")
    content.remove("course-self.yaml")
    content.write("course-self-part1.yaml", text[:second])
    content.write("course-self-part2.yaml", "track: self\nlessons:\n" + text[second:])
    content.replace("course-self-part2.yaml", "day: 2", "day: 1")
    first = content.line("course-self-part1.yaml", "day: 1")
    line = content.line("course-self-part2.yaml", "day: 1")
    expect(
        content.problems(),
        f"course-self-part2.yaml:{line}: second-day: day",
        f"repeats the day of first-day at course-self-part1.yaml:{first}",
    )


def test_days_continue_across_files_in_any_file_order(content):
    text = content.text("course-self.yaml")
    second = text.index("  - id: second-day")
    content.write("course-self.yaml", "track: self\nlessons:\n" + text[second:])
    content.write("course-self-a.yaml", text[:second])
    catalog = load_catalog(content.path)
    assert [lesson.day for lesson in catalog.track("self")] == [1, 2]


def test_unknown_technique_reference(content):
    content.replace("course-self.yaml", "technique: slow-breath", "technique: fast-breath")
    line = content.line("course-self.yaml", "fast-breath")
    expect(content.problems(), f"course-self.yaml:{line}: first-day: technique", "'fast-breath'")


def test_unknown_situation(content):
    content.replace("phrases.yaml", "situation: before", "situation: during")
    line = content.line("phrases.yaml", "during")
    expect(content.problems(), f"phrases.yaml:{line}: gentle-check: situation", "in-the-moment")


def test_unknown_audience(content):
    content.replace("course-self.yaml", "audience: self", "audience: everyone")
    line = content.line("course-self.yaml", "everyone")
    expect(
        content.problems(), f"course-self.yaml:{line}: first-day: audience", "self, partner, both"
    )


def test_reflect_must_be_a_question(content):
    content.replace("course-self.yaml", "What do you notice right now?", "Notice what you feel.")
    line = content.line("course-self.yaml", "Notice what")
    expect(content.problems(), f"course-self.yaml:{line}: first-day: reflect", "'?'")


@pytest.mark.parametrize(
    ("markup", "says"),
    [
        ("Call <a href='x'>here</a>", "tag <a href='x'> is not allowed"),
        ("Stay <b>calm", "<b> is never closed"),
        ("Rest & breathe", "bare '&'"),
        ("Breathe<br>slowly", "tag <br> is not allowed"),
        ("<b>one <i>two</b> three</i>", "while <i> is still open"),
        ("Less < more", "bare '<'"),
        ("Heart &nbsp; here", "&nbsp;"),
    ],
)
def test_markup_that_telegram_would_reject(content, markup, says):
    content.replace(
        "course-self.yaml",
        "try: Take one slow breath and let your shoulders drop.",
        f'try: "{markup}"',
    )
    line = content.line("course-self.yaml", markup)
    expect(content.problems(), f"course-self.yaml:{line}: first-day: try", says)


def test_allowed_markup_and_entities_load(content):
    markup = (
        "<b>Slow</b>, <i>soft</i>, <u>kind</u>, <s>rushed</s>, <code>4-6</code> "
        "&amp; &lt;3 &gt; &quot;ok&quot; &#8212;"
    )
    content.replace(
        "course-self.yaml",
        "try: Take one slow breath and let your shoulders drop.",
        f'try: "{markup}"',
    )
    assert load_catalog(content.path).lesson("first-day").try_.startswith(markup)


def test_markup_in_every_kind_is_checked(content):
    content.replace("support.yaml", "title: When", "title: <p>When")
    content.replace("techniques.yaml", "- Breathe in", "- Breathe <em>in</em>")
    problems = content.problems()
    expect(problems, "support.yaml:3: more-help: title", "<p>")
    expect(
        problems,
        f"techniques.yaml:{content.line('techniques.yaml', '<em>')}: slow-breath: steps",
        "<em>",
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("42", "expected text"),
        ('"Hi <b>there"', "never closed"),
        ('"Hi {0}"', "placeholder {0}"),
        ('"Hi {name"', "braces do not pair up"),
        ('"Hi {user.name}"', "placeholder {user.name}"),
    ],
)
def test_ui_values(content, value, says):
    content.replace("ui.yaml", '  greeting: "Hello, <b>{name}</b>!"', f"  greeting: {value}")
    line = content.line("ui.yaml", "greeting")
    expect(content.problems(), f"ui.yaml:{line}: ui: greeting", says)


def test_ui_key_pattern(content):
    content.replace("ui.yaml", "  greeting:", "  Greeting Now:")
    expect(
        content.problems(),
        f"ui.yaml:{content.line('ui.yaml', 'Greeting')}: ui: Greeting Now",
        "lowercase",
    )


def test_ui_duplicate_key_across_files(content):
    content.write("ui-more.yaml", "ui:\n  greeting: Hi again\n")
    first = content.line("ui.yaml", "greeting")
    expect(content.problems(), "ui.yaml:" + str(first) + ": ui: greeting", "ui-more.yaml:2")


def test_ui_files_merge(content):
    content.write("ui-more.yaml", "ui:\n  farewell: Take care, {name}.\n")
    catalog = load_catalog(content.path)
    assert catalog.text("farewell", name="Sam") == "Take care, Sam."
    assert catalog.text("greeting", name="Sam") == "Hello, <b>Sam</b>!"


def test_missing_ui_is_an_empty_mapping(content):
    content.remove("ui.yaml")
    assert dict(load_catalog(content.path).ui) == {}


def test_missing_support(content):
    content.remove("support.yaml")
    expect(content.problems(), "*.yaml: support", "support.yaml")


def test_missing_sections(content):
    content.remove("sections.yaml")
    expect(content.problems(), "*.yaml: sections", "sections.yaml")


def test_empty_file(content):
    content.write("notes.yaml", "# nothing yet\n")
    expect(content.problems(), "notes.yaml", "file is empty")


def test_every_problem_is_reported_at_once(content):
    content.replace("course-self.yaml", "audience: self", "audience: nobody")
    content.replace("phrases.yaml", "situation: before", "situation: never")
    content.write("broken.yaml", "ui: [\n")
    problems = content.problems()
    assert any(p.startswith("course-self.yaml:") for p in problems)
    assert any(p.startswith("phrases.yaml:") for p in problems)
    assert any(p.startswith("broken.yaml:") for p in problems)


def test_content_error_lists_one_problem_a_line(content):
    content.replace("course-self.yaml", "audience: self", "audience: nobody")
    content.replace("phrases.yaml", "situation: before", "situation: never")
    with pytest.raises(ContentError) as caught:
        load_catalog(content.path)
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]
    assert len(caught.value.problems) == 2


def test_missing_folder(tmp_path):
    with pytest.raises(ContentError, match="no such folder"):
        load_catalog(tmp_path / "nowhere")


def test_a_list_that_is_not_a_list(content):
    content.write("phrases.yaml", "phrases: nope\n")
    expect(content.problems(), "phrases.yaml:1: phrases", "expected a list of phrases")


def test_an_item_that_is_not_a_mapping(content):
    content.replace("phrases.yaml", "phrases:\n", "phrases:\n  - just words\n")
    expect(content.problems(), "phrases.yaml:2: phrases #1", "expected a phrase: a mapping")
