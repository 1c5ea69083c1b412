"""The store and its data key, on every backend: chat ids stored only sealed, another key
refused at open, a rotation that seals everyone again at once, and a database from before
sealing migrated in place with everyone still reachable."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import create_async_engine

from scheduler.crypto import DataKey, DataKeyError
from scheduler.model import Course, DeliveryStatus, Kind, Recipient
from scheduler.store import Store, WrongDataKeyError
from scheduler.store.connection import _MIGRATIONS, make_engine
from scheduler.tables import metadata, subscribers
from tests.conftest import TEST_KEY
from tests.scheduler.test_erase_bytes import chat_id_forms

NEW_KEY = DataKey(bytes(range(100, 132)))
# Distinctive, one negative, and beyond 2**47, so that SQLite would need all 8 bytes for
# each as a plain integer (it writes an integer in the fewest bytes that hold it).
PEOPLE = (0x0009_ABCD_EF01_2345, -0x000A_FEDC_BA98_7654, 0x000C_1234_5678_9ABC)
DUE = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)
LANGUAGES = ("es", "en", "es")


async def _people(store: Store) -> list[int]:
    ids = []
    for chat_id, language in zip(PEOPLE, LANGUAGES, strict=True):
        person = await store.ensure_subscriber(chat_id, language)
        await store.save_course(Course(person.id, active=True, position=3, next_due=DUE))
        ids.append(person.id)
    assert await store.create_invite(ids[0], "invite-hash", DUE)
    joined = await store.join_invite("invite-hash", ids[1], DUE.replace(hour=10))
    assert joined == Recipient(PEOPLE[0], LANGUAGES[0])
    return ids


async def _every_value(url: str) -> list[object]:
    """Every value of every row of every table, as the database hands them out."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            values: list[object] = []
            for table in metadata.sorted_tables:
                rows = await connection.execute(sa.select(table))
                values.extend(value for row in rows for value in row)
            return values
    finally:
        await engine.dispose()


def _names_someone(values: list[object]) -> list[int]:
    found = []
    for chat_id in PEOPLE:
        forms = chat_id_forms(chat_id).values()
        for value in values:
            raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            if value == chat_id or any(form in raw for form in forms):
                found.append(chat_id)
    return found


async def test_no_row_holds_a_chat_id_and_everyone_is_found_by_it(database_url: str) -> None:
    store = await Store.open(database_url, TEST_KEY)
    try:
        ids = await _people(store)
        assert _names_someone(await _every_value(database_url)) == []
        for chat_id, person_id in zip(PEOPLE, ids, strict=True):
            found = await store.find_subscriber(chat_id)
            assert found is not None and (found.id, found.chat_id) == (person_id, chat_id)
        assert await store.partner_chat(ids[1]) == Recipient(PEOPLE[0], LANGUAGES[0])
        assert "chat_id" not in subscribers.c
    finally:
        await store.close()


async def test_another_key_stops_the_open_with_a_clear_error(database_url: str) -> None:
    store = await Store.open(database_url, TEST_KEY)
    await _people(store)
    await store.close()
    with pytest.raises(WrongDataKeyError, match="not the data key"):
        await Store.open(database_url, NEW_KEY)
    again = await Store.open(database_url, TEST_KEY)
    try:
        assert await again.find_subscriber(PEOPLE[2]) is not None
    finally:
        await again.close()


async def test_a_rotation_seals_everyone_with_the_new_key(database_url: str) -> None:
    store = await Store.open(database_url, TEST_KEY)
    try:
        ids = await _people(store)
        before = await _every_value(database_url)
        assert await store.rotate_key(NEW_KEY) == len(PEOPLE)
    finally:
        await store.close()
    with pytest.raises(WrongDataKeyError):
        await Store.open(database_url, TEST_KEY)
    rotated = await Store.open(database_url, NEW_KEY)
    try:
        for chat_id, person_id, language in zip(PEOPLE, ids, LANGUAGES, strict=True):
            found = await rotated.find_subscriber(chat_id)
            # Everything but the sealed values stays as it was, the language too.
            assert found is not None and (found.id, found.language) == (person_id, language)
        assert await rotated.partner_chat(ids[0]) == Recipient(PEOPLE[1], "en")
        claims = await rotated.claim_due(Kind.LESSON, DUE, 10, lambda claim: None)
        assert sorted(claim.subscriber.chat_id for claim in claims) == sorted(PEOPLE)
        after = await _every_value(database_url)
        # Not one sealed value or hash is what it was.
        old = {bytes(v) for v in before if isinstance(v, bytes | memoryview)}
        assert not old & {bytes(v) for v in after if isinstance(v, bytes | memoryview)}
    finally:
        await rotated.close()


