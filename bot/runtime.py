"""Starting the bot for real: services from settings, long polling, a clean stop."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update

from bot.app import build_application, publish_commands, start_ticking
from bot.context import Services
from bot.settings import Settings, SettingsError
from lessons import load_catalog
from scheduler.clock import Clock, SystemClock
from scheduler.store import Store, database_url_from_setting

log = logging.getLogger(__name__)

# Telegram tokens look like "123456789:AAE...": a numeric bot id, a colon, a 35-ish char secret.
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


@asynccontextmanager
async def open_services(database_url: str, clock: Clock) -> AsyncIterator[Services]:
    """Content and store for one run; the store is closed however the run ends."""
    catalog = load_catalog()
    store = await Store.open(database_url_from_setting(database_url))
    try:
        yield Services(store=store, catalog=catalog, clock=clock)
    finally:
        await store.close()


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


def run(settings: Settings) -> int:
    """``softlanding run``: long polling until SIGINT or SIGTERM."""
    try:
        check_token(settings.token)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    asyncio.run(_poll(settings))
    return 0


async def _poll(settings: Settings) -> None:
    async with open_services(settings.database_url, SystemClock()) as services:
        application = build_application(settings, services)
        async with application:
            await publish_commands(application, services.catalog)
            start_ticking(application)
            await application.start()
            assert application.updater is not None  # the builder always makes one
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("polling for updates")
            await _until_stopped()
            await application.updater.stop()
            await application.stop()


async def _until_stopped() -> None:
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
