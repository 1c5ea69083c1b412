"""/stats: totals for the operators listed in ADMIN_IDS; to anyone else it is just an
unknown command, and it never appears in the menu or /help."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import BotApplication, build_application, publish_commands
from bot.context import Services
from bot.settings import Settings
from bot.standin import ChatDriver, StandInBotAPI
from lessons import load_library
from scheduler.clock import ManualClock
from scheduler.model import DeliveryStatus, Kind
from scheduler.store import Store
from tests.e2e.conftest import START

OPERATOR = 777


@pytest.fixture
async def bot(store: Store) -> AsyncIterator[tuple[BotApplication, StandInBotAPI]]:
    api = StandInBotAPI()
    services = Services(store=store, library=load_library(), clock=ManualClock(START))
    settings = Settings(admin_ids=frozenset({OPERATOR}))
    app = build_application(settings, services, request=api, rate_limited=False)
    await app.initialize()
    await publish_commands(app, services.library)
    yield app, api
    await app.shutdown()


async def test_an_operator_sees_the_totals(bot: tuple[BotApplication, StandInBotAPI]) -> None:
    app, api = bot
    member = ChatDriver(app, api, chat_id=1001)
    await member.send("/daily")
    for label in ("For me", "Every day", "20:00", "Europe/Berlin"):
        await member.tap(label)

    operator = ChatDriver(app, api, chat_id=OPERATOR)
    [reply] = await operator.send("/stats")
    assert "Daily lessons, self: 1" in reply.text
    assert "Daily lessons, partner: 0" in reply.text
    assert "Delivered since midnight UTC: 0" in reply.text
    assert "People who blocked the bot: 0" in reply.text


async def test_sends_of_unknown_outcome_are_counted_on_their_own(
    bot: tuple[BotApplication, StandInBotAPI], store: Store
) -> None:
    """Timed out after Telegram may have accepted it, or in flight when a process died."""
    app, api = bot
    for chat_id, status in (
        (1001, DeliveryStatus.UNKNOWN),
        (1002, DeliveryStatus.SENDING),
        (1003, DeliveryStatus.SENT),
    ):
        person = await store.ensure_subscriber(chat_id)
        await store.log_delivery(person.id, Kind.LESSON, START.date(), "self-01", status, at=START)
    [reply] = await ChatDriver(app, api, chat_id=OPERATOR).send("/stats")
    assert "Outcome unknown, never resent (timeout or crash): 2" in reply.text
    assert "Delivered since midnight UTC: 1" in reply.text


async def test_anyone_else_gets_the_ordinary_unknown_command_answer(
    bot: tuple[BotApplication, StandInBotAPI],
) -> None:
    app, api = bot
    person = ChatDriver(app, api, chat_id=1001)
    [typo] = await person.send("/statz")
    [stats] = await person.send("/stats")
    english = app.bot_data["services"].library.default_catalog
    assert stats.text == typo.text == english.text("fallback.unknown_command")


async def test_stats_is_not_in_the_menu_or_help(bot: tuple[BotApplication, StandInBotAPI]) -> None:
    app, api = bot
    assert "stats" not in [name for name, _ in api.commands]
    [help_text] = await ChatDriver(app, api, chat_id=OPERATOR).send("/help")
    assert "/stats" not in help_text.text


async def test_without_admin_ids_nobody_may_use_it(store: Store) -> None:
    api = StandInBotAPI()
    services = Services(store=store, library=load_library(), clock=ManualClock(START))
    app = build_application(Settings(), services, request=api, rate_limited=False)
    await app.initialize()
    try:
        [reply] = await ChatDriver(app, api, chat_id=OPERATOR).send("/stats")
    finally:
        await app.shutdown()
    assert reply.text == services.library.default_catalog.text("fallback.unknown_command")
