"""A Bot API over real HTTP on 127.0.0.1, with faults injected per chat.

Unlike ``bot.standin`` (a PTB request object in the same process), this is a socket: the
bot reaches it through PTB's real HTTPXRequest, so timeouts, refused and dropped
connections happen exactly as with Telegram. It runs in a thread of the test process, so a
bot in another process (``softlanding run``) can use it too.

``accepted`` is what Telegram would have delivered: a message is recorded the moment its
request arrives, before any answer, as Telegram delivers before it answers.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

TOKEN = "123456789:AAEfaultsfaultsfaultsfaultsfaults_-"
BACKLOG = 256
"""Connections the listening socket holds before they are accepted. ``socketserver``'s
default of 5 is far below what a bot opening a group of 30 connections at once needs: past
it Linux drops the handshake's last packet, answers with a SYN cookie, and some of those
connections, already written to, are reset before the server ever reads them, so the bot
records a message the server never saw as "may have reached Telegram". Telegram's servers
listen with a backlog in the hundreds or more (nginx: 511), as this one now does."""


class Fault(StrEnum):
    STALL = "stall"
    """Accept the message, then hold the answer until ``release`` (or the server stops)."""
    DROP = "drop"
    """Accept the message, then close the connection without answering."""
    RESET = "reset"
    """Accept the message, then reset the connection (TCP RST) without answering."""
    TOO_MANY = "429"
    """Refuse with 429 and ``retry_after`` 1: nothing delivered."""
    SERVER_ERROR = "500"
    """Answer 500 Internal Server Error: nothing delivered."""
    BLOCKED = "403"
    """Answer 403: the person blocked the bot."""


@dataclass
class FakeBotAPI:
    answer_delay: float = 0.0
    """Seconds every sendMessage waits after accepting, before it answers."""
    release_after: int | None = None
    """Let stalled answers go once this many messages were accepted in all."""
    accepted: list[tuple[int, str]] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    """Every request by method, including refused ones."""
    _faults: dict[int, deque[Fault]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _released: threading.Event = field(default_factory=threading.Event)
    _connections: set[socket.socket] = field(default_factory=set)

    # --- control, from the test -------------------------------------------------------------

    def fail(self, chat_id: int, *faults: Fault) -> None:
        """The next sendMessage calls to ``chat_id`` meet these faults, in order."""
        with self._lock:
            self._faults.setdefault(chat_id, deque()).extend(faults)

    def release(self) -> None:
        """Let every stalled answer go, now and from now on."""
        self._released.set()

    def chats(self) -> Counter[int]:
        """How many messages each chat was delivered."""
        with self._lock:
            return Counter(chat for chat, _ in self.accepted)

    @contextmanager
    def serving(self, port: int = 0) -> Iterator[str]:
        """Listen on 127.0.0.1 (``port`` 0: any free one) while the block runs; yields the
        server address to give the bot as its API base URL."""
        server = _Server(("127.0.0.1", port), _handler_for(self))
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            self._released.set()
            server.shutdown()
            server.server_close()
            # Kept-alive connections too: a server that is gone answers nothing at all.
            with self._lock:
                for connection in self._connections:
                    with suppress(OSError):
                        connection.shutdown(socket.SHUT_RDWR)
                self._connections.clear()
            thread.join(timeout=5)
            self._released.clear()

    # --- the Bot API --------------------------------------------------------------------------

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | Fault:
        """The status and JSON body for one call, or the fault (DROP or RESET) that ends
        the connection unanswered."""
        with self._lock:
            self.requests[method] += 1
        if method == "getUpdates":
            time.sleep(0.2)  # a short long poll: nothing ever arrives
            return 200, {"ok": True, "result": []}
        if method == "getMe":
            return 200, {"ok": True, "result": _BOT_USER}
        if method != "sendMessage":
            return 200, {"ok": True, "result": True}
        return self._send_message(int(params["chat_id"]), str(params.get("text", "")))

    def _send_message(self, chat_id: int, text: str) -> tuple[int, dict[str, Any]] | Fault:
        with self._lock:
            pending = self._faults.get(chat_id)
            fault = pending.popleft() if pending else None
            refused = _REFUSALS.get(fault) if fault is not None else None
            if refused is None:
                self.accepted.append((chat_id, text))
                number = len(self.accepted)
                if self.release_after is not None and number >= self.release_after:
                    self._released.set()
        if refused is not None:
            return refused
        if fault in (Fault.DROP, Fault.RESET):
            return fault
        if fault is Fault.STALL:
            self._released.wait(timeout=30)
        elif self.answer_delay:
            time.sleep(self.answer_delay)
        message = {
            "message_id": number,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Alex"},
            "text": text,
        }
        return 200, {"ok": True, "result": message}


_BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Soft Landing",
    "username": "SoftLandingBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
_REFUSALS: dict[Fault, tuple[int, dict[str, Any]]] = {
    Fault.TOO_MANY: (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    ),
    Fault.SERVER_ERROR: (
        500,
        {"ok": False, "error_code": 500, "description": "Internal Server Error"},
    ),
    Fault.BLOCKED: (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    ),
}


_NO_LINGER = struct.pack("ii", 1, 0)


class _Server(ThreadingHTTPServer):
    request_queue_size = BACKLOG


def _handler_for(api: FakeBotAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as PTB's connection pool expects

        def setup(self) -> None:
            super().setup()
            with api._lock:
                api._connections.add(self.connection)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            method = self.path.rsplit("/", 1)[-1]
            answer = api.answer(method, _params(self.headers.get("Content-Type", ""), body))
            if answer is Fault.RESET:
                # Closed here with a zero linger: a reset, not the orderly end that
                # socketserver's own shutdown would send first.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _NO_LINGER)
                self.connection.close()
            if isinstance(answer, Fault):
                self.close_connection = True
                return
            status, payload = answer
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                self.close_connection = True  # the client gave up waiting: a timeout

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read the record, not a log."""

    return Handler


def _params(content_type: str, body: bytes) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        loaded: dict[str, Any] = json.loads(body or b"{}")
        return loaded
    return {key: values[0] for key, values in parse_qs(body.decode()).items()}
