"""The rules of rules.yaml, and collections of lessons, each broken once on a small copy of
a valid content folder (see conftest.py)."""

from __future__ import annotations

import pytest

from lessons import Collection, load_catalog
from lessons.rules import preview

from .conftest import BODY, ContentDir
from .test_validation import expect

SECOND_BODY = (
    "Every feeling that comes with closeness deserves a kind welcome. Some days bring calm, "
    "others bring worry or relief, and all of them belong. Take a moment to notice which one "
    "is here for you right now, and greet it gently, the way you would greet a good friend."
)
PARTNER_BODY = (
    "Being there for someone you love is mostly about staying steady. You do not have to "
    "solve anything or find perfect words. A calm voice, a patient pause and a simple question "
    "about what they need will carry you through, and the rest can come later, in its own time."
)
LATER_BODY = (
    "Months may pass before tears return, and that is no step backwards. Look again at the "
    "plan you wrote on the last day, change a line if your life has moved on, and trust the "
    "steps you already know; breathe out long, say a few words, and choose what comes next."
)
RULES = """\
rules:
  preview_characters: 60
  shared_run_words: 6
  opening_words: 4
  explicit_words: [sex, in bed]
  us_spellings: [color]
  partner_words: [partner, each other]
  pause_words: [pause, stop, later]
  continue_words: [keep going, carry on]
  partner_topics: [care]
  scheduled_ui: [greeting]
"""
MAINTENANCE = f"""\
collection: maintenance
lessons:
  - id: later-on
    day: 1
    title: When it comes back
    body: {LATER_BODY}
    try: Reread your plan once today.
    source: [intro]
    audience: both
"""


def with_rules(content: ContentDir, rules: str = RULES) -> ContentDir:
    """``content`` with rules.yaml, its lessons given bodies of their own so every rule holds
    (the fixture's lessons all share one body)."""
    content.write("rules.yaml", rules)
    first, second = content.text("course-self.yaml").rsplit(BODY, 1)
    content.write("course-self.yaml", first + SECOND_BODY + second)
    content.replace("course-partner.yaml", BODY, PARTNER_BODY)
    content.replace(
        "course-partner.yaml", "    audience: partner", "    audience: partner\n    tags: [care]"
    )
    return content


@pytest.fixture
def ruled(content):
    return with_rules(content)


def line_of_id(content, name: str, entry_id: str) -> int:
    return content.line(name, f"- id: {entry_id}")


def test_rules_load_into_the_catalog(ruled):
    rules = load_catalog(ruled.path).rules
    assert rules.preview_characters == 60
    assert rules.explicit_words == ("sex", "in bed")
    assert rules.partner_topics == ("care",)


def test_without_a_rules_file_nothing_extra_is_checked(content):
    content.replace("course-self.yaml", "title: A gentle start", "title: About sex")
    assert load_catalog(content.path).rules.explicit_words == ()


def test_an_explicit_word_in_a_title_is_refused(ruled):
    ruled.replace("course-self.yaml", "title: A gentle start", "title: Tears in bed")
    line = line_of_id(ruled, "course-self.yaml", "first-day")
    expect(
        ruled.problems(),
        f"course-self.yaml:{line}: first-day: title",
        "'in bed' is in the first 60",
    )


def test_a_word_with_accents_is_one_word(ruled):
    ruled.replace("rules.yaml", "[sex, in bed]", "[sex, in bed, íntimo, la una a la otra]")
    ruled.replace("course-self.yaml", "title: A gentle start", "title: Un momento íntimo")
    line = line_of_id(ruled, "course-self.yaml", "first-day")
    expect(ruled.problems(), f"course-self.yaml:{line}: first-day: title", "'íntimo' is in the")


def test_an_explicit_word_past_the_preview_is_allowed(ruled):
    ruled.replace(
        "course-self.yaml", "memory stay with you for a while.", "memory stay, even after sex."
    )
    assert load_catalog(ruled.path).track("self")[0].body.endswith("after sex.")


def test_a_scheduled_ui_text_is_checked_and_must_exist(ruled):
    ruled.replace("ui.yaml", 'greeting: "Hello, <b>{name}</b>!"', 'greeting: "About sex, {name}"')
    expect(ruled.problems(), f"ui.yaml:{ruled.line('ui.yaml', 'greeting')}: ui: greeting", "'sex'")
    ruled.replace("rules.yaml", "scheduled_ui: [greeting]", "scheduled_ui: [greeting, no.such]")
    expect(ruled.problems(), "rules.yaml: no.such: scheduled_ui", "no ui text 'no.such'")


def test_preview_reads_to_the_end_of_the_word_it_stops_in():
    assert preview((("title", "One two"), ("body", "three <b>four</b> five")), 9) == "One two three"


def test_a_us_spelling_is_refused_anywhere(ruled):
    ruled.replace("phrases.yaml", "note: Say it early, in a calm moment.", "note: Pick a color.")
    line = line_of_id(ruled, "phrases.yaml", "gentle-check")
    expect(ruled.problems(), f"phrases.yaml:{line}: gentle-check: note", "'color' is a US spelling")


def test_a_try_that_needs_a_partner_needs_a_solo_version(ruled):
    old = "try: Write one sentence about how today felt."
    ruled.replace("course-self.yaml", old, "try: Ask your partner how today felt.")
    line = line_of_id(ruled, "course-self.yaml", "second-day")
    expect(ruled.problems(), f"course-self.yaml:{line}: second-day: try", "add `try_solo`")
    ruled.replace(
        "course-self.yaml",
        "try: Ask your partner how today felt.",
        "try: Ask your partner how today felt.\n    try_solo: Write how today felt.",
    )
    assert load_catalog(ruled.path).lesson("second-day").try_solo == "Write how today felt."


