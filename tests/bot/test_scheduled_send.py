"""Scheduled messages go as one lean request (``bot.prepared``): the same request
``Bot.send_message`` would make, through the bot's rate limiter, and every answer Telegram
can give read into the same outcome as before, here through the stand-in."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.constants import ParseMode
from telegram.ext import BaseRateLimiter, Defaults, ExtBot
from telegram.request import BaseRequest, RequestData

import bot.delivery as delivery_module
from bot.delivery import TelegramSender, compose
from bot.standin import StandInBotAPI
from lessons import load_library
from lessons.model import Track
from scheduler.delivery import Delivery, Outcome
from scheduler.model import Kind

TOKEN = "1000000:scheduled-send"
CHAT = 4242
LIBRARY = load_library()
CATALOG = LIBRARY.default_catalog
LESSON = CATALOG.track(Track.SELF)[1].id


def lesson(*, chat_id: int = CHAT, silent: bool = False) -> Delivery:
    return Delivery(1, chat_id, Kind.LESSON, LESSON, discreet=True, silent=silent)


class Slept:
    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


class _Offline(BaseRequest):
    """A request object with no connections to open or close."""

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""


class Recorded(_Offline):
    """Each request as PTB hands it to the network, answered as a sent message."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, RequestData]] = []

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        if url.endswith("/getMe"):
            me = {"id": 1000000, "is_bot": True, "first_name": "Bot", "username": "bot"}
            return 200, json.dumps({"ok": True, "result": me}).encode()
        assert request_data is not None
        self.requests.append((url, request_data))
        message = {"message_id": 1, "date": 0, "chat": {"id": CHAT, "type": "private"}}
        return 200, json.dumps({"ok": True, "result": message}).encode()


class Failing(_Offline):
    """The stand-in behind a transport that fails as httpx does, before or after the
    request was written (``written``: the stand-in received it first)."""

    def __init__(self, api: StandInBotAPI, error: Exception, *, written: bool) -> None:
        self.api = api
        self.error = error
        self.written = written

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        if url.endswith("/sendMessage"):
            if self.written:
                await self.api.do_request(url, method, request_data)
            raise self.error
        return await self.api.do_request(url, method, request_data)


def ext_bot(request: BaseRequest, limiter: BaseRateLimiter[Any] | None = None) -> ExtBot[Any]:
    return ExtBot(
        TOKEN,
        request=request,
        get_updates_request=request,
        defaults=Defaults(parse_mode=ParseMode.HTML),
        rate_limiter=limiter,
    )


async def send(bot: Bot, delivery: Delivery, *, paid: bool = False) -> tuple[Outcome, Slept]:
    slept = Slept()
    async with bot:
        sender = TelegramSender(bot, LIBRARY, sleep=slept, paid_broadcast=paid)
        return await sender(delivery), slept


@pytest.mark.parametrize("paid", [False, True])
@pytest.mark.parametrize("silent", [False, True])
async def test_the_lean_request_is_the_one_send_message_makes(paid: bool, silent: bool) -> None:
    recorded = Recorded()
    delivery = lesson(silent=silent)
    text, markup = compose(delivery, CATALOG)
    assert markup is not None, "a lesson has buttons: the keyboard is part of what is compared"
    async with ext_bot(recorded) as bot:
        await bot.send_message(
            CHAT,
            text,
            reply_markup=markup,
            disable_notification=silent,
            allow_paid_broadcast=paid or None,
        )
        sender = TelegramSender(bot, LIBRARY, sleep=Slept(), paid_broadcast=paid)
        assert await sender(delivery) is Outcome.SENT
    (url, ptb), (lean_url, lean) = recorded.requests[-2:]
    assert lean_url == url
    assert lean.parameters == ptb.parameters
    assert lean.json_parameters == ptb.json_parameters, "what goes on the wire"
    assert lean.contains_files is False and lean.multipart_data == {}
    assert ("allow_paid_broadcast" in lean.parameters) is paid


async def test_paid_broadcast_is_sent_only_when_on() -> None:
    for paid in (True, False):
        api = StandInBotAPI()
        outcome, _ = await send(ext_bot(api), lesson(), paid=paid)
        assert outcome is Outcome.SENT
        (call,) = api.calls_to("sendMessage")
        assert call.params.get("allow_paid_broadcast") is (True if paid else None)


