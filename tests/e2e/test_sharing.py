"""Sharing with a partner: share buttons, /share, inline mode and the deep links cards carry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from bot.standin import BotMessage, ChatDriver
from lessons import Catalog, Lesson, Situation, Technique, Track
from lessons.telegram_html import plain_text
from scheduler.model import EVERY_DAY
from tests.e2e.conftest import Harness

JSON = dict[str, Any]
BOT_LINK = "https://t.me/SoftLandingBot?start="
ODD_QUERIES = [
    "🙂 breathing 🙂",
    "\"quotes\" and 'single'",
    "<b>not a tag</b> & more",
    "שלום, كيف حالك",
    "\u202eright to left\u202c \u200f",
    "%s {0} {title} \\n",
    "\x00\x07",
]


def ui(harness: Harness, key: str, **values: object) -> str:
    return plain_text(harness.catalog.text(key, **values))


def day_one(catalog: Catalog, track: Track = Track.SELF) -> Lesson:
    lesson = catalog.lesson_for_day(track, 1)
    assert lesson is not None
    return lesson


def share_button(message: BotMessage) -> JSON:
    assert message.reply_markup is not None
    buttons = [button for row in message.reply_markup["inline_keyboard"] for button in row]
    [button] = [button for button in buttons if button["text"] == "Share with partner"]
    return dict(button)


def picks_a_private_chat_with(query: str) -> JSON:
    return {
        "switch_inline_query_chosen_chat": {
            "query": query,
            "allow_user_chats": True,
            "allow_bot_chats": False,
            "allow_group_chats": False,
            "allow_channel_chats": False,
        }
    }


def answer_params(harness: Harness) -> JSON:
    return dict(harness.api.calls_to("answerInlineQuery")[-1].params)


def start_parameter(result: JSON) -> str:
    [[button]] = result["reply_markup"]["inline_keyboard"]
    assert button["text"] == "Open in Soft Landing"
    assert button["url"].startswith(BOT_LINK)
    [value] = parse_qs(urlparse(button["url"]).query)["start"]
    return str(value)


def assert_reads_well_to_a_stranger(harness: Harness, result: JSON) -> None:
    """The card a partner receives: plain title and description, intro first, one link."""
    catalog = harness.catalog
    content = result["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert content["message_text"].startswith(catalog.text("share.card.intro"))
    assert "<" not in result["title"] and result["title"].strip()
    kinds = {catalog.text(f"share.kind.{kind}") for kind in ("lesson", "technique", "phrase")}
    assert result["description"] in kinds
    start_parameter(result)


# -- The share button ---------------------------------------------------------------------------


async def test_a_lesson_shares_through_the_chat_picker_limited_to_people(
    harness: Harness, person: ChatDriver
) -> None:
    first = day_one(harness.catalog)

    [shown] = await person.send("/lesson")

    assert share_button(shown) == {
        "text": "Share with partner",
        **picks_a_private_chat_with(first.id),
    }


async def test_techniques_and_phrases_share_the_same_way(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    technique = catalog.techniques[0]
    await person.send("/techniques")
    [card] = await person.tap(technique.name)
    assert share_button(card)["switch_inline_query_chosen_chat"]["query"] == technique.id
    # The technique card's own buttons still edit it in place.
    [menu] = await person.tap(catalog.text("techniques.button.menu"))
    assert menu.edited

    first = catalog.phrases_for(Situation.AFTER)[0]
    await person.send("/phrases")
    [phrase] = await person.tap("Afterwards")
    assert share_button(phrase) == {
        "text": "Share with partner",
        **picks_a_private_chat_with(first.id),
    }


async def test_without_inline_mode_the_button_asks_for_a_copy(
    harness_without_inline: Harness,
) -> None:
    person = harness_without_inline.person()
    first = day_one(harness_without_inline.services.library.default_catalog)

    [shown] = await person.send("/lesson")

    assert share_button(shown) == {
        "text": "Share with partner",
        "callback_data": f"les:share:{first.id}",
    }


async def test_a_scheduled_lesson_carries_the_share_button(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/daily")
    for label in ("For me", "Every day", "20:00", "Europe/Berlin"):
        await person.tap(label)
    harness.clock.set(datetime(2026, 3, 23, 19, 1, tzinfo=UTC))

    await harness.tick()

    first = day_one(harness.catalog)
    assert share_button(person.last) == {
        "text": "Share with partner",
        **picks_a_private_chat_with(first.id),
    }


# -- /share -------------------------------------------------------------------------------------


async def test_share_before_any_lesson_points_to_lesson(
    harness: Harness, person: ChatDriver
) -> None:
    [reply] = await person.send("/share")

    assert reply.text == ui(harness, "share.command.nothing")
    assert "/lesson" in reply.text
    assert await harness.services.store.find_subscriber(person.chat_id) is None


async def test_share_offers_the_last_lesson_received(harness: Harness, person: ChatDriver) -> None:
    await person.send("/lesson")
    await person.send("/lesson")
    second = harness.catalog.lesson_for_day(Track.SELF, 2)
    assert second is not None

    [reply] = await person.send("/share")

    assert reply.text.startswith(plain_text(second.title))
    assert share_button(reply) == {
        "text": "Share with partner",
        **picks_a_private_chat_with(second.id),
    }


async def test_share_without_inline_mode_sends_a_copy_with_its_link(
    harness_without_inline: Harness,
) -> None:
    person = harness_without_inline.person()
    await person.send("/lesson")
    first = day_one(harness_without_inline.services.library.default_catalog)

    note, card = await person.send("/share")

    assert note.text == ui(harness_without_inline, "course.share.note")
    assert plain_text(first.title) in card.text
    assert card.buttons == ((("Open in Soft Landing", f"{BOT_LINK}l-{first.id}"),),)


# -- Inline mode --------------------------------------------------------------------------------


async def test_an_empty_query_offers_day_one_and_a_few_phrases(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog

    results = await person.inline_query("")

    assert results[0]["id"] == day_one(catalog).id
    assert len(results) > 1
    assert all(catalog.entry(result["id"]).__class__.__name__ == "Phrase" for result in results[1:])
    for result in results:
        assert_reads_well_to_a_stranger(harness, result)
    params = answer_params(harness)
    assert params["is_personal"] is True
    # Asking stores nothing about a person who has never used the bot.
    assert await harness.services.store.find_subscriber(person.chat_id) is None


async def test_an_empty_query_offers_the_lesson_read_last(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/lesson")
    await person.send("/lesson")
    second = harness.catalog.lesson_for_day(Track.SELF, 2)
    assert second is not None

    results = await person.inline_query("   ")

    assert results[0]["id"] == second.id


async def test_words_find_matching_entries_as_cards(harness: Harness, person: ChatDriver) -> None:
    catalog = harness.catalog

    results = await person.inline_query("breathing")

    assert results
    assert isinstance(catalog.entry(results[0]["id"]), Technique)
    for result in results:
        assert_reads_well_to_a_stranger(harness, result)
    params = answer_params(harness)
    # The same for everyone of one language, but Telegram's cache does not know languages:
    # with more than one, a Spanish speaker's cards must not reach an English speaker.
    several = len(harness.services.library.languages) > 1
    assert params["cache_time"] == 300 and bool(params.get("is_personal")) == several
    assert len(results) <= 50


async def test_the_share_query_puts_its_entry_first(harness: Harness, person: ChatDriver) -> None:
    catalog = harness.catalog
    phrase = catalog.phrases_for(Situation.COMFORTING)[0]
    [shown] = await person.send("/lesson")
    query = share_button(shown)["switch_inline_query_chosen_chat"]["query"]

    [first, *_] = await person.inline_query(query)
    assert first["id"] == day_one(catalog).id
    assert start_parameter(first) == f"l-{day_one(catalog).id}"
    lesson_text = first["input_message_content"]["message_text"]
    assert catalog.lesson(first["id"]).title in lesson_text
    assert "Alex" not in lesson_text

    [first, *_] = await person.inline_query(phrase.id)
    assert (first["id"], start_parameter(first)) == (phrase.id, f"p-{phrase.id}")


async def test_no_match_answers_an_empty_list(harness: Harness, person: ChatDriver) -> None:
    assert await person.inline_query("zzqx xyzzy") == []
    assert answer_params(harness)["results"] == []


async def test_a_very_long_query_is_cut_safely(harness: Harness, person: ChatDriver) -> None:
    results = await person.inline_query("breathing " * 500)

    assert results
    assert harness.api.calls_to("answerInlineQuery")[-1].ok


@pytest.mark.parametrize("query", ODD_QUERIES)
async def test_odd_characters_never_break_the_answer(
    harness: Harness, person: ChatDriver, query: str
) -> None:
    results = await person.inline_query(query)

    assert harness.api.calls_to("answerInlineQuery")[-1].ok
    for result in results:
        assert_reads_well_to_a_stranger(harness, result)


async def test_cards_work_without_inline_mode_too(harness_without_inline: Harness) -> None:
    # An old client may still send a query; the answer is the same valid cards.
    person = harness_without_inline.person()
    results = await person.inline_query("calm")
    assert results
    for result in results:
        assert_reads_well_to_a_stranger(harness_without_inline, result)


# -- Deep links ---------------------------------------------------------------------------------


LANDING = ["What can I say?", "Why this happens", "The course for partners"]


async def test_a_card_reads_well_to_the_partner_who_receives_it(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    [card, *_] = await person.inline_query(day_one(catalog).id)

    text = card["input_message_content"]["message_text"]
    first_line = plain_text(text.split("\n")[0])
    # Addressed to the reader, and discreet: it is what a chat list and a notification show.
    assert first_line.startswith("Someone close to you shared this with you.")
    # A lesson written for the one who cries says whose "you" it is, before the lesson.
    assert text.index(catalog.text("share.card.self_note")) < text.index(day_one(catalog).title)
    [[button]] = card["reply_markup"]["inline_keyboard"]
    assert button["text"] == "Open in Soft Landing"


async def test_a_card_link_opens_the_lesson_then_words_why_and_the_course(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    [card, *_] = await person.inline_query(day_one(catalog).id)
    partner = harness.person(chat_id=2002, first_name="Sam")

    shown, landing = await partner.send(f"/start {start_parameter(card)}")

    assert shown.text.startswith(plain_text(day_one(catalog).title))
    assert landing.text == ui(harness, "share.landing")
    assert landing.labels == LANDING
    [words] = await partner.tap("What can I say?")
    assert words.text == ui(harness, "phrases.menu.title")
    await partner.send(f"/start {start_parameter(card)}")
    [why] = await partner.tap("Why this happens")
    assert why.text.startswith(plain_text(catalog.lesson("partner-common-and-why").title))
    await partner.send(f"/start {start_parameter(card)}")
    [course] = await partner.tap("The course for partners")
    assert course.labels == ["The course for partners", "The course for me"]
    for label in ("The course for partners", "Every day", "20:00", "Europe/Berlin"):
        await partner.tap(label)
    store = harness.services.store
    subscriber = await store.find_subscriber(partner.chat_id)
    assert subscriber is not None
    course = await store.course(subscriber.id)
    assert course.active and course.track is Track.PARTNER and course.days == EVERY_DAY
    # Nothing of the sender reached the partner, and the sender heard nothing.
    assert all("Alex" not in message.text for message in partner.messages)
    assert person.messages == []


async def test_technique_and_phrase_links_open_them(harness: Harness, person: ChatDriver) -> None:
    catalog = harness.catalog
    technique = catalog.techniques[-1]
    phrase = catalog.phrases[-1]

    shown, landing = await person.send(f"/start t-{technique.id}")
    assert shown.text.startswith(plain_text(technique.name))
    assert landing.labels == LANDING

    shown, _ = await person.send(f"/start p-{phrase.id}")
    assert plain_text(phrase.text) in shown.text


@pytest.mark.parametrize(
    "payload",
    [
        "l-no-such-lesson",
        "p-",
        "l",
        "x" * 65,
        "l-" + "a" * 80,
        "l-self..01",
        "%2E%2E",
        "t-{lesson}",  # a lesson's id behind the technique prefix
        "p-{lesson} extra",
        "🙂",
    ],
)
async def test_anything_else_gets_the_normal_welcome(
    harness: Harness, person: ChatDriver, payload: str
) -> None:
    lesson = day_one(harness.catalog).id

    [reply] = await person.send(f"/start {payload.format(lesson=lesson)}")

    assert reply.text == ui(harness, "start.welcome")
