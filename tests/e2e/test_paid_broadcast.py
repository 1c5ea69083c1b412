"""PAID_BROADCAST: scheduled messages carry Telegram's allow_paid_broadcast, so the token may
send up to 1,000 a second; replies to a person never do (they are never charged). And the
setting itself: off by default, and SEND_RATE's cap follows it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.app import build_application, publish_commands
from bot.context import Services, engine_of
from bot.settings import Settings, SettingsError
from bot.standin import ChatDriver, StandInBotAPI
from lessons import load_library
from scheduler.clock import ManualClock
from scheduler.delivery import MAX_GROUP
from scheduler.store import Store
from tests.e2e.conftest import START, choose_lessons

BERLIN_20H = datetime(2026, 3, 23, 19, 0, tzinfo=UTC)


async def _no_sleep(seconds: float) -> None:
    """The sender's one-second spacing per chat, not really waited here."""


async def test_scheduled_sends_carry_paid_broadcast_and_replies_do_not(store: Store) -> None:
    clock = ManualClock(START)
    api = StandInBotAPI(clock=clock.now)
    services = Services(store=store, library=load_library(), clock=clock)
    settings = Settings(paid_broadcast=True, send_rate=1000)
    app = build_application(settings, services, request=api, rate_limited=True, sleep=_no_sleep)
    await app.initialize()
    try:
        await publish_commands(app, services.library)
        person = ChatDriver(app, api, chat_id=1001)
        await choose_lessons(person)
        await person.send("/help")
        replies = len(api.calls_to("sendMessage"))
        clock.set(BERLIN_20H)
        assert (await engine_of(app).tick()).sent == 1
    finally:
        await app.shutdown()

    sends = api.calls_to("sendMessage")
    assert [call.params.get("allow_paid_broadcast") for call in sends[replies:]] == [True]
    assert all("allow_paid_broadcast" not in call.params for call in sends[:replies])
    edits = api.calls_to("editMessageText")
    assert all("allow_paid_broadcast" not in call.params for call in edits)


def _settings(**environ: str) -> Settings:
    return Settings.from_environment(environ, dotenv=None)


def test_paid_broadcast_is_off_by_default_and_caps_the_rate_at_30() -> None:
    assert _settings().paid_broadcast is False
    with pytest.raises(SettingsError, match=r"SEND_RATE: '31'.*at most 30.*PAID_BROADCAST"):
        _settings(SEND_RATE="31")


def test_paid_broadcast_lifts_the_rate_to_1000_and_no_further() -> None:
    settings = _settings(PAID_BROADCAST="1", SEND_RATE="1000")
    assert (settings.paid_broadcast, settings.send_rate) == (True, 1000)
    with pytest.raises(SettingsError, match=r"SEND_RATE: '1001'.*at most 1000"):
        _settings(PAID_BROADCAST="on", SEND_RATE="1001")


def test_a_paid_broadcast_that_is_not_on_or_off_is_refused() -> None:
    with pytest.raises(SettingsError, match="PAID_BROADCAST: 'maybe' is not on or off"):
        _settings(PAID_BROADCAST="maybe")


class _HeldSends(StandInBotAPI):
    """Holds every scheduled sendMessage until ``release``, counting how many wait at once."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock=clock.now)
        self.holding = False
        self.waiting = 0
        self.most_waiting = 0
        self.gate = asyncio.Event()

    async def do_request(self, url, method, request_data=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.holding and url.endswith("/sendMessage"):
            self.waiting += 1
            self.most_waiting = max(self.most_waiting, self.waiting)
            await self.gate.wait()
            self.waiting -= 1
        return await super().do_request(url, method, request_data, *args, **kwargs)


async def test_paid_broadcast_keeps_at_most_max_group_sends_in_flight(store: Store) -> None:
    """At 950 a second the window is not 950 sends: what a crash or a slow client can cost
    stays at MAX_GROUP, and every lesson still goes out once."""
    clock = ManualClock(START)
    api = _HeldSends(clock)
    services = Services(store=store, library=load_library(), clock=clock)
    settings = Settings(paid_broadcast=True, send_rate=950)
    app = build_application(settings, services, request=api, rate_limited=False, sleep=_no_sleep)
    people = MAX_GROUP + 20
    await app.initialize()
    try:
        for chat_id in range(2000, 2000 + people):
            await choose_lessons(ChatDriver(app, api, chat_id=chat_id))
        clock.set(BERLIN_20H)
        api.holding = True
        tick = asyncio.create_task(engine_of(app).tick())
        while api.waiting < MAX_GROUP and not tick.done():
            await asyncio.sleep(0.01)
        for _ in range(50):  # let any send beyond the window arrive, if one would
            await asyncio.sleep(0)
        api.gate.set()
        report = await tick
    finally:
        await app.shutdown()
    assert api.most_waiting == MAX_GROUP
    assert report.sent == people