async def test_a_rotation_that_cannot_open_every_row_changes_nothing(database_url: str) -> None:
    store = await Store.open(database_url, TEST_KEY)
    try:
        await _people(store)
        stranger = DataKey(bytes(32))
        async with store.transaction() as tx:
            # A row sealed under some other key, as a bad restore could leave one.
            await tx._connection.execute(
                sa.update(subscribers)
                .where(subscribers.c.chat_hash == TEST_KEY.lookup(PEOPLE[2]))
                .values(chat_sealed=stranger.seal(PEOPLE[2]))
            )
        before = await _every_value(database_url)
        with pytest.raises(DataKeyError):
            await store.rotate_key(NEW_KEY)
        assert await _every_value(database_url) == before
        assert await store.find_subscriber(PEOPLE[0]) is not None
    finally:
        await store.close()


def _upgrade_to(connection: sa.Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def _database_from_before_sealing(url: str) -> None:
    """A database at migration 0005, with three people as that version stored them."""
    engine = make_engine(url, migrating=True)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to, "0005")
            for number, chat_id in enumerate(PEOPLE, start=1):
                inserted = await connection.execute(
                    sa.text(
                        "INSERT INTO subscribers (chat_id, timezone, discreet, quiet_start, "
                        "quiet_end, quiet_mode, blocked) VALUES (:chat, 'Europe/Berlin', "
                        "true, '22:00', '08:00', 'silent', false) RETURNING id"
                    ),
                    {"chat": chat_id},
                )
                assert inserted.scalar_one() == number
                await connection.execute(
                    sa.text(
                        "INSERT INTO courses (subscriber_id, track, active, paused, days, "
                        "local_time, position, next_due, same_days) VALUES (:id, 'self', true, "
                        "false, 127, '20:00', :position, :due, false)"
                    ),
                    {"id": number, "position": number * 2, "due": DUE.replace(tzinfo=None)},
                )
            await connection.execute(
                sa.text(
                    "INSERT INTO partner_links (subscriber_id, partner_id, linked) "
                    "VALUES (1, 2, true)"
                )
            )
    finally:
        await engine.dispose()


def _leave_old_copies(database: Path) -> None:
    """What years of use on a SQLite built without secure delete leave: rows deleted and
    written again, their old bytes left in freed space of the file."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA secure_delete=OFF")
        connection.execute("PRAGMA foreign_keys=OFF")
        for _ in range(3):
            connection.execute("CREATE TABLE copies AS SELECT * FROM subscribers")
            connection.execute("DELETE FROM subscribers")
            connection.execute("INSERT INTO subscribers SELECT * FROM copies")
            connection.execute("DROP TABLE copies")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


async def test_a_database_from_before_sealing_is_migrated_in_place(database_url: str) -> None:
    await _database_from_before_sealing(database_url)
    if database_url.startswith("sqlite"):
        database = Path(str(sa.engine.make_url(database_url).database))
        _leave_old_copies(database)
        # The scan can see them: each id is in the file, in its row and in freed space.
        assert all(
            _files(database).count(chat_id_forms(c)["chat id (8-byte big-endian)"]) > 1
            for c in PEOPLE
        )
    assert _names_someone(await _every_value_before(database_url)) != []

    store = await Store.open(database_url, TEST_KEY)
    try:
        for number, chat_id in enumerate(PEOPLE, start=1):
            found = await store.find_subscriber(chat_id)
            assert found is not None and found.id == number
            assert found.timezone == "Europe/Berlin"
            assert (await store.course(number)).position == number * 2
        # Stored before languages were: English, as they had been reading.
        assert await store.partner_chat(1) == Recipient(PEOPLE[1], "en")
        await store.log_delivery(1, Kind.LESSON, date(2026, 3, 29), "self-02", DeliveryStatus.SENT)
        # Ids go on from the highest ever handed out: the table copy kept AUTOINCREMENT.
        newcomer = await store.ensure_subscriber(424242424242)
        assert newcomer.id == len(PEOPLE) + 1
        assert _names_someone(await _every_value(database_url)) == []
    finally:
        await store.close()
    if database_url.startswith("sqlite"):
        # Nor in SQLite's files: not in the table copy's freed pages, nor in the log.
        raw = _files(Path(str(sa.engine.make_url(database_url).database)))
        for chat_id in PEOPLE:
            assert [name for name, form in chat_id_forms(chat_id).items() if form in raw] == []
    with pytest.raises(WrongDataKeyError):
        await Store.open(database_url, NEW_KEY)


def _files(database: Path) -> bytes:
    parts = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return b"".join(part.read_bytes() for part in parts if part.exists())


async def _every_value_before(url: str) -> list[object]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(sa.text("SELECT chat_id FROM subscribers"))
            return [value for row in rows for value in row]
    finally:
        await engine.dispose()
