"""Every person in their own language: picked from Telegram's ``language_code`` at first
contact, stored with them, changed with ``/language``, and used for everything they get,
scheduled or shared. The content is ``tests.e2e.languages``': real English, marked Spanish,
so no reply in the wrong language can pass for the right one."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot import commands, sharing
from bot.context import LANGUAGE_RECHECK, Services, remembered_language
from bot.standin import ChatDriver, StandInBotAPI
from bot.ui import render
from lessons import Library
from lessons.model import Lesson, Track
from lessons.planner import course_lessons
from lessons.telegram_html import plain_text
from scheduler.clock import ManualClock
from scheduler.store import Store
from tests.e2e.conftest import START, Harness, start
from tests.e2e.languages import marked_languages, said
from tests.e2e.partners import INVITE


@pytest.fixture(scope="session")
def languages(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return marked_languages(tmp_path_factory.mktemp("content") / "content")


@pytest.fixture
async def bilingual(store: Store, languages: Library) -> AsyncIterator[Harness]:
    clock = ManualClock(START)
    api = StandInBotAPI(clock=clock.now)
    running = await start(Services(store=store, library=languages, clock=clock), api, clock)
    try:
        yield running
    finally:
        await running.app.shutdown()


def spanish(harness: Harness) -> ChatDriver:
    return harness.person(1001, "Alba", language_code="es-MX")


def english(harness: Harness, chat_id: int = 2002) -> ChatDriver:
    return harness.person(chat_id, "Sam", language_code="en-US")


async def stored_language(harness: Harness, person: ChatDriver) -> str | None:
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    return None if subscriber is None else subscriber.language


# --- first contact ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["es-MX", "es", "ES-es"])
async def test_a_spanish_app_is_answered_in_spanish_from_the_first_message(
    bilingual: Harness, languages: Library, code: str
) -> None:
    person = bilingual.person(1001, "Alba", language_code=code)
    [welcome] = await person.send("/start")
    es, en = languages.catalog("es"), languages.catalog("en")
    assert welcome.text == said(es, "start.welcome") != said(en, "start.welcome")
    [help_] = await person.send("/help")
    assert help_.text == plain_text(commands.help_text(es))
    # Nothing was stored by looking.
    assert await stored_language(bilingual, person) is None


@pytest.mark.parametrize("code", ["en-US", "pt-BR", "en"])
async def test_any_other_app_language_is_answered_in_english(
    bilingual: Harness, languages: Library, code: str
) -> None:
    person = bilingual.person(1001, "Sam", language_code=code)
    [welcome] = await person.send("/start")
    assert welcome.text == said(languages.catalog("en"), "start.welcome")


async def test_whatever_stores_someone_stores_the_language_picked_for_them(
    bilingual: Harness,
) -> None:
    alba, sam = spanish(bilingual), bilingual.person(2002, "Sam", language_code="pt-BR")
    await alba.send("/lesson")
    await sam.send("/lesson")
    assert await stored_language(bilingual, alba) == "es"
    assert await stored_language(bilingual, sam) == "en"


# --- /language --------------------------------------------------------------------------------


async def test_language_switches_both_ways_and_the_choice_outlives_a_restart(
    bilingual: Harness, languages: Library
) -> None:
    es, en = languages.catalog("es"), languages.catalog("en")
    sam = english(bilingual)
    await sam.send("/lesson")
    [asked] = await sam.send("/language")
    assert asked.text == said(en, "language.ask", language="English")
    assert asked.labels == ["✓ English", "Español"]

    [chosen] = await sam.tap("Español")
    assert chosen.text == said(es, "language.chosen")
    assert chosen.labels == ["English", "✓ Español"]
    assert await stored_language(bilingual, sam) == "es"
    [help_] = await sam.send("/help")
    assert help_.text == plain_text(commands.help_text(es))

    restarted = await bilingual.restart()
    sam = english(restarted)
    [help_] = await sam.send("/help")
    assert help_.text == plain_text(commands.help_text(es))

    await sam.send("/language")
    [back] = await sam.tap("English")
    assert back.text == said(en, "language.chosen")
    assert await stored_language(restarted, sam) == "en"
    sam = english(await restarted.restart())
    [help_] = await sam.send("/help")
    assert help_.text == plain_text(commands.help_text(en))


async def test_settings_open_the_language_screen(bilingual: Harness, languages: Library) -> None:
    es = languages.catalog("es")
    alba = spanish(bilingual)
    [page] = await alba.send("/settings")
    label = es.text("settings.button.language", language="Español")
    assert label in page.labels
    [screen] = await alba.tap(label)
    assert screen.text == said(es, "language.ask", language="Español")


async def test_choosing_stores_nobody_who_is_not_stored(
    bilingual: Harness, languages: Library
) -> None:
    """A choice is not a start: it holds for this conversation, and is stored with the
    person only if they start something."""
    sam = english(bilingual)
    await sam.send("/language")
    await sam.tap("Español")
    assert await stored_language(bilingual, sam) is None
    [help_] = await sam.send("/help")
    assert help_.text == plain_text(commands.help_text(languages.catalog("es")))
    await sam.send("/lesson")
    assert await stored_language(bilingual, sam) == "es"


async def test_a_language_button_the_content_no_longer_has_is_stale(
    bilingual: Harness, languages: Library
) -> None:
    sam = english(bilingual)
    await sam.send("/language")
    assert await sam.tap_data("lang:pick:fr") == []
    answer = sam.last_callback_answer
    assert answer is not None and answer.text == languages.catalog("en").text("button.stale")


# --- what arrives on its own, and what travels ------------------------------------------------


async def test_a_scheduled_lesson_arrives_in_the_persons_language(
    bilingual: Harness, languages: Library
) -> None:
    es, en = languages.catalog("es"), languages.catalog("en")
    alba = spanish(bilingual)
    await alba.send("/daily")
    for label in (es.text("daily.track.self"), es.text("when.days.every"), "20:00", "UTC"):
        await alba.tap(label)
    before = alba.last.message_id
    bilingual.clock.set(datetime(2026, 3, 23, 20, 0, tzinfo=UTC))
    assert (await bilingual.tick()).sent == 1
    [lesson] = [m for m in alba.messages if m.message_id > before]
    first_line, place = lesson.text.splitlines()[:2]
    assert first_line == said(es, "delivery.lesson.header") != said(en, "delivery.lesson.header")
    total = len(course_lessons(es, Track.SELF))
    assert place == said(es, "progress.lesson", number=1, total=total)
    day_one = es.lesson_for_day(Track.SELF, 1)
    assert day_one is not None and plain_text(day_one.title) in lesson.text


async def test_a_card_shared_in_spanish_opens_in_english_for_an_english_partner(
    bilingual: Harness, languages: Library
) -> None:
    es, en = languages.catalog("es"), languages.catalog("en")
    alba, sam = spanish(bilingual), english(bilingual)
    await alba.send("/lesson")
    [card, *_] = await alba.inline_query("")
    lesson = es.entry(card["id"])
    assert isinstance(lesson, Lesson)
    assert card["input_message_content"]["message_text"] == sharing.card_html(es, lesson)
    assert card["description"] == es.text("share.kind.lesson")
    [[button]] = card["reply_markup"]["inline_keyboard"]
    assert button["text"] == es.text("share.button.open")

    entry, landing = await sam.send(f"/start {sharing.payload(lesson)}")
    assert entry.text == plain_text(render.entry_html(en.lesson(lesson.id), en))
    assert landing.text == said(en, "share.landing")
    assert said(es, "share.landing") != landing.text


async def test_inline_results_use_the_sharers_stored_language_over_their_apps(
    bilingual: Harness, languages: Library
) -> None:
    es = languages.catalog("es")
    sam = english(bilingual)
    await sam.send("/lesson")
    await sam.send("/language")
    await sam.tap("Español")
    # After a restart nothing is remembered: the stored choice is read for the query.
    sam = english(await bilingual.restart())
    results = await sam.inline_query("")
    kinds = {es.text(f"share.kind.{kind}") for kind in ("lesson", "technique", "phrase")}
    assert results and {result["description"] for result in results} <= kinds


async def test_a_partner_is_told_in_their_own_language(
    bilingual: Harness, languages: Library
) -> None:
    es, en = languages.catalog("es"), languages.catalog("en")
    alba, sam = spanish(bilingual), english(bilingual)
    await alba.send("/partner")
    [shown] = await alba.tap(es.text("partner.button.invite"))
    found = INVITE.search(shown.text)
    assert found is not None, shown.text
    replies = await sam.send(f"/start {found.group(1)}")
    assert replies[0].text == said(en, "partner.joined")
    assert alba.last.text == said(es, "partner.joined.inviter")


# --- Telegram's own surfaces -------------------------------------------------------------------


async def test_menus_and_descriptions_are_published_in_every_language(
    bilingual: Harness, languages: Library
) -> None:
    api = bilingual.api
    for code, catalog in (("", languages.catalog("en")), *languages.catalogs.items()):
        menu = [(name, catalog.text(f"command.{name}")) for name in commands.COMMANDS]
        assert api.commands_for(language_code=code) == menu
        assert api.description(code) == catalog.text("bot.description")
        assert api.short_description(code) == catalog.text("bot.short_description")
    assert api.commands_for(language_code="es") != api.commands_for(language_code="en")
    published = {call.params.get("language_code") for call in api.calls_to("setMyDescription")}
    assert published == {None, "en", "es"}
    assert len(api.calls_to("setMyCommands")) == len(api.calls_to("setMyShortDescription")) == 3


# --- what is stored, shown and erased -----------------------------------------------------------


async def test_privacy_and_export_show_the_language(bilingual: Harness, languages: Library) -> None:
    es = languages.catalog("es")
    alba = spanish(bilingual)
    await alba.send("/lesson")
    [privacy] = await alba.send("/privacy")
    assert said(es, "privacy.language", language="Español") in privacy.text
    readable, document = await alba.send("/export")
    assert said(es, "export.language", language="Español") in readable.text
    data = json.loads(document.document_bytes or b"")
    assert [row["language"] for row in data["subscribers"]] == ["es"]


async def test_delete_erases_the_language_and_the_memory_of_it(
    bilingual: Harness, languages: Library
) -> None:
    es, en = languages.catalog("es"), languages.catalog("en")
    sam = english(bilingual)
    await sam.send("/lesson")
    await sam.send("/language")
    await sam.tap("Español")
    await sam.send("/delete")
    [done] = await sam.tap(es.text("privacy.delete.button.yes"))
    # Said in the language Sam was reading; then nothing of it is left.
    assert done.text == said(es, "privacy.delete.done")
    assert await bilingual.services.store.find_subscriber(sam.chat_id) is None
    assert remembered_language(bilingual.app, sam.chat_id) is None
    [help_] = await sam.send("/help")
    assert help_.text == plain_text(commands.help_text(en))


async def test_dates_are_written_with_the_contents_day_and_month_names(
    bilingual: Harness, languages: Library
) -> None:
    es = languages.catalog("es")
    alba = spanish(bilingual)
    await alba.send("/daily")
    for label in (es.text("daily.track.self"), es.text("when.days.every"), "20:00", "UTC"):
        await alba.tap(label)
    [page] = await alba.send("/settings")
    monday = es.text("export.days.names").split(",")[0]
    march = es.text("when.months").split(",")[2]
    when = es.text("when.instant", weekday=monday, day=23, month=march, time="20:00")
    assert when in page.text and march != "March"


# --- the real content ----------------------------------------------------------------------------


async def test_every_command_answers_a_spanish_speaker_in_the_real_content(
    harness: Harness,
) -> None:
    es = harness.services.library.catalog("es")
    person = harness.person(1001, "Alba", language_code="es-MX")
    for name in commands.COMMANDS:
        replies = await person.send(f"/{name}")
        assert replies, name
        assert all(r.text != said(es, "fallback.error") for r in replies), name
    assert await harness.services.store.find_subscriber(person.chat_id) is not None
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None and subscriber.language == "es"


async def test_zone_choices_name_countries_in_the_persons_language(harness: Harness) -> None:
    es = harness.services.library.catalog("es")
    person = harness.person(1001, "Alba", language_code="es")
    await person.send("/daily")
    for label in (es.text("daily.track.self"), es.text("when.days.every"), "20:00"):
        await person.tap(label)
    [question] = await person.send("España")
    assert question.text == said(es, "when.zone.choose")
    assert question.labels and all(label.endswith(", España") for label in question.labels)


async def test_a_time_and_a_city_typed_in_spanish_set_the_lessons(harness: Harness) -> None:
    es = harness.services.library.catalog("es")
    person = harness.person(1001, "Alba", language_code="es")
    await person.send("/daily")
    for label in (es.text("daily.track.self"), es.text("when.days.every")):
        await person.tap(label)
    replies = await person.send("a las ocho y media de la noche")
    assert said(es, "when.zone.ask") in [reply.text for reply in replies]
    [confirmed, *_] = await person.send("Ciudad de México")
    assert "20:30 (America/Mexico_City)" in confirmed.text
    opening = es.ui["daily.confirm"].split("\n")[0]
    assert confirmed.text.startswith(plain_text(opening))


async def test_a_lesson_time_in_the_one_oclock_hour_is_a_la_in_spanish(harness: Harness) -> None:
    es = harness.services.library.catalog("es")
    person = harness.person(1001, "Alba", language_code="es")
    await person.send("/daily")
    for label in (es.text("daily.track.self"), es.text("when.days.every"), "20:00", "UTC"):
        await person.tap(label)
    await person.send("/settings")
    await person.tap(es.text("settings.button.time", time="20:00"))
    [saved] = await person.send("1:30")
    assert "Guardado: lecciones a la 01:30." in saved.text
    await person.tap(es.text("settings.button.time", time="01:30"))
    [saved] = await person.send("13:00")
    assert "Guardado: lecciones a las 13:00." in saved.text


async def test_inline_search_finds_spanish_words_without_their_accents(harness: Harness) -> None:
    es = harness.services.library.catalog("es")
    breathing = es.technique("breathing-4-6")
    person = harness.person(1001, "Alba", language_code="es-MX")
    await person.send("/lesson")
    typed = "respiracion"
    assert typed not in breathing.name.casefold()
    results = await person.inline_query(typed)
    assert breathing.name in [result["title"] for result in results]


async def test_a_choice_made_through_another_process_arrives_within_the_recheck(
    bilingual: Harness, languages: Library
) -> None:
    """Two processes behind one webhook: the one that did not see /language keeps its
    remembered English until LANGUAGE_RECHECK has passed, then reads the choice."""
    es, en = languages.catalog("es"), languages.catalog("en")
    other = await start(bilingual.services, bilingual.api, bilingual.clock)
    try:
        here = english(bilingual)
        await here.send("/lesson")
        there = english(other)
        [help_] = await there.send("/help")
        assert help_.text == plain_text(commands.help_text(en))
        await here.send("/language")
        await here.tap("Español")
        bilingual.clock.advance(LANGUAGE_RECHECK - timedelta(seconds=1))
        [help_] = await there.send("/help")
        assert help_.text == plain_text(commands.help_text(en))
        bilingual.clock.advance(timedelta(seconds=2))
        [help_] = await there.send("/help")
        assert help_.text == plain_text(commands.help_text(es))
    finally:
        await other.app.shutdown()