async def test_a_sent_lesson_reaches_the_chat_once_with_its_buttons() -> None:
    api = StandInBotAPI()
    outcome, slept = await send(ext_bot(api), lesson(silent=True))
    assert outcome is Outcome.SENT and slept.seconds == []
    (message,) = api.messages(CHAT)
    assert message.buttons, "the keyboard went with it"
    assert api.calls_to("sendMessage")[0].params["disable_notification"] is True


async def test_each_message_form_is_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    composed: list[Delivery] = []

    def counting(delivery: Delivery, *args: Any) -> Any:
        composed.append(delivery)
        return compose(delivery, *args)

    monkeypatch.setattr(delivery_module, "compose", counting)
    api = StandInBotAPI()
    async with ext_bot(api) as bot:
        sender = TelegramSender(bot, LIBRARY, sleep=Slept())
        for chat_id in (1, 2, 3):
            assert await sender(lesson(chat_id=chat_id, silent=chat_id == 2)) is Outcome.SENT
    assert len(composed) == 1
    assert len({api.messages(chat)[0].text for chat in (1, 2, 3)}) == 1


async def test_a_429_waits_its_retry_after_and_sends() -> None:
    api = StandInBotAPI()
    api.fail_next("sendMessage", error_code=429, description="Too Many Requests", retry_after=3)
    outcome, slept = await send(ext_bot(api), lesson())
    assert outcome is Outcome.SENT and slept.seconds == [3.0]
    assert len(api.messages(CHAT)) == 1


async def test_a_429_asking_too_long_gives_the_item_back() -> None:
    api = StandInBotAPI()
    api.fail_next("sendMessage", error_code=429, description="Too Many Requests", retry_after=90)
    outcome, _ = await send(ext_bot(api), lesson())
    assert outcome is Outcome.RETRY and api.messages(CHAT) == []


async def test_a_5xx_is_tried_again_after_a_back_off() -> None:
    api = StandInBotAPI()
    api.fail_next("sendMessage", error_code=502, description="Bad Gateway", times=2)
    outcome, slept = await send(ext_bot(api), lesson())
    assert outcome is Outcome.SENT and slept.seconds == [1.0, 2.0]
    assert len(api.messages(CHAT)) == 1


async def test_a_5xx_on_every_try_leaves_the_item_due() -> None:
    api = StandInBotAPI()
    api.fail_next("sendMessage", error_code=500, description="Internal Server Error", times=4)
    outcome, _ = await send(ext_bot(api), lesson())
    assert outcome is Outcome.RETRY and api.messages(CHAT) == []


async def test_a_blocked_chat_or_one_not_found_is_blocked() -> None:
    api = StandInBotAPI()
    api.block(CHAT)
    assert (await send(ext_bot(api), lesson()))[0] is Outcome.BLOCKED
    api = StandInBotAPI()
    api.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    assert (await send(ext_bot(api), lesson()))[0] is Outcome.BLOCKED


async def test_another_refusal_is_given_back_unsent() -> None:
    api = StandInBotAPI()
    api.fail_next("sendMessage", error_code=400, description="Bad Request: can't parse entities")
    outcome, slept = await send(ext_bot(api), lesson())
    assert outcome is Outcome.RETRY and slept.seconds == [] and api.messages(CHAT) == []


async def test_refused_before_writing_is_tried_again() -> None:
    api = StandInBotAPI()
    failing = Failing(api, httpx.ConnectError("refused"), written=False)
    outcome, slept = await send(ext_bot(failing), lesson())
    assert outcome is Outcome.RETRY and slept.seconds == [1.0, 2.0, 4.0, 8.0]
    assert api.messages(CHAT) == []


async def test_a_send_that_may_have_arrived_is_unknown_and_never_resent() -> None:
    api = StandInBotAPI()
    failing = Failing(api, httpx.ReadTimeout("no answer"), written=True)
    outcome, slept = await send(ext_bot(failing), lesson())
    assert outcome is Outcome.UNKNOWN and slept.seconds == []
    assert len(api.calls_to("sendMessage")) == 1, "sent once, not again"


class Limiter(BaseRateLimiter[int]):
    """A rate limiter that lets everything through and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, Any]] = []

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[Any]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[Any]:
        self.asked.append((endpoint, data.get("chat_id")))
        return await callback(*args, **kwargs)


async def test_the_lean_request_passes_the_bots_rate_limiter() -> None:
    api = StandInBotAPI()
    limiter = Limiter()
    outcome, _ = await send(ext_bot(api, limiter), lesson())
    assert outcome is Outcome.SENT
    assert ("sendMessage", CHAT) in limiter.asked
    assert len(api.messages(CHAT)) == 1
