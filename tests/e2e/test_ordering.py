"""Updates as a running bot takes them (through its update queue, as polling and webhooks
deliver them): one person's slow reply holds no one else's, and each person's updates are
answered in the order they were sent."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.request import RequestData

from bot.app import BotApplication
from bot.context import Services
from bot.runtime import running
from bot.settings import Settings
from bot.standin import BotMessage, StandInBotAPI
from lessons import load_library
from scheduler.clock import ManualClock
from scheduler.store import Store
from tests.e2e.conftest import START

SLOW, OTHER = 6001, 6002


class SlowForOneChat(StandInBotAPI):
    """Telegram taking its time over every message to one chat, until the test says go."""

    def __init__(self, chat_id: int, replies: asyncio.Queue[BotMessage]) -> None:
        super().__init__(on_outgoing=replies.put_nowait)
        self.slow_chat = chat_id
        self.reached = asyncio.Event()
        self.go = asyncio.Event()

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kw: Any
    ) -> tuple[int, bytes]:
        to_slow_chat = request_data is not None and (
            request_data.parameters.get("chat_id") == self.slow_chat
        )
        if url.endswith("/sendMessage") and to_slow_chat:
            self.reached.set()
            await self.go.wait()
        return await super().do_request(url, method, request_data, *args, **kw)


def _command(api: StandInBotAPI, app: BotApplication, chat_id: int, text: str) -> Update:
    sender = {"id": chat_id, "is_bot": False, "first_name": "Sam"}
    api.register_chat({"id": chat_id, "type": "private", "first_name": "Sam"})
    entities = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    message = api.incoming_message(chat_id, sender, {"text": text, "entities": entities})
    return Update.de_json({"update_id": api.next_update_id(), "message": message}, app.bot)


async def test_a_slow_reply_to_one_person_holds_no_one_else_and_keeps_their_order(
    store: Store,
) -> None:
    replies: asyncio.Queue[BotMessage] = asyncio.Queue()
    api = SlowForOneChat(SLOW, replies)
    services = Services(store=store, library=load_library(), clock=ManualClock(START))
    async with running(Settings(), services, request=api) as app:
        try:
            await app.update_queue.put(_command(api, app, SLOW, "/start"))
            await asyncio.wait_for(api.reached.wait(), 10)
            await app.update_queue.put(_command(api, app, SLOW, "/help"))
            await app.update_queue.put(_command(api, app, OTHER, "/help"))

            # Answered while the first person's reply is still on its way.
            overtaking = await asyncio.wait_for(replies.get(), 10)
            assert overtaking.chat_id == OTHER
            assert replies.empty()
        finally:
            # Let the held reply go whatever happened, so the bot can stop in order.
            api.go.set()
        first = await asyncio.wait_for(replies.get(), 10)
        second = await asyncio.wait_for(replies.get(), 10)
    assert (first.chat_id, second.chat_id) == (SLOW, SLOW)
    # The other person asked for /help too: the same text is the /help reply.
    assert first.text != overtaking.text, "the /help reply overtook the /start reply"
    assert second.text == overtaking.text
