"""The store on every backend: records round-trip, privacy operations reach every table,
and the migrations build exactly the schema the code expects."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import textwrap
import threading
import time as wall
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from lessons.model import Track
from lessons.planner import Answers, ComesWith, Relationship, Verdict, Whose
from scheduler.model import (
    WEEKDAYS,
    Course,
    DeliveryStatus,
    Kind,
    QuietMode,
    Reminders,
    Subscriber,
)
from scheduler.profile import Profile
from scheduler.store import (
    Store,
    StoreConfigError,
    StoreSchemaError,
    database_url_from_setting,
    person_filter,
)
from scheduler.store.connection import _MIGRATIONS as MIGRATIONS
from scheduler.tables import courses, data_key, deliveries, metadata
from tests.conftest import TEST_KEY

T = TypeVar("T")
ABOUT_NO_ONE = {table.name for table in metadata.sorted_tables if table.info.get("about_no_one")}

ALEX = 1001
SAM = 2002
# Beyond 32 bits, as the chat ids of Telegram supergroups are.
BIG_CHAT = -1_001_234_567_890
DUE = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)
BERLIN_SUMMER = timezone(timedelta(hours=2))
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()
"""The latest migration: what every opened database must be at."""
EXTRA = "9999_test_only"
"""A revision the tests add on top of the real ones."""


async def _look(url: str, look: Callable[[sa.Connection], T]) -> T:
    """Run a synchronous inspection on a connection of its own, outside the store."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(look)
    finally:
        await engine.dispose()


