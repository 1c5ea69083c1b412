"""Webhook mode's HTTP side: a small Starlette app served by uvicorn in the bot's process.

It answers three things: Telegram's POSTs, ``GET /healthz`` for a load balancer or Docker,
and ``GET /metrics`` when ``METRICS`` is on. A POST is refused, and never reaches a handler,
with 403 without the secret header Telegram was given in ``setWebhook`` (before anything is
read), 413 for a body over ``MAX_BODY`` (judged by Content-Length before reading, and counted
while reading, for a chunked one) and 400 for anything but a JSON object that is an Update.
Refusals are ordinary answers: nothing is logged for them.

Without ``WEBHOOK_SECRET`` the secret is derived from the token (``secret_from_token``): every
start, and every process sharing the token, agrees on it, so it never needs to be printed or
written anywhere. Whoever could derive it holds the token already, and with it the whole bot.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import socket
from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.metrics import metrics_of
from scheduler.clock import Clock
from scheduler.store import Store

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's largest updates (long messages with entities, big inline results) are far below.
MAX_BODY = 1024 * 1024
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
# Changing it changes every derived secret; the next start tells Telegram the new one.
_SECRET_LABEL = b"soft-landing webhook secret v1"


def webhook_secret(configured: str | None, token: str) -> str:
    """``WEBHOOK_SECRET`` if it is set, else the one derived from the token."""
    return configured or secret_from_token(token)


def secret_from_token(token: str) -> str:
    """A webhook secret only the token's holder can compute: HMAC-SHA256 of a fixed label,
    keyed with the token, in URL-safe base64 (Telegram allows A-Z, a-z, 0-9, _ and -)."""
    digest = hmac.new(token.encode(), _SECRET_LABEL, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def webhook_path(url: str) -> str:
    """Where Telegram's POSTs arrive: the path of ``WEBHOOK_URL``, as a proxy passes it on."""
    return urlsplit(url).path or "/"


def web_app(
    application: AnyApplication,
    store: Store,
    clock: Clock,
    *,
    path: str,
    secret: str,
    metrics: bool,
) -> Starlette:
    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return Response(status_code=403)
        try:
            body = await _read_body(request, MAX_BODY)
        except _BodyRefusedError as refused:
            return Response(status_code=refused.status)
        update = _parse_update(body, application)
        if update is None:
            return Response(status_code=400)
        await application.update_queue.put(update)
        metrics_of(application).updates_handled += 1
        return Response()

    async def healthz(request: Request) -> Response:
        healthy = application.running and await store.ping()
        return PlainTextResponse("ok" if healthy else "unavailable", 200 if healthy else 503)

    async def scrape(request: Request) -> Response:
        backlog = await store.due_backlog(clock.now())
        return PlainTextResponse(
            metrics_of(application).render(backlog), media_type="text/plain; version=0.0.4"
        )

    routes = [
        Route(path, receive, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    if metrics:
        routes.append(Route("/metrics", scrape, methods=["GET"]))
    return Starlette(routes=routes)


class _BodyRefusedError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, read only while it stays within ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise _BodyRefusedError(400)
        if int(declared) > limit:
            raise _BodyRefusedError(413)
    # A chunked body declares no length: count it as it arrives.
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyRefusedError(413)
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_update(body: bytes, application: AnyApplication) -> Update | None:
    """The Update in ``body``, or None for anything else (not JSON, not an object, no
    integer update_id, fields of the wrong shape, nesting too deep to parse)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return None
    try:
        return Update.de_json(data, application.bot)
    # Fields of the wrong type fail deep inside PTB's parsing with whatever error that type
    # happens to meet (TypeError, AttributeError, KeyError...): each one means "not an Update".
    except Exception:
        return None


class _Server(uvicorn.Server):
    @contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The runtime owns SIGTERM and SIGINT, so it can stop the parts in order.
        yield


async def _serve(server: uvicorn.Server, sockets: list[socket.socket] | None) -> None:
    # uvicorn logs why it cannot start (a port in use, say) and calls sys.exit, which an
    # asyncio task would pass straight out of the event loop: ``serving`` reports it instead.
    with suppress(SystemExit):
        await server.serve(sockets=sockets)


@asynccontextmanager
async def serving(
    app: Starlette, host: str, port: int, sockets: list[socket.socket] | None = None
) -> AsyncIterator[None]:
    """Serve ``app`` while the block runs; on leaving, stop taking requests and finish the
    ones in progress. ``sockets`` (already bound) replace ``host`` and ``port``."""
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, lifespan="off"
    )
    server = _Server(config)
    task = asyncio.create_task(_serve(server, sockets))
    while not server.started:
        if task.done():
            raise OSError(f"cannot listen on {host}:{port}")
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        await task
