"""Reading typed text for care cues, and the content behind it: the cues of care-words.yaml
and the reasons of /why, checked by the loader like every other entry."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lessons import load_catalog
from lessons.care import fold, mentions
from tests.lessons.test_validation import expect

REASONS = """\
reasons:
  - id: why-tears
    title: A full heart
    body: >-
      When a moment matters a great deal, the body can let some of that feeling out
      as tears, and that is a common and human thing that needs no fixing at all.
    lesson: first-day
    source: [intro]
"""
CARE = """\
care:
  urgent: [want to die, "don't want to live"]
  crisis: [pain, "can't breathe", not safe]
  partner: [what do i say]
"""


def test_folding_drops_case_accents_and_apostrophes() -> None:
    assert fold("I can\u2019t BREATHE — café, Zoë's") == ("i", "cant", "breathe", "cafe", "zoes")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("It was a real pain", True),
        ("PAIN!", True),
        ("I was painting in Spain", False),
        ("I don't feel safe", False),
        ("I do not feel not safe", True),
        ("we are not, safe", True),  # punctuation between words does not break a cue
        ("safe not", False),
    ],
)
def test_a_cue_matches_whole_words_in_a_row(typed: str, found: bool) -> None:
    cues = (("pain",), ("not", "safe"))
    assert mentions(fold(typed), cues) is found


def test_reasons_and_cues_load(content) -> None:
    content.write("why.yaml", REASONS)
    content.write("care-words.yaml", CARE)
    catalog = load_catalog(content.path)
    [reason] = catalog.reasons
    assert reason.lesson == "first-day" and catalog.reason("why-tears") is reason
    assert catalog.care.urgent == (("want", "to", "die"), ("dont", "want", "to", "live"))
    assert catalog.care.crisis == (("pain",), ("cant", "breathe"), ("not", "safe"))
    assert catalog.care.partner == (("what", "do", "i", "say"),)


def test_a_reason_must_name_a_lesson_that_exists(content) -> None:
    content.write("why.yaml", REASONS.replace("lesson: first-day", "lesson: no-such-day"))
    place = f"why.yaml:{content.line('why.yaml', 'lesson:')}: why-tears: lesson"
    expect(content.problems(), place, "unknown lesson 'no-such-day'")


def test_a_reason_is_short(content) -> None:
    content.write("why.yaml", REASONS.replace("When a moment", "word " * 90 + "When"))
    place = f"why.yaml:{content.line('why.yaml', 'body:')}: why-tears: body"
    expect(content.problems(), place, "words")


def test_a_cue_listed_twice_once_folded_is_refused(content) -> None:
    content.write("care-words.yaml", CARE.replace("not safe]", "not safe, PAIN]"))
    expect(
        content.problems(),
        f"care-words.yaml:{content.line('care-words.yaml', 'PAIN')}: care: crisis",
        "listed twice",
    )


@pytest.mark.parametrize("bad", ["'pain?'", "[pain]", "one two three four five six seven"])
def test_a_cue_is_a_few_plain_words(content, bad: str) -> None:
    content.write("care-words.yaml", CARE.replace("not safe]", f"not safe, {bad}]"))
    line = content.line("care-words.yaml", "crisis")
    expect(content.problems(), f"care-words.yaml:{line}: care: crisis", "")


def test_every_list_is_needed(content) -> None:
    content.write("care-words.yaml", "care:\n  crisis: [pain]\n")
    problems = content.problems()
    expect(problems, "care-words.yaml:2: care: partner", "expected a list")
    expect(problems, "care-words.yaml:2: care: urgent", "expected a list")


def test_a_cue_belongs_to_one_list_only(content) -> None:
    content.write("care-words.yaml", CARE.replace("not safe]", "not safe, Want to die]"))
    place = f"care-words.yaml:{content.line('care-words.yaml', 'Want to die')}: care: crisis"
    expect(content.problems(), place, "already listed under urgent")


@pytest.mark.parametrize("bad", ["'die?'", "[die]", "one two three four five six seven"])
def test_an_urgent_cue_is_checked_like_the_others(content, bad: str) -> None:
    content.write("care-words.yaml", CARE.replace('live"]', f'live", {bad}]'))
    line = content.line("care-words.yaml", "urgent")
    expect(content.problems(), f"care-words.yaml:{line}: care: urgent", "")


def test_the_bundled_content_has_six_reasons_and_every_list() -> None:
    catalog = load_catalog()
    titles = [reason.id for reason in catalog.reasons]
    assert titles == [
        "why-intensity",
        "why-release",
        "why-hormones",
        "why-stress",
        "why-pain",
        "why-memories",
    ]
    assert catalog.care.urgent and catalog.care.crisis and catalog.care.partner
    crisis, urgent = catalog.care.crisis, catalog.care.urgent
    assert mentions(fold("It hurts and I don't feel safe"), crisis)
    assert not mentions(fold("I cried after sex last night and I feel so embarrassed"), crisis)
    assert mentions(fold("what do I say to her?"), catalog.care.partner)
    for typed in ("I dont want to be alive", "i want to kill myself", "thinking of self-harm"):
        assert mentions(fold(typed), urgent), typed
    assert not mentions(fold("it hurts so much"), urgent)


_CUE_WORDS = sorted({cue[0] for cue in load_catalog().care.crisis if len(cue) == 1})
_LETTERS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=4)


@given(cue=st.sampled_from(_CUE_WORDS), before=_LETTERS, after=_LETTERS, which=st.integers(0, 2))
@example(cue="pain", before="s", after="", which=0)  # Spain
@example(cue="rape", before="g", after="s", which=2)  # grapes
def test_a_crisis_word_inside_a_longer_word_never_matches_it(
    cue: str, before: str, after: str, which: int
) -> None:
    """Letters stuck to a cue make another word: it matches only if that word is a cue too."""
    word = (before + cue, cue + after, before + cue + after)[which]
    cues = load_catalog().care.crisis
    assert mentions(fold(f"so it was {word} today"), cues) is ((word,) in cues)


@given(st.text(max_size=300))
def test_folding_any_text_gives_plain_words(text: str) -> None:
    for word in fold(text):
        assert word and word.isascii() and word.isalnum() and word == word.lower()


def test_the_pain_and_memories_cards_follow_the_care_rules() -> None:
    catalog = load_catalog()
    pain, memories = catalog.reason("why-pain"), catalog.reason("why-memories")
    assert {"why.pain", "pain"} <= set(pain.source)
    assert "stop or pause" in pain.body and "health-care provider" in pain.body
    assert "why.memories" in memories.source and "/support" in memories.body
    # The same reasons are entries, so the content-wide care rules read them too.
    assert {pain, memories} <= set(catalog.entries())


def test_care_must_be_a_mapping(content) -> None:
    content.write("care-words.yaml", "care: [pain]\n")
    expect(
        content.problems(), "care-words.yaml:1: care", "expected urgent, crisis and partner lists"
    )
