"""The stand-in over HTTP (``bot.standin.server``): a bot using PTB's real HTTPXRequest
sends through it as through the in-process stand-in, and its record says what arrived."""

from __future__ import annotations

import asyncio

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden
from telegram.request import HTTPXRequest

from bot.standin import StandInBotAPI
from bot.standin.server import Server, read_form

TOKEN = "1000000:standin-server"


def test_a_form_reads_back_as_the_values_ptb_encoded() -> None:
    body = (
        b"chat_id=42&text=123&disable_notification=true&parse_mode=HTML"
        b"&reply_markup=%7B%22inline_keyboard%22%3A+%5B%5D%7D&allow_paid_broadcast=true"
    )
    assert read_form(body) == {
        "chat_id": 42,
        "text": "123",
        "disable_notification": True,
        "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": []},
        "allow_paid_broadcast": True,
    }


async def test_a_bot_over_http_sends_and_the_record_shows_it() -> None:
    api = StandInBotAPI()
    listening = await asyncio.start_server(Server(api).handle, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="les:next")]])
    try:
        async with Bot(TOKEN, base_url=f"{url}/bot", request=HTTPXRequest()) as bot:
            sent = await bot.send_message(7, "<b>Hello</b>", parse_mode="HTML", reply_markup=markup)
            await bot.send_message(8, "again", allow_paid_broadcast=True)
            api.block(9)
            try:
                await bot.send_message(9, "blocked")
            except Forbidden:
                blocked = True
        async with httpx.AsyncClient() as client:
            record = (await client.get(f"{url}/standin/record")).json()
    finally:
        # The clients closed their connections: let the server see them end first.
        await asyncio.sleep(0.1)
        listening.close()
        await listening.wait_closed()
    assert sent.text == "Hello" and blocked
    assert api.messages(7)[0].labels == ["Next"]
    assert record == {"chats": [7, 8], "paid_flags": 1, "rejected_by_rate_limit": 0}
