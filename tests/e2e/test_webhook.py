"""Webhook mode over real HTTP on 127.0.0.1: Telegram's POSTs need the secret, ``/healthz``
tells the truth, ``/metrics`` answers only when asked for. The Bot API is the stand-in."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest

from bot.app import OFFLINE_TOKEN, BotApplication
from bot.context import Services
from bot.runtime import StartError, running
from bot.settings import Settings
from bot.standin import BotMessage, StandInBotAPI
from bot.webhook import MAX_BODY, SECRET_HEADER, secret_from_token
from lessons import load_library
from scheduler.clock import ManualClock
from scheduler.store import Store
from tests.e2e.capture import logging_as_in_a_run
from tests.e2e.conftest import START

SECRET = "a-secret-only-telegram-knows"
URL = "https://bot.example.org/telegram"


@dataclass
class Served:
    app: BotApplication
    api: StandInBotAPI
    http: httpx.AsyncClient
    replies: asyncio.Queue[BotMessage]

    def update(self, chat_id: int, text: str) -> dict[str, object]:
        """An update as Telegram would POST it: a person typing a command."""
        sender = {"id": chat_id, "is_bot": False, "first_name": "Sam"}
        self.api.register_chat({"id": chat_id, "type": "private", "first_name": "Sam"})
        message = self.api.incoming_message(
            chat_id,
            sender,
            {"text": text, "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]},
        )
        return {"update_id": self.api.next_update_id(), "message": message}


@contextmanager
def _ephemeral_socket() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock
    finally:
        sock.close()


@pytest.fixture
def listening() -> Iterator[socket.socket]:
    """A socket on an ephemeral port of 127.0.0.1, for the server to take over."""
    with _ephemeral_socket() as sock:
        yield sock


async def _serve(
    store: Store, sock: socket.socket, *, metrics: bool, secret: str | None = SECRET
) -> AsyncIterator[Served]:
    replies: asyncio.Queue[BotMessage] = asyncio.Queue()
    api = StandInBotAPI(on_outgoing=replies.put_nowait)
    clock = ManualClock(START)
    services = Services(store=store, library=load_library(), clock=clock)
    settings = Settings(
        webhook_url=URL, webhook_secret=secret, metrics=metrics, webhook_listen="127.0.0.1"
    )
    port = sock.getsockname()[1]
    async with (
        running(settings, services, request=api, sockets=[sock]) as app,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
    ):
        yield Served(app, api, http, replies)


@pytest.fixture
async def served(store: Store, listening: socket.socket) -> AsyncIterator[Served]:
    async for running_bot in _serve(store, listening, metrics=False):
        yield running_bot


@pytest.fixture
async def served_with_metrics(store: Store, listening: socket.socket) -> AsyncIterator[Served]:
    async for running_bot in _serve(store, listening, metrics=True):
        yield running_bot


async def test_telegram_is_told_the_url_and_the_secret(served: Served) -> None:
    [call] = served.api.calls_to("setWebhook")
    assert call.params["url"] == URL
    assert call.params["secret_token"] == SECRET
    # Blocking and unblocking the bot reach it only as my_chat_member updates.
    assert "my_chat_member" in call.params["allowed_updates"]


async def test_an_update_without_the_secret_is_refused_and_never_processed(
    served: Served,
) -> None:
    stranger = await served.http.post("/telegram", json=served.update(5001, "/start"))
    assert stranger.status_code == 403
    wrong = await served.http.post(
        "/telegram", json=served.update(5002, "/start"), headers={SECRET_HEADER: "guess"}
    )
    assert wrong.status_code == 403

    right = await served.http.post(
        "/telegram", json=served.update(5003, "/start"), headers={SECRET_HEADER: SECRET}
    )
    assert right.status_code == 200
    reply = await asyncio.wait_for(served.replies.get(), timeout=10)
    assert reply.chat_id == 5003
    # Different chats are processed side by side: wait until everything that went into the
    # queue is done, so a refused update that had slipped in would have been answered too.
    await asyncio.wait_for(served.app.update_queue.join(), timeout=10)
    assert served.api.messages(5001) == [] and served.api.messages(5002) == []


async def test_without_a_configured_secret_every_start_uses_one_derived_from_the_token(
    store: Store,
) -> None:
    derived = secret_from_token(OFFLINE_TOKEN)
    with logging_as_in_a_run("DEBUG") as (out, keep):
        for start_number in (1, 2):
            with _ephemeral_socket() as sock:
                async for served in _serve(store, sock, metrics=False, secret=None):
                    [call] = served.api.calls_to("setWebhook")
                    assert call.params["secret_token"] == derived, start_number
                    chat_id = 5100 + start_number
                    answered = await served.http.post(
                        "/telegram",
                        json=served.update(chat_id, "/start"),
                        headers={SECRET_HEADER: derived},
                    )
                    assert answered.status_code == 200
                    reply = await asyncio.wait_for(served.replies.get(), timeout=10)
                    assert reply.chat_id == chat_id
    assert keep.records, "nothing was logged: the scan would prove nothing"
    assert not keep.leaks(derived)
    assert derived not in out.getvalue()


async def test_healthz_is_ok_while_the_bot_runs_and_the_store_answers(
    served: Served, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok = await served.http.get("/healthz")
    assert (ok.status_code, ok.text) == (200, "ok")

    async def dead() -> bool:
        return False

    monkeypatch.setattr(store, "ping", dead)
    assert (await served.http.get("/healthz")).status_code == 503


async def test_healthz_is_unavailable_once_the_bot_has_stopped(served: Served) -> None:
    await served.app.stop()
    assert (await served.http.get("/healthz")).status_code == 503
    await served.app.start()  # so the fixture can stop it in order


async def test_metrics_are_off_unless_asked_for(served: Served) -> None:
    assert (await served.http.get("/metrics")).status_code == 404


async def test_metrics_count_updates_and_read_the_backlog(served_with_metrics: Served) -> None:
    served = served_with_metrics
    await served.http.post(
        "/telegram", json=served.update(5004, "/start"), headers={SECRET_HEADER: SECRET}
    )
    await asyncio.wait_for(served.replies.get(), timeout=10)
    page = await served.http.get("/metrics")
    assert page.status_code == 200
    assert "softlanding_updates_handled_total 1" in page.text.splitlines()
    assert "softlanding_due_backlog 0" in page.text.splitlines()
    assert 'softlanding_deliveries_sent_total{kind="lesson"} 0' in page.text
    assert "softlanding_tick_seconds_count" in page.text


async def test_a_port_in_use_stops_start_up_with_one_line(
    store: Store, listening: socket.socket
) -> None:
    listening.listen()
    port = listening.getsockname()[1]
    services = Services(store=store, library=load_library(), clock=ManualClock(START))
    settings = Settings(
        webhook_url=URL, webhook_secret=SECRET, webhook_listen="127.0.0.1", webhook_port=port
    )
    with pytest.raises(StartError, match=f"cannot listen on 127.0.0.1:{port}"):
        async with running(settings, services, request=StandInBotAPI()):
            pass


async def test_a_url_telegram_refuses_stops_start_up_with_one_line(
    store: Store, listening: socket.socket
) -> None:
    api = StandInBotAPI()
    api.fail_next(
        "setWebhook", error_code=400, description="Bad Request: bad webhook: Failed to resolve host"
    )
    services = Services(store=store, library=load_library(), clock=ManualClock(START))
    settings = Settings(webhook_url=URL, webhook_secret=SECRET, webhook_listen="127.0.0.1")
    with pytest.raises(StartError, match="WEBHOOK_URL: Telegram would not use it"):
        async with running(settings, services, request=api, sockets=[listening]):
            pass


async def _raw_post(served: Served, headers: list[str], body: bytes) -> int:
    """POST what an HTTP client would not send by itself; the status Telegram's side sees.
    Only what is given is sent: a body cut short is left waiting, never finished."""
    reader, writer = await asyncio.open_connection("127.0.0.1", served.http.base_url.port)
    head = ["POST /telegram HTTP/1.1", "Host: 127.0.0.1", f"{SECRET_HEADER}: {SECRET}", *headers]
    try:
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        # Hanging up ends a request the server is still reading, so it can stop in order.
        writer.close()
        await writer.wait_closed()
    return int(status_line.split()[1])


async def test_a_body_declared_over_the_limit_is_refused_before_any_of_it_arrives(
    served: Served,
) -> None:
    # The body is never sent: an answer at all shows the server did not wait to read it.
    status = await _raw_post(served, [f"Content-Length: {MAX_BODY + 1}"], b"")
    assert status == 413


async def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(served: Served) -> None:
    piece = b"x" * (64 * 1024)
    chunks = [piece] * (MAX_BODY // len(piece)) + [b"x"]
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks)
    # No closing zero-length chunk: the body never ends, so only counting can refuse it.
    status = await _raw_post(served, ["Transfer-Encoding: chunked"], body)
    assert status == 413


async def test_a_chunked_update_within_the_limit_is_taken(served: Served) -> None:
    raw = json.dumps(served.update(5201, "/start")).encode()

    async def in_two_pieces() -> AsyncIterator[bytes]:
        yield raw[:10]
        yield raw[10:]

    answered = await served.http.post(
        "/telegram", content=in_two_pieces(), headers={SECRET_HEADER: SECRET}
    )
    assert answered.status_code == 200
    assert (await asyncio.wait_for(served.replies.get(), timeout=10)).chat_id == 5201


NOT_UPDATES = [
    b"null",
    b"42",
    b"[]",
    b'"an update"',
    b"{}",
    b'{"update_id": "7"}',
    b'{"update_id": true}',
    b"not json at all",
    b"\xff\xfe\x00",
    b"",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"update_id": 1, "message": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}",
    b'{"update_id": 1, "message": 42}',
    b'{"update_id": 1, "message": {"chat": "x"}}',
    b'{"update_id": 1, "callback_query": []}',
    b'{"update_id": 1, "message": {"message_id": "x", "date": "y", "chat": {"id": "z"}}}',
]


async def test_what_is_not_an_update_gets_400_and_leaves_no_trace_in_the_log(
    served: Served,
) -> None:
    with logging_as_in_a_run("DEBUG") as (_, keep):
        for body in NOT_UPDATES:
            answered = await served.http.post(
                "/telegram",
                content=body,
                headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
            )
            assert answered.status_code == 400, body[:60]
        # The bot still answers, and nothing refused went in before this update.
        good = await served.http.post(
            "/telegram", json=served.update(5202, "/start"), headers={SECRET_HEADER: SECRET}
        )
        assert good.status_code == 200
        assert (await asyncio.wait_for(served.replies.get(), timeout=10)).chat_id == 5202
        await asyncio.wait_for(served.app.update_queue.join(), timeout=10)
    assert served.replies.empty()
    troubles = [r for r in keep.records if r.levelno >= logging.WARNING or r.exc_text]
    assert troubles == [], [r.getMessage() for r in troubles]
