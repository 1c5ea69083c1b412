"""Long polling against a Bot API that reports a second process polling the same token:
Telegram answers getUpdates with 409 Conflict for as long as both run."""

from __future__ import annotations

import asyncio
import logging

from telegram.error import Conflict, NetworkError

from bot.context import Services
from bot.runtime import PollingErrors, running
from bot.settings import Settings
from bot.standin import StandInBotAPI
from lessons import load_library
from scheduler.clock import ManualClock
from scheduler.store import Store
from tests.e2e.capture import logging_as_in_a_run
from tests.e2e.conftest import START

CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
NAMED = "another process is polling this token"


async def test_a_second_poller_is_named_in_one_line_and_polling_goes_on(store: Store) -> None:
    services = Services(store=store, library=load_library(), clock=ManualClock(START))
    api = StandInBotAPI()
    api.fail_next("getUpdates", error_code=409, description=CONFLICT, times=2)
    with logging_as_in_a_run("INFO") as (out, keep):
        async with running(Settings(), services, request=api):
            # Two refused calls, then one that succeeds: the other process has gone.
            async with asyncio.timeout(30):
                while len(api.calls_to("getUpdates")) < 3:
                    await asyncio.sleep(0.05)
    named = [r for r in keep.records if NAMED in r.getMessage()]
    assert len(named) == 1 and named[0].levelno == logging.ERROR
    assert [r for r in keep.records if r.exc_text or r.exc_info] == []
    assert out.getvalue().count(NAMED) == 1


def test_a_conflict_that_goes_on_is_named_once_and_again_after_another_error() -> None:
    errors = PollingErrors()
    with logging_as_in_a_run("DEBUG") as (_, keep):
        for _ in range(5):
            errors(Conflict(CONFLICT))
        errors(NetworkError("connection reset"))
        errors(Conflict(CONFLICT))
    lines = [r.getMessage() for r in keep.records if r.name == "bot.runtime"]
    assert [NAMED in line for line in lines] == [True, False, True]
    assert "polling for updates failed (NetworkError)" in lines[1]
    assert not any(r.exc_text for r in keep.records)
