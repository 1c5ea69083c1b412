"""Searching shareable entries by the words a person types after ``@bot``."""

from __future__ import annotations

import pytest

from lessons import (
    Audience,
    Catalog,
    Lesson,
    Phrase,
    Situation,
    SupportNote,
    Technique,
    Track,
    load_catalog,
)
from lessons.search import MAX_QUERY_WORDS, query_words, search, shareable

BREATH = Technique(
    id="slow-breath",
    name="Slow breathing",
    when="When your chest feels tight.",
    steps=("Breathe in for four counts.", "Breathe out for six counts."),
    source=("breath",),
)
START = Lesson(
    id="first-day",
    track=Track.SELF,
    day=1,
    title="A gentle start",
    body="Tears can be <b>information</b>, not a failure. Breathing slowly helps.",
    try_="Notice one calm moment today.",
    source=("normal",),
    audience=Audience.SELF,
)
PARTNER = Lesson(
    id="stay-close",
    track=Track.PARTNER,
    day=1,
    title="Staying close",
    body="Your calm presence matters more than the right words.",
    try_="Practise one gentle sentence.",
    source=("partner",),
    audience=Audience.PARTNER,
)
CHECK = Phrase(
    id="gentle-check",
    situation=Situation.BEFORE,
    text="Can we go slowly tonight?",
    note="A calm question before you begin.",
    source=("talking",),
)
WALK_NOTE = SupportNote(id="more-help", title="More help", body="Talk to someone.", source=("s",))


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        sections=(),
        tracks={Track.SELF: (START,), Track.PARTNER: (PARTNER,)},
        techniques=(BREATH,),
        phrases=(CHECK,),
        routines=(),
        support=WALK_NOTE,
    )


def ids(found: list[Lesson | Technique | Phrase]) -> list[str]:
    return [entry.id for entry in found]


def test_shareable_entries_are_lessons_techniques_and_phrases(catalog: Catalog) -> None:
    assert ids(list(shareable(catalog))) == [
        "first-day",
        "stay-close",
        "slow-breath",
        "gentle-check",
    ]


def test_a_word_in_a_title_ranks_above_one_in_a_body(catalog: Catalog) -> None:
    # "breathing" names the technique and appears in the first lesson's body.
    assert ids(search(catalog, "Breathing", 50)) == ["slow-breath", "first-day"]


def test_every_word_must_match_as_a_word_or_its_start(catalog: Catalog) -> None:
    assert ids(search(catalog, "calm gentle", 50)) == ["first-day", "stay-close"]
    assert ids(search(catalog, "calm pres", 50)) == ["stay-close"]
    assert search(catalog, "calm zebra", 50) == []


def test_words_wrapped_in_markup_are_found(catalog: Catalog) -> None:
    assert ids(search(catalog, "information", 50)) == ["first-day"]


def test_an_exact_id_comes_first(catalog: Catalog) -> None:
    assert ids(search(catalog, "gentle-check", 50))[0] == "gentle-check"
    assert ids(search(catalog, " STAY-CLOSE ", 50))[0] == "stay-close"


def test_the_limit_is_respected(catalog: Catalog) -> None:
    assert len(search(catalog, "calm", 1)) == 1
    assert search(catalog, "calm", 0) == []


@pytest.mark.parametrize(
    "query",
    ["", "   ", "🙂🙂", "\"'<>&;", "<b>", "שלום עולם", "\u202e\u200f", "x" * 5000, "% _ *"],
)
def test_odd_or_empty_queries_never_fail(catalog: Catalog, query: str) -> None:
    assert isinstance(search(catalog, query, 50), list)


def test_long_queries_are_cut_to_a_few_words() -> None:
    words = query_words(" ".join(f"word{n}" for n in range(1000)))
    assert len(words) == MAX_QUERY_WORDS
    assert query_words("Slow, SLOW slow!") == ("slow",)


def test_the_real_content_finds_breathing_help_first() -> None:
    found = search(load_catalog(), "breathing", 50)
    assert isinstance(found[0], Technique)
    assert "breath" in found[0].name.lower()


def test_accents_and_case_do_not_matter_either_way():
    spanish = Technique(
        id="respiracion-lenta",
        name="Respiración lenta",
        when="Cuando el pecho se siente apretado.",
        steps=("Inhala contando hasta cuatro.", "Exhala contando hasta seis."),
        source=("breath",),
    )
    catalog = Catalog(
        sections=(), tracks={}, techniques=(spanish,), phrases=(), routines=(), support=WALK_NOTE
    )
    for typed in ("respiracion", "RESPIRACIÓN", "respiración lenta", "pecho apretádo"):
        assert search(catalog, typed, 5) == [spanish], typed
    assert query_words("¿Qué digo?") == ("que", "digo")
