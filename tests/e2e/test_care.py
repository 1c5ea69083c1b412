"""Typed text outside any flow: one warm line and the likely next steps, support first for
pain or a crisis, emergency help first for thoughts of suicide or danger, a partner's words
first for "what do I say?". Never stored, never echoed."""

from __future__ import annotations

import pytest

from bot.standin import ChatDriver
from lessons.telegram_html import plain_text
from tests.e2e.conftest import Harness, choose_lessons

CRISIS = "It hurts every time and I don't feel safe with him"
PARTNER = "My girlfriend started crying last night, what do I say to her?"
ORDINARY = "I cried after sex last night and I feel so embarrassed"

ALL_BUTTONS = [
    "Something calming to try",
    "Slow breathing",
    "Why this happens",
    "Words for my partner",
    "Where to find support",
]


def ui(harness: Harness, key: str) -> str:
    return plain_text(harness.catalog.text(key))


async def nothing_kept(harness: Harness, person: ChatDriver, typed: str) -> None:
    assert await harness.services.store.export(person.chat_id) == {}
    said = " ".join(message.text for message in harness.api.messages(person.chat_id))
    assert typed not in said


async def test_ordinary_text_gets_one_warm_line_and_the_next_steps(
    harness: Harness, person: ChatDriver
) -> None:
    [reply] = await person.send(ORDINARY)
    assert reply.text == ui(harness, "care.ordinary")
    assert reply.labels == ALL_BUTTONS
    assert harness.catalog.support.title not in reply.text
    await nothing_kept(harness, person, ORDINARY)


async def test_a_crisis_phrase_leads_with_where_to_find_support(
    harness: Harness, person: ChatDriver
) -> None:
    [reply] = await person.send(CRISIS)
    support = harness.catalog.support
    assert reply.text.startswith(ui(harness, "care.crisis"))
    assert support.title in reply.text and "health-care provider" in reply.text
    assert "emergency services" in reply.text
    # The support note is already there: no button for it, the rest stay.
    assert reply.labels == [label for label in ALL_BUTTONS if label != "Where to find support"]
    await nothing_kept(harness, person, CRISIS)


# Thoughts of suicide or self-harm, not wanting to be alive, danger: emergency help first.
URGENT_PHRASES = [
    "I don't want to be alive anymore",
    "i want to kill myself",
    "I feel hopeless and want to die",  # hopeless alone is distress; wanting to die is urgent
    "i dont want to live like this",
    "I cant go on",
    "sometimes I just want to end it all",
    "I keep wanting to hurt myself",
    "feeling suicidal tonight",
]
# Distress and pain: the support note first, as before.
DISTRESS_PHRASES = [
    "cant stop crying its unbearable",
    "it hurts so much",
    "I feel so hopeless",
    "I can't cope with this",
]


@pytest.mark.parametrize("typed", URGENT_PHRASES)
async def test_thoughts_of_suicide_or_danger_lead_with_emergency_help(
    harness: Harness, person: ChatDriver, typed: str
) -> None:
    [reply] = await person.send(typed)
    support = harness.catalog.support
    urgent = ui(harness, "care.urgent")
    first_line = reply.text.split("\n", 1)[0]
    # One short line, before anything else: contact emergency services or a crisis line now.
    assert first_line == urgent
    assert "emergency services" in urgent and "crisis line" in urgent and "trust" in urgent
    assert not any(char.isdigit() for char in urgent)  # no phone numbers
    # Then the warm line and the whole support note, with the same buttons as a crisis.
    rest = reply.text[len(urgent) :]
    assert rest.lstrip().startswith(ui(harness, "care.urgent.after"))
    assert support.title in rest and "health-care provider" in rest
    assert ui(harness, "care.crisis") not in reply.text
    assert reply.labels == [label for label in ALL_BUTTONS if label != "Where to find support"]
    await nothing_kept(harness, person, typed)


@pytest.mark.parametrize("typed", DISTRESS_PHRASES)
async def test_distress_keeps_the_crisis_answer(
    harness: Harness, person: ChatDriver, typed: str
) -> None:
    [reply] = await person.send(typed)
    assert reply.text.startswith(ui(harness, "care.crisis"))
    assert ui(harness, "care.urgent") not in reply.text
    await nothing_kept(harness, person, typed)


async def test_urgent_wins_over_crisis_and_partner(harness: Harness, person: ChatDriver) -> None:
    typed = "My partner cried, what do I say? It hurts and I want to die"
    [reply] = await person.send(typed)
    assert reply.text.startswith(ui(harness, "care.urgent"))


async def test_a_partner_asking_what_to_say_gets_words_first(
    harness: Harness, person: ChatDriver
) -> None:
    [reply] = await person.send(PARTNER)
    catalog = harness.catalog
    first = catalog.phrases_for("comforting")[0]
    assert reply.text.startswith(ui(harness, "care.partner"))
    assert plain_text(first.text) in reply.text
    assert reply.labels[:2] == ["More words like this", "Words for my partner"]
    assert sorted(reply.labels[1:]) == sorted(ALL_BUTTONS)
    await nothing_kept(harness, person, PARTNER)

    [more] = await person.tap("More words like this")
    assert more.message_id != reply.message_id
    second = catalog.phrases_for("comforting")[1]
    assert plain_text(second.text) in more.text and "Another one" in more.labels


@pytest.mark.parametrize(
    "typed",
    [
        "I was painting the hall and my back is a bit stiff",  # "pain" inside a word
        "We went to Spain and ate grapes",  # "pain", "rape" inside words
        "Is it normal that this happens?",
    ],
)
async def test_words_inside_other_words_do_not_misfire(
    harness: Harness, person: ChatDriver, typed: str
) -> None:
    [reply] = await person.send(typed)
    assert reply.text == ui(harness, "care.ordinary")


async def test_cues_match_whatever_the_case_accents_or_apostrophes(
    harness: Harness, person: ChatDriver
) -> None:
    [reply] = await person.send("I CAN\u2019T BREATHE")
    assert reply.text.startswith(ui(harness, "care.crisis"))


async def test_each_button_opens_its_feature_below_the_answer(
    harness: Harness, person: ChatDriver
) -> None:
    [answer] = await person.send(ORDINARY)
    catalog = harness.catalog
    expected = {
        "Something calming to try": ui(harness, "techniques.menu.title"),
        "Why this happens": ui(harness, "why.menu"),
        "Words for my partner": ui(harness, "phrases.menu.title"),
        "Where to find support": plain_text(catalog.support.title),
        "Slow breathing": ui(harness, "breathe.choose"),
    }
    for label, opens in expected.items():
        [opened] = await person.tap_on(answer.message_id, label)
        assert opened.message_id != answer.message_id
        assert opened.text.startswith(opens), label
    # The answer itself is still there to come back to.
    kept = harness.api.message(person.chat_id, answer.message_id)
    assert kept is not None and kept.labels == ALL_BUTTONS


async def test_text_typed_in_the_middle_of_a_flow_is_still_the_flow_s(
    harness: Harness, person: ChatDriver
) -> None:
    """A question waiting for a time reads the typed text as that answer, not as care."""
    await choose_lessons(person)
    await person.send("/settings")
    await person.tap("Lesson time")
    [reply] = await person.send("it hurts")
    assert not reply.text.startswith(ui(harness, "care.crisis"))
