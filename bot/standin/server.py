"""The stand-in over HTTP, in a process of its own: the Bot API on 127.0.0.1, for a bot that
reaches it through PTB's real ``HTTPXRequest``, as it reaches Telegram.

The benchmarks use it so that the bot's process is measured, not the stand-in's: in the
same process, reading each message's HTML and keeping every chat takes as long as the bot
takes to send it, and Telegram does that work on its own machines.

    python -m bot.standin.server [--max-per-second N] [--port N]

It prints one JSON line, ``{"port": N}``, once it listens, and serves until stopped. Besides
the Bot API methods (``POST /bot<token>/<method>``, form-encoded as PTB sends them) it
answers ``GET /standin/record``: what it was sent (see ``record``). HTTP/1.1 with
keep-alive, nothing more: no TLS, no chunked bodies, no file uploads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl

from telegram.error import NetworkError
from telegram.request import RequestData

from .api import StandInBotAPI
from .model import JSONDict

TEXT_FIELDS = frozenset(
    {"text", "caption", "parse_mode", "url", "callback_query_id", "inline_query_id", "query"}
)
"""Fields that are always text. Telegram knows each field's type; on the wire every value is
a string, JSON-encoded unless it is one, so anything else is read as JSON where it is."""


class _Form(RequestData):  # type: ignore[misc]  # final for type checkers only
    """A request read off the wire, given to the stand-in as PTB would have built it."""

    __slots__ = ("_values",)

    def __init__(self, values: JSONDict) -> None:
        super().__init__()
        self._values = values

    @property
    def parameters(self) -> JSONDict:
        return self._values


def read_form(body: bytes) -> JSONDict:
    """A form-encoded body as the stand-in's parameters."""
    values: JSONDict = {}
    for name, raw in parse_qsl(body.decode(), keep_blank_values=True):
        values[name] = raw if name in TEXT_FIELDS else _json_or_text(raw)
    return values


def _json_or_text(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def record(api: StandInBotAPI) -> JSONDict:
    """What the stand-in was sent: each message's chat, in order; how many sends carried
    ``allow_paid_broadcast``; and how many flood control refused."""
    return {
        "chats": list(api.sent_to),
        "paid_flags": api.paid_sends,
        "rejected_by_rate_limit": api.rejected_by_rate_limit,
    }


class Server:
    def __init__(self, api: StandInBotAPI) -> None:
        self.api = api

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False once the connection is to close."""
        head = await reader.readuntil(b"\r\n\r\n")
        line, *fields = head.decode("latin-1").split("\r\n")
        method, path, _ = line.split(" ", 2)
        headers = {
            name.strip().lower(): value.strip()
            for name, value in (field.split(":", 1) for field in fields if ":" in field)
        }
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        if path == "/standin/record":
            status, payload = 200, json.dumps(record(self.api)).encode()
        else:
            try:
                status, payload = await self.api.do_request(
                    f"http://127.0.0.1{path}", method, _Form(read_form(body))
                )
            except NetworkError:
                return False  # a fault a test asked for: the connection drops unanswered
        writer.write(
            f"HTTP/1.1 {status} -\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        await writer.drain()
        return headers.get("connection", "").lower() != "close"


async def serve(port: int, max_per_second: float | None) -> None:
    server = Server(StandInBotAPI(max_per_second=max_per_second))
    listening = await asyncio.start_server(server.handle, "127.0.0.1", port)
    bound = listening.sockets[0].getsockname()[1]
    print(json.dumps({"port": bound}), flush=True)
    async with listening:
        await listening.serve_forever()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The Bot API stand-in over HTTP on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--max-per-second", type=float, help="flood control's limit")
    options = parser.parse_args(argv)
    try:
        asyncio.run(serve(options.port, options.max_per_second))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
