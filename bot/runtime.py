"""Starting the bot for real: checked settings, services, polling or a webhook, a clean stop."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.request import BaseRequest

from bot import logs
from bot.app import (
    ALLOWED_UPDATES,
    BotApplication,
    build_application,
    publish_commands,
    start_ticking,
)
from bot.context import Services, engine_of
from bot.keys import data_key_for, pending_rotation
from bot.settings import Settings, SettingsError
from bot.webhook import serving, web_app, webhook_path, webhook_secret
from lessons import load_library
from scheduler.clock import Clock, SystemClock
from scheduler.crypto import DataKeyError
from scheduler.delivery import Sender
from scheduler.store import Store, StoreConfigError, WrongDataKeyError, database_url_from_setting

log = logging.getLogger(__name__)

# Telegram tokens look like "123456789:AAE...": a numeric bot id, a colon, a 35-ish char secret.
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


@asynccontextmanager
async def open_services(
    settings: Settings, database_url: str, clock: Clock
) -> AsyncIterator[Services]:
    """Content and store for one run; the store is closed however the run ends."""
    library = load_library()
    try:
        key = data_key_for(settings, database_url)
        store = await Store.open(database_url_from_setting(database_url), key)
    except WrongDataKeyError as error:
        pending = pending_rotation(settings, database_url)
        hint = f" ({pending} holds the key of a rotation that did not finish)" if pending else ""
        raise StartError(f"{error}{hint}") from None
    except DataKeyError as error:
        raise StartError(str(error)) from None
    except (OSError, SQLAlchemyError) as error:
        raise StartError(
            f"DATABASE_URL: the database did not answer ({type(error).__name__}); "
            "check the address, the password and that the server is running"
        ) from None
    try:
        yield Services(store=store, library=library, clock=clock)
    finally:
        await store.close()


class StartError(RuntimeError):
    """Start-up failed for a reason outside the code (database, Telegram): one line, safe to
    print (never the token or a password)."""


def check_token(token: str | None) -> str:
    if token is None:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment "
            "or a .env file, or try the bot locally without one: softlanding chat"
        )
    if not _TOKEN.match(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token: expected digits, a colon "
            "and a long secret, as @BotFather gives it"
        )
    return token


def check_database(setting: str) -> None:
    """A usable ``DATABASE_URL``; for SQLite, a data folder this user can write to."""
    try:
        url = database_url_from_setting(setting)
    except StoreConfigError as error:
        raise SettingsError(str(error)) from None
    except OSError as error:
        raise SettingsError(
            f"DATABASE_URL: the data folder cannot be created ({error.strerror}); "
            "point it at a folder this user may write to"
        ) from None
    if url.startswith("sqlite"):
        folder = Path(url.partition(":///")[2]).parent
        if not os.access(folder, os.W_OK | os.X_OK):
            raise SettingsError(
                f"DATABASE_URL: the data folder {folder} is not writable by this user; "
                "fix its owner or point DATABASE_URL at a folder that is"
            )


def checked(settings: Settings, *, webhook: bool) -> Settings:
    """The settings a real run needs, or a SettingsError naming the first problem."""
    check_token(settings.token)
    check_database(settings.database_url)
    if webhook and settings.webhook_url is None:
        raise SettingsError(
            "--webhook needs WEBHOOK_URL: the public https:// address Telegram should post "
            "updates to, such as https://bot.example.org/telegram"
        )
    return settings


def run(settings: Settings, *, webhook: bool = False) -> int:
    """``softlanding run``: long polling, or a webhook, until SIGINT or SIGTERM."""
    webhook = webhook or settings.webhook_url is not None
    try:
        checked(settings, webhook=webhook)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    assert settings.token is not None  # checked above
    secret = webhook_secret(settings.webhook_secret, settings.token)
    logs.configure(settings.log_level, settings.log_format, settings.token, secrets=[secret])
    try:
        asyncio.run(_serve(settings))
    except StartError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def keep_loaded_out_of_collections() -> None:
    """Leave what start-up loaded (modules, the lesson library: about 130,000 objects, all
    kept for the life of the process) out of Python's full garbage collections. Each would
    otherwise walk them all, pausing the event loop for about 70 ms, and every send with it:
    at paid broadcast's rate, 70 messages' worth each time."""
    gc.freeze()


async def _serve(settings: Settings) -> None:
    async with open_services(settings, settings.database_url, SystemClock()) as services:
        keep_loaded_out_of_collections()
        async with running(settings, services):
            await until_stopped()
        log.info("stopped cleanly")


@asynccontextmanager
async def running(
    settings: Settings,
    services: Services,
    *,
    request: BaseRequest | None = None,
    sockets: list[socket.socket] | None = None,
    sender: Sender | None = None,
) -> AsyncIterator[BotApplication]:
    """The bot taking updates (by webhook when ``WEBHOOK_URL`` is set, else by polling) and
    ticking, while the block runs. Leaving it stops in order: no more updates, the delivery
    in flight finished and the rest of its batch given back, then the application."""
    application = build_application(settings, services, request=request, sender=sender)
    try:
        await application.initialize()
    except InvalidToken:
        raise StartError(
            "TELEGRAM_BOT_TOKEN was refused by Telegram: copy it again from @BotFather"
        ) from None
    except NetworkError as error:
        raise StartError(f"Telegram could not be reached at start ({error.message})") from None
    async with application:
        await publish_commands(application, services.library)
        start_ticking(application)
        await application.start()
        try:
            async with AsyncExitStack() as receiving:
                if settings.webhook_url is not None:
                    await _receive_by_webhook(application, settings, services, receiving, sockets)
                else:
                    await _receive_by_polling(application, receiving)
                yield application
        finally:
            await engine_of(application).stop()
            await application.stop()


async def _receive_by_polling(application: BotApplication, receiving: AsyncExitStack) -> None:
    updater = application.updater
    assert updater is not None  # the builder always makes one
    await updater.start_polling(allowed_updates=ALLOWED_UPDATES, error_callback=PollingErrors())
    receiving.push_async_callback(updater.stop)
    log.info("polling for updates")


class PollingErrors:
    """What polling meets, in one line each instead of PTB's traceback per failed call.

    PTB calls this for every TelegramError from getUpdates (not for timeouts and flood waits,
    which it handles itself), then tries again, waiting up to 30 s between tries. A second
    process polling the same token makes every call fail with 409 Conflict for as long as
    both run: that is named once, and again only after some other error came between.
    """

    def __init__(self) -> None:
        self._in_conflict = False

    def __call__(self, error: TelegramError) -> None:
        if isinstance(error, Conflict):
            if not self._in_conflict:
                log.error(
                    "another process is polling this token (Telegram answered 409 Conflict): "
                    "updates go to one of them at random; stop the other one"
                )
            self._in_conflict = True
            return
        self._in_conflict = False
        log.warning("polling for updates failed (%s); trying again", type(error).__name__)


async def _receive_by_webhook(
    application: BotApplication,
    settings: Settings,
    services: Services,
    receiving: AsyncExitStack,
    sockets: list[socket.socket] | None,
) -> None:
    assert settings.webhook_url is not None
    path = webhook_path(settings.webhook_url)
    secret = webhook_secret(settings.webhook_secret, application.bot.token)
    app = web_app(
        application,
        services.store,
        services.clock,
        path=path,
        secret=secret,
        metrics=settings.metrics,
    )
    try:
        await receiving.enter_async_context(
            serving(app, settings.webhook_listen, settings.webhook_port, sockets)
        )
    except OSError as error:
        raise StartError(
            f"WEBHOOK_LISTEN, WEBHOOK_PORT: {error}; is another process using that port?"
        ) from None
    try:
        await application.bot.set_webhook(
            settings.webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    except TelegramError as error:
        raise StartError(f"WEBHOOK_URL: Telegram would not use it ({error.message})") from None
    log.info("serving webhooks at %s on port %s", path, settings.webhook_port)


async def until_stopped() -> None:
    """Wait for SIGTERM (as ``docker stop`` sends) or SIGINT (Ctrl-C)."""
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, stopped.set)
    try:
        await stopped.wait()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
    log.info("stopping: no more updates, finishing the delivery in flight")