def test_a_solo_version_may_not_need_a_partner(ruled):
    ruled.replace(
        "course-self.yaml",
        "try: Write one sentence about how today felt.",
        "try: Write one sentence.\n    try_solo: Hug each other.",
    )
    line = line_of_id(ruled, "course-self.yaml", "second-day")
    expect(ruled.problems(), f"course-self.yaml:{line}: second-day: try_solo", "'each other'")


def test_the_partner_track_needs_no_solo_version(ruled):
    ruled.replace("course-partner.yaml", "try: Ask your partner", "try: Ask your partner today")
    assert load_catalog(ruled.path).lesson("partner-first-day").try_solo is None


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Shall we keep going, or pause?", True),
        ("Shall we pause, or keep going?", False),
        ("Stop. Then carry on when ready.", False),
    ],
)
def test_pausing_is_offered_before_going_on(ruled, text, refused):
    ruled.replace("phrases.yaml", "text: Can we go slowly tonight?", f"text: {text}")
    if refused:
        line = line_of_id(ruled, "phrases.yaml", "gentle-check")
        expect(ruled.problems(), f"phrases.yaml:{line}: gentle-check: text", "'keep going' before")
    else:
        assert load_catalog(ruled.path).phrase("gentle-check").text == text


def test_two_entries_may_not_share_a_run_of_words(ruled):
    ruled.replace(
        "phrases.yaml",
        "note: Say it early, in a calm moment.",
        "note: Being there for someone you love is mostly about staying steady.",
    )
    line = line_of_id(ruled, "phrases.yaml", "gentle-check")
    expect(ruled.problems(), f"phrases.yaml:{line}: gentle-check: text", "with partner-first-day")


def test_two_entries_may_not_open_alike(ruled):
    ruled.replace(
        "phrases.yaml", "text: Can we go slowly tonight?", "text: Every feeling that comes."
    )
    line = line_of_id(ruled, "phrases.yaml", "gentle-check")
    expect(ruled.problems(), f"phrases.yaml:{line}: gentle-check: text", "opens like second-day")


def test_the_partner_course_covers_every_topic(ruled):
    ruled.replace("rules.yaml", "partner_topics: [care]", "partner_topics: [care, pain]")
    expect(
        ruled.problems(), "rules.yaml: partner_topics: pain", "no partner-track lesson is tagged"
    )


def test_rules_are_given_once(ruled):
    ruled.write("more-rules.yaml", RULES)
    expect(ruled.problems(), "rules.yaml:1: rules", "given again")


def test_an_unknown_rule_is_named(ruled):
    ruled.replace(
        "rules.yaml", "  opening_words: 4\n", "  opening_words: 4\n  colour_words: [red]\n"
    )
    line = ruled.line("rules.yaml", "colour_words")
    expect(ruled.problems(), f"rules.yaml:{line}: rules: colour_words", "unknown field")


def test_a_collection_loads_beside_the_tracks(ruled):
    ruled.write("maintenance.yaml", MAINTENANCE)
    catalog = load_catalog(ruled.path)
    assert [lesson.id for lesson in catalog.collection("maintenance")] == ["later-on"]
    assert catalog.lesson("later-on").track is Collection.MAINTENANCE
    assert catalog.entries()[3].id == "later-on", "collections follow the tracks"
    with pytest.raises(KeyError, match="no collection 'other'"):
        catalog.collection("other")


def test_an_unknown_collection_is_named(content):
    content.write(
        "maintenance.yaml", MAINTENANCE.replace("collection: maintenance", "collection: extras")
    )
    expect(content.problems(), "maintenance.yaml:1: collection", "unknown collection 'extras'")


def test_a_file_is_a_track_or_a_collection(content):
    content.write("maintenance.yaml", "track: self\n" + MAINTENANCE)
    expect(content.problems(), "maintenance.yaml:1: collection", "not both")


def test_collection_days_have_no_gaps(content):
    content.write("maintenance.yaml", MAINTENANCE.replace("day: 1", "day: 2"))
    line = content.line("maintenance.yaml", "day: 2")
    expect(content.problems(), f"maintenance.yaml:{line}: later-on: day", "no day 1 before day 2")


def test_a_time_article_agrees_with_the_one_oclock_hour(ruled):
    ruled.replace(
        "rules.yaml", "  opening_words: 4\n", "  opening_words: 4\n  time_article: [las, la]\n"
    )
    ruled.write("more-ui.yaml", 'ui:\n  saved: "Guardado: a las {time}."\n')
    catalog = load_catalog(ruled.path)
    assert catalog.rules.time_article == ("las", "la")
    assert catalog.text("saved", time="01:45") == "Guardado: a la 01:45."
    assert catalog.text("saved", time="21:45") == "Guardado: a las 21:45."


def test_a_time_article_is_two_single_words(ruled):
    ruled.replace(
        "rules.yaml", "  opening_words: 4\n", "  opening_words: 4\n  time_article: [las]\n"
    )
    line = ruled.line("rules.yaml", "time_article")
    expect(ruled.problems(), f"rules.yaml:{line}: rules: time_article", "expected 2 to 2")
