"""Sealing short text with the data key, and migration 0011: course answers and lesson taps
stored plainly before it are sealed in place and still read back through the store."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from lessons.planner import ComesWith, Relationship, Verdict, Whose
from scheduler.crypto import DataKey, DataKeyError
from scheduler.store import Store
from scheduler.store.connection import _MIGRATIONS, make_engine
from tests.conftest import TEST_KEY

OTHER_KEY = DataKey(bytes(range(200, 232)))
PLACE = "course_answers.comes_with:1"


def test_sealed_text_opens_only_with_its_key_and_its_place() -> None:
    sealed = TEST_KEY.seal_text("memories", PLACE)
    assert "memories" not in sealed
    assert TEST_KEY.open_text(sealed, PLACE) == "memories"
    assert TEST_KEY.seal_text("memories", PLACE) != sealed  # a fresh nonce every time
    with pytest.raises(DataKeyError):
        OTHER_KEY.open_text(sealed, PLACE)
    with pytest.raises(DataKeyError):
        TEST_KEY.open_text(sealed, "course_answers.comes_with:2")  # copied to another row
    with pytest.raises(DataKeyError):
        TEST_KEY.open_text(sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1], PLACE)


def test_every_option_seals_to_one_length() -> None:
    options = [m.value for kind in (Whose, Relationship, ComesWith, Verdict) for m in kind]
    assert len({len(TEST_KEY.seal_text(option, PLACE)) for option in options}) == 1
    assert TEST_KEY.open_text(TEST_KEY.seal_text("", PLACE), PLACE) == ""


def _migrate(connection: sa.Connection, step: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["data_key"] = TEST_KEY
    getattr(command, step)(config, revision)


async def _alembic(url: str, step: str, revision: str) -> None:
    engine = make_engine(url, migrating=True)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_migrate, step, revision)
    finally:
        await engine.dispose()


PLAIN = """
INSERT INTO course_answers (subscriber_id, whose, relationship, comes_with, asked, standard,
    kept, kept_track) VALUES (:id, 'partner', 'single', 'pain', true, false, '', NULL);
INSERT INTO lesson_feedback (subscriber_id, lesson_id, verdict) VALUES
    (:id, 'self-01', 'not-for-me');
"""


async def test_plain_answers_from_before_0011_are_sealed_in_place(database_url: str) -> None:
    store = await Store.open(database_url, TEST_KEY)
    try:
        person = (await store.ensure_subscriber(0x0009_ABCD_EF01_2345)).id
    finally:
        await store.close()
    await _alembic(database_url, "downgrade", "0010")
    engine = make_engine(database_url, migrating=True)
    try:
        async with engine.begin() as connection:
            for statement in PLAIN.strip().split(";"):
                if statement.strip():
                    await connection.execute(sa.text(statement), {"id": person})
    finally:
        await engine.dispose()

    store = await Store.open(database_url, TEST_KEY)  # migrates to 0011
    try:
        profile = await store.profile(person)
        assert (profile.answers.whose, profile.answers.relationship) == (
            Whose.PARTNER,
            Relationship.SINGLE,
        )
        assert profile.answers.comes_with is ComesWith.PAIN
        assert dict(profile.feedback) == {"self-01": Verdict.NOT_FOR_ME}
        async with store.transaction() as tx:
            rows = await tx._connection.execute(
                sa.text(
                    "SELECT whose, relationship, comes_with, verdict FROM course_answers "
                    "JOIN lesson_feedback USING (subscriber_id)"
                )
            )
            stored = " ".join(str(value) for row in rows for value in row)
        for word in ("partner", "single", "pain", "not-for-me"):
            assert word not in stored
    finally:
        await store.close()
    if database_url.startswith("sqlite"):
        # Nor left in the files: the rows were rewritten under secure delete, the log emptied.
        database = Path(str(sa.engine.make_url(database_url).database))
        parts = [database, Path(f"{database}-wal")]
        raw = b"".join(part.read_bytes() for part in parts if part.exists())
        assert b"single" not in raw and b"not-for-me" not in raw

    # And back: the downgrade opens them again, as 0010 kept them.
    await _alembic(database_url, "downgrade", "0010")
    engine = make_engine(database_url, migrating=True)
    try:
        async with engine.begin() as connection:
            rows = await connection.execute(sa.text("SELECT whose, comes_with FROM course_answers"))
            assert rows.all() == [("partner", "pain")]
    finally:
        await engine.dispose()
