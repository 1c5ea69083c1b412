"""kill -9 of a real ``softlanding run`` in the middle of a fan-out, then a restart.

The bot runs as its own process, polling a fake Bot API over HTTP on 127.0.0.1. What
counts is what that server accepted (what Telegram would have delivered) and what the
delivery log says: nobody gets a lesson twice, the only lessons lost are sends that were
in flight when the process died, and every claim whose send had not started yet is
delivered by the process that comes back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler.crypto import read_key_file
from scheduler.store import Store, default_key_file
from tests.faults.conftest import due_lessons
from tests.faults.fake_bot_api import TOKEN, FakeBotAPI

PEOPLE = 80
KILL_AFTER = 20
"""Messages accepted before the kill: a tick claims all 80, then sends them 30 at a time."""
WINDOW = 30
"""Sends in flight at most: the engine's group at the default SEND_RATE of 30."""
BOUND = 60.0
"""Seconds any one wait may take before the test fails instead of hanging."""


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


@contextmanager
def _softlanding_run(folder: Path, api_url: str, database: Path, log: Path) -> Iterator[int]:
    """``softlanding run`` as a child process; yields its pid, and is SIGKILLed if the test
    leaves it running."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DATABASE_", "DELIVERY_", "WEBHOOK_", "SEND_"))
    }
    environment |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api_url,
        "DATABASE_URL": f"sqlite:///{database}",
        # A lease of a second, so the restart can take over the dead claims at once.
        "DELIVERY_LEASE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=folder,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process.pid
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=BOUND)


def _statuses(database: Path) -> dict[int, str]:
    """Each chat's status in today's delivery log, read beside the running bot (whose key
    file, the default one beside the data folder, opens the sealed chat ids)."""
    key = read_key_file(default_key_file(f"sqlite:///{database}"), "DATA_KEY_FILE")
    with sqlite3.connect(database, timeout=BOUND) as connection:
        rows = connection.execute(
            "SELECT subscribers.chat_sealed, deliveries.status FROM deliveries "
            "JOIN subscribers ON subscribers.id = deliveries.subscriber_id"
        ).fetchall()
    return {key.open(sealed): str(status) for sealed, status in rows}


def _prepare(database: Path) -> list[int]:
    async def fill() -> list[int]:
        store = await Store.open(f"sqlite:///{database}")
        try:
            due = datetime.now(UTC) - timedelta(minutes=1)
            return await due_lessons(store, PEOPLE, due=due)
        finally:
            await store.close()

    return asyncio.run(fill())


def test_kill_9_mid_fan_out_then_restart(tmp_path: Path) -> None:
    database = tmp_path / "data" / "softlanding.db"
    chats = _prepare(database)
    log = tmp_path / "run.log"
    api = FakeBotAPI(answer_delay=0.3)
    with api.serving() as url:
        with _softlanding_run(tmp_path, url, database, log) as pid:
            _wait_for(lambda: len(api.accepted) >= KILL_AFTER, "the fan-out to begin")
            os.kill(pid, signal.SIGKILL)
        at_kill = _statuses(database)
        in_flight = {chat for chat, status in at_kill.items() if status == "sending"}
        not_started = {chat for chat, status in at_kill.items() if status == "claimed"}

        with _softlanding_run(tmp_path, url, database, log) as pid:

            def settled() -> bool:
                now = Counter(_statuses(database).values())
                return now == Counter({"sent": PEOPLE - len(in_flight), "sending": len(in_flight)})

            _wait_for(settled, f"the restart to deliver the rest (log: {log})")
            os.kill(pid, signal.SIGTERM)
        received = api.chats()

    assert not_started, "the kill came too late: no claim was left waiting to be sent"
    assert len(in_flight) <= WINDOW
    assert max(received.values()) == 1, "someone got a lesson twice"
    lost = set(chats) - set(received)
    assert lost <= in_flight, "only sends in flight at the kill may be lost"
    assert not_started <= set(received), "a claim not started at the kill was never sent"
    final = _statuses(database)
    assert {chat for chat, status in final.items() if status == "sending"} == in_flight