def _tables(connection: sa.Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


def _schema_differences(connection: sa.Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


def _revisions(connection: sa.Connection) -> list[str]:
    return list(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def _rows(exported: dict[str, object], table: str) -> list[dict[str, Any]]:
    """One table of an export; the store types it loosely because it is headed for JSON."""
    rows = exported[table]
    assert isinstance(rows, list)
    return rows


async def _everything_about(store: Store, chat_id: int) -> Subscriber:
    """A person with a row in every table."""
    person = await store.ensure_subscriber(chat_id)
    await store.save_course(Course(person.id, active=True, position=5, next_due=DUE))
    await store.save_reminders(Reminders(person.id, active=True, routines=("walk",)))
    await store.log_delivery(
        person.id, Kind.LESSON, date(2026, 3, 28), "self-04", DeliveryStatus.SENT
    )
    assert await store.create_invite(person.id, f"hash-of-{chat_id}", DUE)
    await store.open_checkin(person.id, DUE)
    async with store.transaction() as tx:
        answers = Answers(Whose.PARTNER, Relationship.DATING, ComesWith.MEMORIES)
        await tx.save_profile(Profile(person.id, answers, asked=True))
        await tx.set_feedback(person.id, "self-04", Verdict.NOT_FOR_ME)
    return person


# --- subscribers -----------------------------------------------------------------------------


async def test_a_new_person_gets_the_defaults(store: Store) -> None:
    assert await store.find_subscriber(ALEX) is None
    person = await store.ensure_subscriber(ALEX)
    assert person == Subscriber(id=person.id, chat_id=ALEX)
    assert await store.find_subscriber(ALEX) == person
    assert await store.course(person.id) == Course(person.id)
    assert await store.reminders(person.id) == Reminders(person.id)


async def test_ensure_subscriber_is_idempotent_under_concurrent_first_contact(
    store: Store,
) -> None:
    people = await asyncio.gather(*(store.ensure_subscriber(ALEX) for _ in range(5)))
    assert len({person.id for person in people}) == 1
    assert (await store.rows_about(ALEX))["subscribers"] == 1
    assert await store.ensure_subscriber(ALEX) == people[0]


async def test_subscriber_settings_round_trip(store: Store) -> None:
    person = await store.ensure_subscriber(BIG_CHAT)
    changed = replace(
        person,
        timezone="Europe/Berlin",
        discreet=False,
        quiet_start=time(23, 30),
        quiet_end=time(6, 45),
        quiet_mode=QuietMode.WAIT,
        blocked=True,
    )
    await store.save_subscriber(changed)
    assert await store.find_subscriber(BIG_CHAT) == changed


async def test_saving_an_erased_subscriber_does_not_bring_them_back(store: Store) -> None:
    person = await store.ensure_subscriber(ALEX)
    await store.erase(ALEX)
    await store.save_subscriber(replace(person, timezone="Asia/Tokyo"))
    assert await store.find_subscriber(ALEX) is None


# --- course and reminders --------------------------------------------------------------------


async def test_course_round_trips_and_saving_again_updates_it(store: Store) -> None:
    person = await store.ensure_subscriber(ALEX)
    course = Course(
        person.id,
        track=Track.PARTNER,
        active=True,
        days=frozenset({0, 2, 6}),
        local_time=time(7, 5),
        position=3,
        last_lesson_id="partner-02",
        next_due=DUE,
    )
    await store.save_course(course)
    assert await store.course(person.id) == course
    later = replace(course, paused=True, days=WEEKDAYS, position=4, next_due=None)
    await store.save_course(later)
    assert await store.course(person.id) == later
    assert (await store.rows_about(ALEX))["courses"] == 1


async def test_reminders_round_trip_and_saving_again_updates_them(store: Store) -> None:
    person = await store.ensure_subscriber(ALEX)
    chosen = Reminders(
        person.id,
        active=True,
        routines=("walk", "shower", "journal"),
        days=frozenset({5, 6}),
        local_time=time(18, 30),
        rotation=2,
        next_due=DUE,
    )
    await store.save_reminders(chosen)
    assert await store.reminders(person.id) == chosen
    none_left = replace(chosen, routines=(), days=frozenset(), active=False, next_due=None)
    await store.save_reminders(none_left)
    assert await store.reminders(person.id) == none_left


async def test_values_the_columns_cannot_hold_are_refused(store: Store) -> None:
    person = await store.ensure_subscriber(ALEX)
    with pytest.raises(ValueError, match="comma"):
        await store.save_reminders(Reminders(person.id, routines=("walk,run",)))
    with pytest.raises(ValueError, match="Monday"):
        await store.save_course(Course(person.id, days=frozenset({7})))
    with pytest.raises(ValueError, match="minute"):
        await store.save_course(Course(person.id, local_time=time(20, 0, 30)))


async def test_stop_all_silences_both_schedules_and_keeps_progress(store: Store) -> None:
    person = await store.ensure_subscriber(ALEX)
    course = Course(person.id, active=True, position=9, last_lesson_id="self-08", next_due=DUE)
    chosen = Reminders(person.id, active=True, routines=("walk", "stretch"), rotation=1)
    await store.save_course(course)
    await store.save_reminders(replace(chosen, next_due=DUE))
    await store.stop_all(person.id)
    assert await store.course(person.id) == replace(course, active=False, next_due=None)
    assert await store.reminders(person.id) == replace(chosen, active=False, next_due=None)


# --- time ------------------------------------------------------------------------------------


async def test_instants_come_back_timezone_aware_in_utc(store: Store) -> None:
    person = await store.ensure_subscriber(ALEX)
    local = DUE.astimezone(BERLIN_SUMMER)
    await store.save_course(Course(person.id, next_due=local))
    await store.save_reminders(Reminders(person.id, next_due=local))
    for due in (
        (await store.course(person.id)).next_due,
        (await store.reminders(person.id)).next_due,
    ):
        assert due == DUE
        assert due is not None and due.tzinfo is not None and due.utcoffset() == timedelta(0)
    exported = await store.export(ALEX)
    [row] = _rows(exported, "subscribers")
    created = datetime.fromisoformat(row["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)


async def test_naive_instants_are_refused(store: Store) -> None:
    person = await store.ensure_subscriber(ALEX)
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"):
        await store.save_course(Course(person.id, next_due=datetime(2026, 3, 29, 18, 0)))


# --- the delivery log ------------------------------------------------------------------------


async def test_the_delivery_log_keeps_one_row_per_person_kind_and_day(store: Store) -> None:
    person = await store.ensure_subscriber(ALEX)
    day = date(2026, 3, 28)
    await store.log_delivery(person.id, Kind.LESSON, day, "self-01", DeliveryStatus.SENT)
    await store.log_delivery(person.id, Kind.REMINDER, day, "walk", DeliveryStatus.SENT, at=DUE)
    assert await store.delivery_count(person.id) == 2
    with pytest.raises(IntegrityError):
        await store.log_delivery(person.id, Kind.LESSON, day, "self-02", DeliveryStatus.SENT)
    assert await store.delivery_count(person.id) == 2


# --- privacy ---------------------------------------------------------------------------------


async def test_export_holds_everything_about_the_person_as_json(store: Store) -> None:
    assert await store.export(ALEX) == {}
    person = await _everything_about(store, ALEX)
    await _everything_about(store, SAM)
    exported = await store.export(ALEX)
    assert set(exported) == {table.name for table in metadata.sorted_tables} - ABOUT_NO_ONE
    assert json.loads(json.dumps(exported)) == exported
    [subscriber] = _rows(exported, "subscribers")
    [course] = _rows(exported, "courses")
    [reminder] = _rows(exported, "reminders")
    [delivery] = _rows(exported, "deliveries")
    assert subscriber["id"] == person.id and subscriber["chat_id"] == ALEX
    # The copy shows the person their own chat id, not its sealed form or keyed hash.
    assert "chat_sealed" not in subscriber and "chat_hash" not in subscriber
    assert subscriber["timezone"] == "UTC" and subscriber["quiet_start"] == "22:00"
    assert course["position"] == 5
    assert datetime.fromisoformat(course["next_due"]) == DUE
    assert reminder["routines"] == "walk"
    assert delivery["local_date"] == "2026-03-28" and delivery["item_id"] == "self-04"


async def test_erase_leaves_no_row_about_the_person_in_any_table(store: Store) -> None:
    await _everything_about(store, ALEX)
    before = await store.rows_about(ALEX)
    assert all(count > 0 for count in before.values()), before
    assert await store.erase(ALEX) is True
    after = await store.rows_about(ALEX)
    assert set(after) == set(before)
    assert all(count == 0 for count in after.values()), after
    assert await store.find_subscriber(ALEX) is None
    assert await store.export(ALEX) == {}
    assert await store.erase(ALEX) is False


async def test_erasing_one_person_leaves_another_untouched(store: Store) -> None:
    await _everything_about(store, ALEX)
    sam = await _everything_about(store, SAM)
    kept = await store.export(SAM)
    await store.erase(ALEX)
    assert await store.export(SAM) == kept
    assert await store.delivery_count(sam.id) == 1
    assert all(count == 1 for count in (await store.rows_about(SAM)).values())


async def test_the_privacy_operations_cover_every_table_in_the_database(
    store: Store, database_url: str
) -> None:
    """A table created by a migration but missing from the metadata would escape erase."""
    in_database = await _look(database_url, _tables)
    assert in_database - {"alembic_version"} - ABOUT_NO_ONE == set(await store.rows_about(ALEX))
    # The one table about no one holds only the data key's check value, never a person.
    assert {"data_key"} == ABOUT_NO_ONE
    assert set(data_key.c.keys()) == {"id", "check_value"}


async def test_a_table_that_names_no_person_is_refused(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = sa.Table("notes", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
    with pytest.raises(StoreSchemaError, match="notes"):
        person_filter(notes, TEST_KEY.lookup(ALEX))
    extended = sa.MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(extended)
    notes.to_metadata(extended)
    monkeypatch.setattr("scheduler.store.privacy.metadata", extended)
    await store.ensure_subscriber(ALEX)
    for operation in (store.rows_about, store.erase, store.export):
        with pytest.raises(StoreSchemaError, match="notes"):
            await operation(ALEX)
    assert await store.find_subscriber(ALEX) is not None


# --- units of work ---------------------------------------------------------------------------


async def test_a_transaction_commits_every_operation_in_it_together(store: Store) -> None:
    async with store.transaction() as tx:
        person = await tx.ensure_subscriber(ALEX)
        await tx.save_course(Course(person.id, active=True, position=3))
        # Read back on the same connection, before the commit.
        assert (await tx.course(person.id)).position == 3
    assert (await store.course(person.id)).position == 3


async def test_a_transaction_that_raises_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError, match="half-way"):
        async with store.transaction() as tx:
            person = await tx.ensure_subscriber(ALEX)
            await tx.save_course(Course(person.id, active=True))
            raise RuntimeError("half-way")
    assert await store.find_subscriber(ALEX) is None
    assert (await store.rows_about(ALEX))["courses"] == 0


# --- schema and connection -------------------------------------------------------------------


async def test_the_migration_builds_the_schema_and_opening_again_keeps_the_data(
    database_url: str,
) -> None:
    assert await _look(database_url, _tables) == set()
    first = await Store.open(database_url, TEST_KEY)
    try:
        person = await _everything_about(first, ALEX)
    finally:
        await first.close()
    assert await _look(database_url, _tables) == {t.name for t in metadata.sorted_tables} | {
        "alembic_version"
    }
    assert await _look(database_url, _schema_differences) == []
    assert await _look(database_url, _revisions) == [HEAD]
    again = await Store.open(database_url, TEST_KEY)
    try:
        assert await again.find_subscriber(ALEX) == person
        assert (await again.course(person.id)).position == 5
    finally:
        await again.close()
    assert await _look(database_url, _revisions) == [HEAD]


async def test_processes_starting_together_migrate_once(database_url: str) -> None:
    """Behind a load balancer several bot processes start at once on one empty database."""
    # A timeout, so that losing the migration lock fails here instead of hanging the run.
    opening = asyncio.gather(*(Store.open(database_url, TEST_KEY) for _ in range(3)))
    stores = await asyncio.wait_for(opening, timeout=60)
    try:
        assert await _look(database_url, _revisions) == [HEAD]
        people = await asyncio.gather(*(store.ensure_subscriber(ALEX) for store in stores))
        assert len(set(people)) == 1
    finally:
        for store in stores:
            await store.close()


def _migrations_with(tmp_path: Path, name: str, upgrade: str) -> Path:
    """The real migrations plus one more revision on top, whose upgrade is ``upgrade``."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{EXTRA}_{name}.py").write_text(
        "import sqlalchemy as sa\n"
        "from alembic import op\n"
        f"revision = {EXTRA!r}\n"
        f"down_revision = {HEAD!r}\n"
        "def upgrade():\n" + textwrap.indent(textwrap.dedent(upgrade), "    ")
    )
    return folder


async def test_a_migration_that_fails_half_way_changes_nothing(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await Store.open(database_url, TEST_KEY)
    person = await _everything_about(first, ALEX)
    await first.close()
    broken = """
        op.add_column("courses", sa.Column("extra", sa.Text))
        op.create_table("scratch", sa.Column("id", sa.Integer, primary_key=True))
        raise RuntimeError("half-way")
    """
    monkeypatch.setattr(
        "scheduler.store.connection._MIGRATIONS", _migrations_with(tmp_path, "broken", broken)
    )
    with pytest.raises(RuntimeError, match="half-way"):
        await Store.open(database_url, TEST_KEY)
    assert await _look(database_url, _revisions) == [HEAD]
    assert await _look(database_url, _schema_differences) == []
    assert "scratch" not in await _look(database_url, _tables)
    monkeypatch.undo()
    again = await Store.open(database_url, TEST_KEY)
    assert await again.find_subscriber(ALEX) == person
    await again.close()


async def test_rebuilding_the_subscribers_table_keeps_everyone_s_progress(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite changes a table by copying and dropping it; with foreign keys on, dropping
    ``subscribers`` would cascade through every course. Migrations run with them off."""
    first = await Store.open(database_url, TEST_KEY)
    person = await _everything_about(first, ALEX)
    await first.close()
    rebuild = """
        with op.batch_alter_table("subscribers") as batch:
            batch.alter_column("timezone", existing_type=sa.Text, nullable=True)
    """
    monkeypatch.setattr(
        "scheduler.store.connection._MIGRATIONS", _migrations_with(tmp_path, "rebuild", rebuild)
    )
    store = await Store.open(database_url, TEST_KEY)
    try:
        assert await _look(database_url, _revisions) == [EXTRA]
        assert await store.find_subscriber(ALEX) == person
        assert all(count == 1 for count in (await store.rows_about(ALEX)).values())
    finally:
        await store.close()


async def test_the_full_foreign_key_check_runs_only_when_a_migration_ran(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It reads every row, so opening a current database must not pay for it."""
    if not database_url.startswith("sqlite"):
        pytest.skip("a SQLite pragma")
    statements: list[str] = []

    def remember(*args: Any) -> None:
        statements.append(str(args[2]))

    sa.event.listen(sa.Engine, "before_cursor_execute", remember)
    try:
        await (await Store.open(database_url, TEST_KEY)).close()
        assert "PRAGMA foreign_key_check" in statements, "the first migration was not checked"
        statements.clear()
        await (await Store.open(database_url, TEST_KEY)).close()
        assert statements and "PRAGMA foreign_key_check" not in statements
        monkeypatch.setattr(
            "scheduler.store.connection._MIGRATIONS", _migrations_with(tmp_path, "noop", "pass\n")
        )
        await (await Store.open(database_url, TEST_KEY)).close()
        assert "PRAGMA foreign_key_check" in statements, "a later migration was not checked"
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", remember)


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_enforced(
    store: Store, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    journal = await _look(
        database_url, lambda c: c.execute(sa.text("PRAGMA journal_mode")).scalar_one()
    )
    assert journal == "wal"
    # A pragma of the store's own connections, so this one looks inside.
    async with store._engine.connect() as connection:
        enforced = (await connection.execute(sa.text("PRAGMA foreign_keys"))).scalar_one()
    assert enforced == 1


async def test_a_sqlite_transaction_that_reads_then_writes_waits_for_another_writer(
    store: Store, database_url: str
) -> None:
    """The delivery tick reads due rows, then claims them. With a deferred BEGIN, a handler
    committing in between would make the claim fail with "database is locked"."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks rows instead")
    person = await store.ensure_subscriber(ALEX)
    async with store._engine.begin() as connection:
        await connection.execute(sa.select(courses))
        handler = asyncio.create_task(store.save_course(Course(person.id, position=7)))
        await asyncio.sleep(0.2)  # the handler tries to write now
        await connection.execute(
            sa.insert(deliveries).values(
                subscriber_id=person.id, kind="lesson", local_date=date(2026, 3, 28), status="x"
            )
        )
    await handler
    assert (await store.course(person.id)).position == 7
    assert await store.delivery_count(person.id) == 1


async def test_ping_answers_for_a_live_database(store: Store) -> None:
    assert await store.ping() is True


async def test_ping_reports_a_dead_database_without_raising() -> None:
    # Port 1 on the loopback: nothing listens there, and the test network allows it.
    dead = Store(create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none"), TEST_KEY)
    try:
        assert await dead.ping() is False
    finally:
        await dead.close()


# --- the DATABASE_URL setting ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            "postgresql://bot:pw@127.0.0.1:5432/soft",
            "postgresql+asyncpg://bot:pw@127.0.0.1:5432/soft",
        ),
        ("postgres://bot:pw@db/soft", "postgresql+asyncpg://bot:pw@db/soft"),
        ("postgresql+asyncpg://db/soft", "postgresql+asyncpg://db/soft"),
    ],
)
def test_postgres_urls_are_given_the_async_driver(setting: str, expected: str) -> None:
    assert database_url_from_setting(setting) == expected


def test_the_default_is_a_sqlite_file_whose_folder_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = database_url_from_setting(None)
    assert url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'softlanding.db'}"
    assert (tmp_path / "data").is_dir()
    assert database_url_from_setting("  ") == url


def test_sqlite_paths_may_be_relative_or_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = database_url_from_setting("sqlite:///deep/er/bot.db")
    assert relative == f"sqlite+aiosqlite:///{tmp_path / 'deep' / 'er' / 'bot.db'}"
    assert (tmp_path / "deep" / "er").is_dir()
    absolute = database_url_from_setting(f"sqlite:///{tmp_path / 'abs' / 'bot.db'}")
    assert absolute == f"sqlite+aiosqlite:///{tmp_path / 'abs' / 'bot.db'}"
    assert database_url_from_setting(absolute) == absolute


async def test_a_store_opened_on_the_default_creates_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = await Store.open("sqlite:///data/softlanding.db")
    try:
        assert await store.ping()
    finally:
        await store.close()
    assert (tmp_path / "data" / "softlanding.db").is_file()


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("mysql://bot:s3cret-pw@db.example/soft", "'mysql'"),
        ("https://bot:s3cret-pw@example.org/db", "'https'"),
        ("bot:s3cret-pw@db.example/soft", "not a database URL"),
        ("s3cret-pw", "not a database URL"),
        ("postgresql://", "no host"),
        ("sqlite://s3cret-pw@host/file.db", "no host"),
        ("sqlite:///", "path of a SQLite file"),
        ("sqlite:///:memory:", "path of a SQLite file"),
    ],
)
def test_unusable_settings_say_why_in_one_line_without_the_password(
    setting: str, named: str
) -> None:
    with pytest.raises(StoreConfigError) as raised:
        database_url_from_setting(setting)
    message = str(raised.value)
    assert named in message
    assert "expected sqlite:///" in message and "postgresql://" in message
    assert "s3cret" not in message
    assert "\n" not in message


async def test_opening_beside_a_writer_in_the_rollback_journal_does_not_deadlock(
    tmp_path: Path,
) -> None:
    """A brand-new database is in the rollback journal until someone switches it to WAL.
    The switch holds a shared lock while it waits, and a writer committing meanwhile waits
    for that lock: each would wait out the other's whole busy timeout."""
    path = tmp_path / "store.db"
    seed = sqlite3.connect(path, isolation_level=None)
    seed.execute("CREATE TABLE scratch (x INTEGER)")
    seed.close()
    writing, committed = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        writer = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("INSERT INTO scratch VALUES (1)")
            writing.set()
            wall.sleep(0.3)  # the store's switch to WAL starts waiting meanwhile
            writer.execute("COMMIT")
            committed.set()
        except BaseException as error:
            failures.append(error)
        finally:
            writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    assert await asyncio.to_thread(writing.wait, 10)
    # A bound only so that a deadlock fails here instead of hanging the run.
    url = database_url_from_setting(f"sqlite:///{path}")
    store = await asyncio.wait_for(Store.open(url), timeout=20)
    try:
        await asyncio.to_thread(thread.join, 20)
        assert failures == [] and committed.is_set()
        assert await _look(url, _revisions) == [HEAD]
    finally:
        await store.close()
