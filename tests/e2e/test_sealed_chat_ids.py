"""A leaked database names no one: after a whole session (start, daily lessons delivered, a
partner link, reminders, an export) no chat id is anywhere in the database, in any form."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from scheduler.model import Recipient
from scheduler.tables import metadata
from tests.e2e.conftest import START, Harness, choose_lessons, choose_reminders
from tests.e2e.test_partner import invite_link
from tests.scheduler.test_erase_bytes import chat_id_forms

# Distinctive and beyond 2**47 (a plain SQLite integer would take all 8 bytes), so no byte
# string of theirs turns up by chance.
ALEX = 0x0009_ABCD_EF01_2345
SAM = 0x000C_1234_5678_9ABC


async def _session(harness: Harness) -> None:
    alex, sam = harness.person(ALEX, "Alex"), harness.person(SAM, "Sam")
    await alex.send("/start")
    await choose_lessons(alex, at="20:00", zone="Europe/Berlin")
    await choose_reminders(alex, "21:30", "A short walk", zone="Europe/Berlin")
    payload = await invite_link(alex)
    await sam.send(f"/start {payload}")
    await choose_lessons(sam, at="20:00", zone="Europe/London")
    # 20:00 in Berlin, then in London, then Alex's reminder: each delivered by a tick.
    for hour, minute in ((19, 0), (20, 0), (20, 30)):
        harness.clock.set(START.replace(hour=hour, minute=minute))
        await harness.tick()
    *_, document = await alex.send("/export")  # the readable text, then the JSON file
    assert json.loads(document.document_bytes or b"")["subscribers"][0]["chat_id"] == ALEX


async def _every_value(harness: Harness) -> list[object]:
    async with harness.services.store.transaction() as tx:
        values: list[object] = []
        for table in metadata.sorted_tables:
            rows = await tx._connection.execute(sa.select(table))
            values.extend(value for row in rows for value in row)
        return values


def _named(values: list[object], *chat_ids: int) -> list[int]:
    found = []
    for chat_id in chat_ids:
        forms = chat_id_forms(chat_id).values()
        for value in values:
            raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            if value == chat_id or any(form in raw for form in forms):
                found.append(chat_id)
    return found


def _files(harness: Harness) -> bytes:
    database = Path(str(harness.services.store._engine.url.database))
    parts = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return b"".join(part.read_bytes() for part in parts if part.exists())


async def test_after_a_whole_session_no_chat_id_is_stored_in_any_form(harness: Harness) -> None:
    await _session(harness)
    # The session really happened: Alex's lesson and reminder, and Sam's lesson, went out.
    store = harness.services.store
    for chat_id, sent, partner in ((ALEX, 2, SAM), (SAM, 1, ALEX)):
        person = await store.find_subscriber(chat_id)
        assert person is not None and await store.delivery_count(person.id) == sent
        assert await store.partner_chat(person.id) == Recipient(partner)

    assert _named(await _every_value(harness), ALEX, SAM) == []
    if harness.services.store._engine.dialect.name == "sqlite":
        raw = _files(harness)
        assert raw, "the scan read the database files"
        for chat_id in (ALEX, SAM):
            assert [name for name, form in chat_id_forms(chat_id).items() if form in raw] == []
