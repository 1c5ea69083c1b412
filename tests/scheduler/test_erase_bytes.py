"""An erase leaves no byte of the person in SQLite's files, and says so when it cannot finish.

These read the raw bytes of the database, its write-ahead log and its shared-memory index,
so they run on SQLite only: PostgreSQL's files belong to its server (see README.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from lessons.planner import Answers, ComesWith, Relationship, Verdict, Whose
from scheduler.model import Course, DeliveryStatus, Kind, Reminders
from scheduler.profile import Profile
from scheduler.store import EraseFailedError, Store, database_url_from_setting
from tests.conftest import TEST_KEY

DUE = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)


class Person:
    """Someone whose chat id and zone appear nowhere else, so a byte scan can find them."""

    def __init__(self, chat_id: int, zone: str) -> None:
        self.chat_id = chat_id
        self.zone = zone

    @property
    def invite(self) -> str:
        return f"invite-hash-{self.zone}"

    def stored(self) -> dict[str, bytes]:
        """The bytes the store writes about the person as they are, named for the failure
        message. The chat id is not among them: it is only ever stored sealed."""
        return {"zone": self.zone.encode(), "invite hash": self.invite.encode()}

    def chat_id_traces(self) -> dict[str, bytes]:
        """The chat id in every form a file could hold it: as an integer column (SQLite
        writes it big-endian in the fewest bytes that hold it; these ids need all 8), as a
        little-endian integer, and as decimal text."""
        return chat_id_forms(self.chat_id)

    def traces(self) -> dict[str, bytes]:
        """Every byte string that would betray the person."""
        return {**self.stored(), **self.chat_id_traces()}


def chat_id_forms(chat_id: int) -> dict[str, bytes]:
    return {
        "chat id (8-byte big-endian)": chat_id.to_bytes(8, "big", signed=True),
        "chat id (8-byte little-endian)": chat_id.to_bytes(8, "little", signed=True),
        "chat id (decimal text)": str(chat_id).encode(),
    }


# Beyond 2**47, so that SQLite stores each in the full 8 bytes.
ERASED = Person(0x0DE1_E7ED_0000_0101, "America/Argentina/Ushuaia")
KEPT = (
    Person(0x0CAF_E000_0000_0202, "Pacific/Chatham"),
    Person(-0x0BEE_F000_0000_0303, "Antarctica/Troll"),
    Person(0x0F00_D000_0000_0404, "Asia/Kathmandu"),
)


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
async def sqlite_store(database_file: Path) -> AsyncIterator[Store]:
    opened = await Store.open(database_url_from_setting(f"sqlite:///{database_file}"), TEST_KEY)
    try:
        yield opened
    finally:
        await opened.close()


async def _with_everything(store: Store, person: Person) -> None:
    """A person with a row in every table: settings, course, reminders, deliveries, invite,
    an open check-in, course answers and a tap under a lesson."""
    subscriber = await store.ensure_subscriber(person.chat_id)
    await store.save_subscriber(replace(subscriber, timezone=person.zone))
    await store.save_course(Course(subscriber.id, active=True, position=5, next_due=DUE))
    await store.save_reminders(Reminders(subscriber.id, active=True, routines=("walk",)))
    for day, lesson in ((27, "self-03"), (28, "self-04")):
        await store.log_delivery(
            subscriber.id, Kind.LESSON, date(2026, 3, day), lesson, DeliveryStatus.SENT
        )
    assert await store.create_invite(subscriber.id, person.invite, DUE)
    await store.open_checkin(subscriber.id, DUE)
    async with store.transaction() as tx:
        answers = Answers(Whose.MINE, Relationship.SINGLE, ComesWith.PAIN)
        await tx.save_profile(Profile(subscriber.id, answers, asked=True))
        await tx.set_feedback(subscriber.id, "self-03", Verdict.HELPFUL)


def _files_of(database_file: Path) -> bytes:
    """The bytes of the database and of every file SQLite keeps beside it."""
    parts = [database_file, Path(f"{database_file}-wal"), Path(f"{database_file}-shm")]
    return b"".join(part.read_bytes() for part in parts if part.exists())


def _found(traces: dict[str, bytes], raw: bytes) -> list[str]:
    return [name for name, trace in traces.items() if trace in raw]


async def _everyone(store: Store) -> None:
    for person in (*KEPT[:1], ERASED, *KEPT[1:]):
        await _with_everything(store, person)


async def test_after_an_erase_no_byte_of_the_person_is_left_in_the_files(
    sqlite_store: Store, database_file: Path
) -> None:
    await _everyone(sqlite_store)
    before = _files_of(database_file)
    # The scan can see people: everyone, the erased one included, is there to be found.
    for person in (ERASED, *KEPT):
        assert _found(person.stored(), before) == list(person.stored()), person.zone
        # A copied database names no one: the chat id is sealed, even before any erase.
        assert _found(person.chat_id_traces(), before) == [], person.zone

    assert await sqlite_store.erase(ERASED.chat_id) is True

    after = _files_of(database_file)
    assert _found(ERASED.traces(), after) == []
    for person in KEPT:
        assert _found(person.stored(), after) == list(person.stored()), person.zone
    # The log was emptied, not just left for a later checkpoint.
    assert Path(f"{database_file}-wal").stat().st_size == 0


async def test_every_connection_deletes_securely(sqlite_store: Store) -> None:
    """Upstream SQLite leaves deleted rows in the file unless each connection asks."""
    async with sqlite_store.transaction() as tx:
        result = await tx._connection.exec_driver_sql("PRAGMA secure_delete")
        assert result.scalar_one() == 1


def fill_the_disk_on_erase(database_file: Path) -> None:
    """Make the erase need pages the database may not have: a trigger that writes a large
    row whenever a subscriber is deleted."""
    connection = sqlite3.connect(database_file, isolation_level=None)
    try:
        connection.execute("CREATE TABLE ballast (filler BLOB)")
        connection.execute(
            "CREATE TRIGGER ballast_on_erase AFTER DELETE ON subscribers "
            "BEGIN INSERT INTO ballast VALUES (randomblob(200000)); END"
        )
    finally:
        connection.close()


def cap_at_current_size(dbapi_connection: Any, _record: object) -> None:
    # SQLite raises a cap below the current size to the current size: no page to spare.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA max_page_count=1")
    cursor.close()


async def test_an_erase_on_a_full_disk_raises_erase_failed_and_keeps_the_rows(
    sqlite_store: Store, database_file: Path
) -> None:
    await _everyone(sqlite_store)
    before = await sqlite_store.rows_about(ERASED.chat_id)
    fill_the_disk_on_erase(database_file)
    engine = sqlite_store._engine
    sa.event.listen(engine.sync_engine, "connect", cap_at_current_size)
    await engine.dispose()  # the pooled connections had no cap

    with pytest.raises(EraseFailedError) as failure:
        await sqlite_store.erase(ERASED.chat_id)

    assert failure.value.rows_erased is False
    assert "database or disk is full" in str(failure.value.__cause__)
    assert await sqlite_store.rows_about(ERASED.chat_id) == before
    assert all(count > 0 for count in before.values()), before


async def test_a_reader_holding_the_log_fails_the_erase_until_it_lets_go(
    sqlite_store: Store, database_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows go at once; the log cannot be emptied under a reader's snapshot, and the
    person is told so rather than promised what did not happen. Asking again finishes."""
    monkeypatch.setattr("scheduler.store.connection._CHECKPOINT_BUSY_SECONDS", 0)
    await _everyone(sqlite_store)
    reader = sqlite3.connect(database_file, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM subscribers").fetchone()
        with pytest.raises(EraseFailedError) as failure:
            await sqlite_store.erase(ERASED.chat_id)
        assert failure.value.rows_erased is True
        assert all(count == 0 for count in (await sqlite_store.rows_about(ERASED.chat_id)).values())
        assert _found(ERASED.traces(), _files_of(database_file)) != []
        reader.execute("COMMIT")
    finally:
        reader.close()

    assert await sqlite_store.erase(ERASED.chat_id) is False
    assert _found(ERASED.traces(), _files_of(database_file)) == []


async def test_an_error_that_is_not_the_database_refusing_for_now_is_not_erase_failed(
    sqlite_store: Store, database_file: Path
) -> None:
    """A broken schema is a bug to surface, not something to tell the person to retry."""
    await _with_everything(sqlite_store, ERASED)
    connection = sqlite3.connect(database_file, isolation_level=None)
    try:
        connection.execute("DROP TABLE reminders")
    finally:
        connection.close()
    with pytest.raises(sa.exc.OperationalError, match="no such table"):
        await sqlite_store.erase(ERASED.chat_id)
